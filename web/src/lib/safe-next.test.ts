import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

describe('safeNext: sign-in redirects stay on this site', () => {
  it('keeps same-origin paths with their query and fragment', () => {
    for (const ok of ['/', '/me', '/posts/42', '/search?q=caf%C3%A9&tags=a%2Fb', '/me#home', '/cells/881f1d4891fffff?kind=event']) {
      expect(safeNext(ok)).toBe(ok);
    }
  });

  it('falls back to / for anything that could leave the site', () => {
    const hostile = [
      '/\t/evil.example', // what ?next=/%09/evil.example decodes to
      '/%09/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '/\u0000/evil.example',
      '//evil.example',
      '///evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/\\/evil.example',
      '/%2f/evil.example',
      '/%2F%2Fevil.example',
      '/%5c/evil.example',
      '/%5C%5Cevil.example',
      '/%E0%A4%A', // malformed encoding
      'https://evil.example/',
      'http:/evil.example',
      'javascript:alert(1)',
      'evil.example',
      ' /me',
      '',
      '/' + 'a'.repeat(3000),
    ];
    for (const bad of hostile) expect(safeNext(bad), JSON.stringify(bad)).toBe('/');
    expect(safeNext(null)).toBe('/');
    expect(safeNext(undefined, '')).toBe('');
  });
});
