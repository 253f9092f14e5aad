// Mail templates: plain text first (what every client shows), and a simple HTML part with every inserted value escaped.

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Header lines must not carry line breaks (header injection); subjects are cut to a sane length. */
function oneLine(value: string, max = 150): string {
  // control characters would end or split a header line
  // eslint-disable-next-line no-control-regex -- matching them is the point
  const controls = /[\u0000-\u001f\u007f]+/g;
  return value.replace(controls, ' ').trim().slice(0, max);
}

type Part = { p: string } | { link: { href: string; label: string } } | { list: { title: string; href: string; meta: string }[] };

function render(subject: string, greeting: string, parts: Part[], footer: string): MailContent {
  const text: string[] = [greeting, ''];
  const html: string[] = [`<p>${escapeHtml(greeting)}</p>`];
  for (const part of parts) {
    if ('p' in part) {
      text.push(part.p, '');
      html.push(`<p>${escapeHtml(part.p)}</p>`);
    } else if ('link' in part) {
      text.push(`${part.link.label}:`, part.link.href, '');
      html.push(`<p><a href="${escapeHtml(part.link.href)}">${escapeHtml(part.link.label)}</a></p>`);
    } else {
      for (const item of part.list) text.push(`- ${item.title} (${item.meta})`, `  ${item.href}`);
      text.push('');
      html.push(
        `<ul>${part.list.map((i) => `<li><a href="${escapeHtml(i.href)}">${escapeHtml(i.title)}</a> <small>${escapeHtml(i.meta)}</small></li>`).join('')}</ul>`,
      );
    }
  }
  text.push('-- ', footer);
  html.push(`<hr><p><small>${escapeHtml(footer)}</small></p>`);
  return {
    subject: oneLine(subject),
    text: text.join('\n'),
    html: `<!doctype html><html><body style="font-family:sans-serif;line-height:1.4">${html.join('\n')}</body></html>`,
  };
}

const FOOTER = 'Hexhood — your neighbourhood, nearby.';

export function verifyEmailMail(p: { displayName: string; link: string; hours: number }): MailContent {
  return render(
    'Confirm your email address for Hexhood',
    `Hello ${p.displayName},`,
    [
      { p: 'please confirm that this is your address by opening the link below.' },
      { link: { href: p.link, label: 'Confirm my address' } },
      { p: `The link works once and for ${p.hours} hours. If you did not sign up for Hexhood, ignore this mail.` },
    ],
    FOOTER,
  );
}

export function signUpAttemptMail(p: { displayName: string; loginLink: string; resetLink: string }): MailContent {
  return render(
    'Someone tried to sign up to Hexhood with your address',
    `Hello ${p.displayName},`,
    [
      { p: 'someone just tried to create a new Hexhood account with this email address, which already belongs to your account.' },
      { p: 'If that was you: you already have an account. Sign in instead:' },
      { link: { href: p.loginLink, label: 'Sign in' } },
      { p: 'Forgot your password? Set a new one here:' },
      { link: { href: p.resetLink, label: 'Reset my password' } },
      { p: 'If it was not you, nothing has changed on your account and you need not do anything.' },
    ],
    FOOTER,
  );
}

export function passwordResetMail(p: { displayName: string; link: string; minutes: number }): MailContent {
  return render(
    'Set a new Hexhood password',
    `Hello ${p.displayName},`,
    [
      { p: 'someone (hopefully you) asked to reset the password of your Hexhood account.' },
      { link: { href: p.link, label: 'Set a new password' } },
      {
        p: `The link works once and for ${p.minutes} minutes. Setting a new password signs you out everywhere. If you did not ask for this, ignore this mail.`,
      },
    ],
    FOOTER,
  );
}

/** `anna@example.org` → `a…@example.org`: enough for the owner to recognise it, not to hand it to whoever reads the old inbox. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return at > 0 ? `${address[0]}…${address.slice(at)}` : '…';
}

export function addressChangedMail(p: { displayName: string; newAddress: string; resetLink: string }): MailContent {
  return render(
    'Your Hexhood email address was changed',
    `Hello ${p.displayName},`,
    [
      { p: `the email address of your Hexhood account was just changed to ${maskAddress(p.newAddress)}. Mails go there from now on.` },
      { p: 'If that was you, nothing more to do. If it was not, someone knows your password: set a new one now (it signs everyone out):' },
      { link: { href: p.resetLink, label: 'Reset my password' } },
    ],
    FOOTER,
  );
}

export interface DigestItem {
  title: string;
  href: string;
  /** e.g. "question · <1 km · 3 comments" */
  meta: string;
}

export function digestMail(p: { displayName: string; items: DigestItem[]; settingsLink: string }): MailContent {
  return render(
    `Hexhood: ${p.items.length} new around your home`,
    `Hello ${p.displayName},`,
    [
      { p: 'the most active new public posts around your home in the last day:' },
      { list: p.items },
      { p: 'You get this because you turned on the daily digest. Turn it off here:' },
      { link: { href: p.settingsLink, label: 'My account' } },
    ],
    FOOTER,
  );
}

export function areaPostMail(p: { displayName: string; subscriptionName: string; item: DigestItem; settingsLink: string }): MailContent {
  return render(
    `New in "${p.subscriptionName}": ${p.item.title}`,
    `Hello ${p.displayName},`,
    [
      { p: `a new post matches your area subscription "${p.subscriptionName}":` },
      { list: [p.item] },
      { p: 'Change or stop these mails on your subscriptions page:' },
      { link: { href: p.settingsLink, label: 'My subscriptions' } },
    ],
    FOOTER,
  );
}
