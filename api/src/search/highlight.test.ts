import { describe, expect, it } from 'vitest';
import { highlightToHtml, HIGHLIGHT_MARKERS as M } from './highlight.ts';

describe('highlight rendering', () => {
  it('escapes user text and marks only matches', () => {
    expect(highlightToHtml(`<img src=x onerror=alert(1)> ${M.pre}cat${M.post} & "dog"`)).toBe(
      '&lt;img src=x onerror=alert(1)&gt; <mark>cat</mark> &amp; &quot;dog&quot;',
    );
  });

  it('never emits unbalanced marks', () => {
    expect(highlightToHtml(`${M.post}a${M.pre}b${M.pre}c`)).toBe('a<mark>bc</mark>');
    expect(highlightToHtml('plain')).toBe('plain');
  });
});
