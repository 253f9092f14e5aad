import { describe, expect, it } from 'vitest';
import { addressChangedMail, areaPostMail, digestMail, escapeHtml, maskAddress, signUpAttemptMail, verifyEmailMail } from './templates.ts';

describe('mail templates', () => {
  it('escapes every inserted value in the HTML part and keeps the text part plain', () => {
    const mail = verifyEmailMail({ displayName: '<img src=x onerror=alert(1)> & "Co"', link: 'https://h.example/verify?token=a"b<c', hours: 48 });
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;');
    expect(mail.html).toContain('href="https://h.example/verify?token=a&quot;b&lt;c"');
    expect(mail.text).toContain('Hello <img src=x onerror=alert(1)> & "Co",');
    expect(mail.text).toContain('https://h.example/verify?token=a"b<c');
  });

  it('keeps line breaks out of subjects (no header injection)', () => {
    const mail = digestMail({
      displayName: 'A',
      items: [{ title: 'x', href: 'https://h.example/posts/1', meta: 'post' }],
      settingsLink: 'https://h.example/me',
    });
    expect(mail.subject).toBe('Hexhood: 1 new around your home');
    const area = areaPostMail({
      displayName: 'B',
      subscriptionName: 'Street\r\nBcc: evil@example.com',
      item: { title: 'T\nX', href: 'https://h.example/posts/2', meta: 'post' },
      settingsLink: 'https://h.example/notifications',
    });
    expect(area.subject).toBe('New in "Street Bcc: evil@example.com": T X');
    expect(signUpAttemptMail({ displayName: 'B', loginLink: 'l', resetLink: 'r' }).text).toContain('l\n');
  });

  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('address changed notice', () => {
  it('names the new address only masked, and links to a password reset', () => {
    expect(maskAddress('anna.schmidt@example.org')).toBe('a…@example.org');
    expect(maskAddress('not-an-address')).toBe('…');
    const mail = addressChangedMail({ displayName: 'Anna', newAddress: 'thief@evil.example', resetLink: 'https://hexhood.example/forgot-password' });
    expect(mail.text).toContain('t…@evil.example');
    expect(mail.text).not.toContain('thief@');
    expect(mail.html).toContain('href="https://hexhood.example/forgot-password"');
  });
});
