import { request, type Page } from '@playwright/test';
import { DESKTOP, MOBILE, apiClient, expect, expectAccessible, expectNoOverflow, gotoReady, test, uniqueHandle } from './fixtures';

// issue 13: email — real mail: the app sends it over SMTP to the local sink (infra/mail-sink.ts, started by the test
// scripts and `npm start`), and these tests read the sink's inbox and open the links like a person would.

const INBOX = process.env.MAIL_SINK_URL ?? 'http://127.0.0.1:1080';
const password = 'correct horse battery staple';

interface SinkMessage {
  to: string[];
  subject: string;
  text: string;
}

/** The newest mail to `to` whose subject matches, waiting for the app's mail worker to send it. */
async function mailTo(to: string, subject: RegExp): Promise<SinkMessage> {
  const inbox = await request.newContext();
  try {
    let found: SinkMessage | undefined;
    await expect
      .poll(
        async () => {
          const messages = (await (await inbox.get(`${INBOX}/api/messages`)).json()) as SinkMessage[];
          found = messages.filter((m) => m.to.includes(to.toLowerCase()) && subject.test(m.subject)).pop();
          return Boolean(found);
        },
        { message: `a mail "${subject}" to ${to} in ${INBOX}`, timeout: 30_000 },
      )
      .toBe(true);
    return found!;
  } finally {
    await inbox.dispose();
  }
}

/** The link in a mail, made relative so the page opens on the server under test. */
function linkIn(mail: SinkMessage, path: string): string {
  const match = new RegExp(`https?://[^\\s/]+(${path}\\?token=[A-Za-z0-9_-]+)`).exec(mail.text);
  expect(match, `a ${path} link in the mail`).not.toBeNull();
  return match![1]!;
}

async function signIn(page: Page, login: string, secret: string) {
  await gotoReady(page, '/login');
  await page.getByLabel('Handle or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
}

for (const [name, device] of [
  ['desktop', DESKTOP],
  ['phone', MOBILE],
] as const) {
  test.describe(`email (${name})`, () => {
    test.use(device);

    test('sign up, read the verification mail, open its link: the address is verified', async ({ page, problems }) => {
      const handle = uniqueHandle('mail');
      const email = `${handle}@example.org`;
      await gotoReady(page, '/signup');
      await page.getByLabel('Handle').fill(handle);
      await page.getByLabel('Display name').fill('Mail Tester');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL('**/me?welcome=1');

      // the demo lets people post at once, and says the address is unverified
      await expect(page.getByTestId('unverified-banner')).toContainText('not verified');
      await expect(page.getByTestId('email-status')).toContainText('not verified yet');
      await expectAccessible(page);
      await expectNoOverflow(page);

      const mail = await mailTo(email, /confirm your email address/i);
      await gotoReady(page, linkIn(mail, '/verify'));
      await expect(page.getByRole('heading', { name: 'Your email address is verified' })).toBeVisible();
      await expect(page.getByTestId('verify-outcome')).toContainText('verified');
      await expectAccessible(page);
      await expectNoOverflow(page);

      // the link was single-use; the account page now says verified and the banner is gone
      await gotoReady(page, linkIn(mail, '/verify'));
      await expect(page.getByTestId('verify-outcome')).toContainText('invalid');
      await gotoReady(page, '/me');
      await expect(page.getByTestId('email-status')).toContainText('verified');
      await expect(page.getByTestId('email-status')).not.toContainText('not verified');
      await expect(page.getByTestId('unverified-banner')).toHaveCount(0);
      expect(problems).toEqual([]);
    });

    test('forgot password: ask on the sign-in page, follow the mailed link, set a new one, sign in with it', async ({ page, baseURL, problems }) => {
      const handle = uniqueHandle('reset');
      const email = `${handle}@example.org`;
      const api = await apiClient();
      const res = await api.post('/api/auth/register', {
        data: { handle, displayName: 'Reset Tester', email, password },
        headers: { origin: new URL(baseURL!).origin },
      });
      expect(res.status()).toBe(201);
      await api.dispose();

      await gotoReady(page, '/login');
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      await page.waitForURL('**/forgot-password');
      await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
      await expectAccessible(page);
      await page.getByLabel('Email').fill(email.toUpperCase());
      await page.getByRole('button', { name: 'Mail me a link' }).click();
      await expect(page.getByTestId('reset-requested')).toContainText('If an account uses this address');

      const mail = await mailTo(email, /new hexhood password/i);
      await gotoReady(page, linkIn(mail, '/reset-password'));
      await expectAccessible(page);
      await expectNoOverflow(page);
      const fresh = 'a brand new passphrase';
      await page.getByLabel('New password', { exact: true }).fill(fresh);
      await page.getByLabel('New password again').fill('something else entirely');
      await page.getByRole('button', { name: 'Set password' }).click();
      await expect(page.getByText('The two passwords differ.')).toBeVisible();
      await page.getByLabel('New password', { exact: true }).fill(fresh);
      await page.getByLabel('New password again').fill(fresh);
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.waitForURL('**/me?password=reset');
      await expect(page.getByText('Your new password is set.')).toBeVisible();

      // signed out: the old password fails, the new one works
      await page.context().clearCookies();
      await gotoReady(page, '/login');
      await page.getByLabel('Handle or email').fill(handle);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('alert')).toBeVisible();
      await signIn(page, email, fresh);
      expect(problems).toEqual([]);
    });
  });
}
