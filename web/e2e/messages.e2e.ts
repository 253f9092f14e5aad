import type { Browser } from '@playwright/test';
import {
  DESKTOP,
  MOBILE,
  DEMO_PASSWORD,
  apiClient,
  signIn,
  expect,
  expectAccessible,
  expectNoOverflow,
  gotoReady,
  test,
  uniqueHandle,
} from './fixtures';

// Messages (issue 13) on the seeded demo: the demo resident writes to the demo bakery from its page, the owner
// `baecker` answers from the shop's inbox, and the resident's open conversation shows the answer without a reload.

test.describe.configure({ mode: 'serial' });

let shopId = '';

test.beforeAll(async () => {
  const api = await apiClient();
  const login = await api.post('/api/auth/login', {
    data: { login: 'baecker', password: DEMO_PASSWORD },
    headers: { origin: process.env.BASE_URL ?? '' },
  });
  expect(login.status(), 'the demo seeds the bakery owner').toBe(200);
  shopId = (await (await api.get('/api/me/merchants')).json()).items[0].id;
  await api.dispose();
});

async function roundTrip(browser: Browser, viewport: typeof DESKTOP | typeof MOBILE, question: string, answer: string) {
  // two people, two contexts (cookies apart; axe needs pages made from a context)
  const residentContext = await browser.newContext(viewport);
  const ownerContext = await browser.newContext(viewport);
  const resident = await residentContext.newPage();
  const owner = await ownerContext.newPage();
  const problems: string[] = [];
  for (const p of [resident, owner]) p.on('pageerror', (e) => problems.push(e.message));

  await signIn(resident, 'demo');
  await gotoReady(resident, `/shops/${shopId}`);
  await resident.getByRole('link', { name: 'Message the shop', exact: true }).click();
  await expect(resident).toHaveURL(/\/messages\/new\?shop=/);
  await expectAccessible(resident);
  await resident.getByLabel('Your message').fill(question);
  await resident.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(resident).toHaveURL(/\/messages\/\d+$/);
  const conversationUrl = new URL(resident.url()).pathname;
  await expect(resident.getByTestId('thread')).toContainText(question);
  await expectAccessible(resident);
  await expectNoOverflow(resident);

  await signIn(owner, 'baecker');
  await gotoReady(owner, `/shops/${shopId}`);
  await owner.getByRole('link', { name: 'Inbox' }).click();
  await expect(owner).toHaveURL(new RegExp(`/shops/${shopId}/inbox`));
  await expectAccessible(owner);
  await owner.locator('li.conversation', { hasText: question }).getByRole('link').click();
  await expect(owner).toHaveURL(new RegExp(`${conversationUrl}$`));
  await expect(owner.getByTestId('thread')).toContainText(question);
  await owner.getByLabel(/^Answer as /).fill(answer);
  await owner.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(owner.getByTestId('thread')).toContainText(answer);

  // the resident's open conversation shows it live (no reload), signed as the shop
  await expect(resident.getByTestId('thread')).toContainText(answer, { timeout: 15_000 });
  await expect(resident.locator('li.message', { hasText: answer })).not.toContainText('Inhaberin');
  // read where it is shown: the header counts no unread conversation
  await expect(resident.getByTestId('messages-link')).toHaveAttribute('data-unread', '0');
  await expectAccessible(resident);

  // the list marks nothing unread once read; the report form is offered for the shop's message
  await gotoReady(resident, '/messages');
  await expect(resident.locator('li.conversation', { hasText: answer })).toBeVisible();
  await expectAccessible(resident);
  expect(problems).toEqual([]);
  await residentContext.close();
  await ownerContext.close();
}

test.describe('messages (desktop)', () => {
  test.use(DESKTOP);
  test('a resident messages the shop, the owner answers, the resident sees it live', async ({ browser }) => {
    await roundTrip(browser, DESKTOP, `Habt ihr heute Roggenbrot? ${Date.now().toString(36)}`, `Ja, bis 18 Uhr! ${Date.now().toString(36)}`);
  });
});

test.describe('messages (phone)', () => {
  test.use(MOBILE);
  test('the same on a phone', async ({ browser }) => {
    await roundTrip(browser, MOBILE, `Glutenfrei? ${Date.now().toString(36)}`, `Freitags, ja. ${Date.now().toString(36)}`);
  });

  test('a message needs a body and says so without JavaScript', async ({ browser }) => {
    const context = await browser.newContext({ ...MOBILE, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Handle or email').fill('demo');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: /sign in/i }).click();
    await expect(page).not.toHaveURL(/\/login/);
    await page.goto(`/messages/new?shop=${shopId}`);
    // bypass the browser's own `required` check: the server answers with the field error
    await page.locator('textarea[name=body]').evaluate((t) => t.removeAttribute('required'));
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page.getByText('Write a message.')).toBeVisible();
    await page.getByLabel('Your message').fill('Ohne JavaScript geschrieben');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(page).toHaveURL(/\/messages\/\d+$/);
    await expect(page.getByTestId('thread')).toContainText('Ohne JavaScript geschrieben');
    await context.close();
  });
});

test.describe('messages between neighbours (phone)', () => {
  test.use(MOBILE);

  test('“bitte anrufen”: a neighbour writes to a post’s author from the post, who finds it unread in Messages', async ({ browser }) => {
    const PLACE = { lat: 52.5106, lon: 13.459 };
    const people = await Promise.all(
      ['writer', 'reader'].map(async (name) => {
        const context = await browser.newContext(MOBILE);
        const page = await context.newPage();
        const handle = uniqueHandle(name);
        const res = await page.request.post('/api/auth/register', {
          data: { handle, displayName: `${name} Nachbar`, email: `${handle}@example.org`, password: 'correct horse battery staple' },
        });
        expect(res.status()).toBe(201);
        expect((await page.request.put('/api/me/home', { data: PLACE })).status()).toBe(200);
        return { context, page, handle };
      }),
    );
    const [writer, reader] = people as [(typeof people)[number], (typeof people)[number]];
    const created = await writer.page.request.post('/api/posts', {
      data: { kind: 'post', title: 'Fahrrad gefunden — bitte anrufen', body: 'Blaues Rad vor Nr. 12.', tags: [], location: PLACE },
    });
    expect(created.status()).toBe(201);
    const postId = ((await created.json()) as { id: string }).id;

    await gotoReady(reader.page, `/posts/${postId}`);
    await reader.page.getByRole('link', { name: 'Message writer Nachbar' }).click();
    await expect(reader.page.getByLabel('Your message')).toHaveValue(/^About your post “Fahrrad gefunden — bitte anrufen”: /);
    await expectAccessible(reader.page);
    await reader.page.getByLabel('Your message').pressSequentially('Das ist meins!');
    await reader.page.getByRole('button', { name: 'Send', exact: true }).click();
    await expect(reader.page).toHaveURL(/\/messages\/\d+$/);
    await expect(reader.page.getByTestId('thread')).toContainText('Das ist meins!');

    await gotoReady(writer.page, '/messages');
    await expect(writer.page.getByTestId('messages-link')).toHaveAttribute('data-unread', '1');
    const row = writer.page.locator('li.conversation', { hasText: 'Das ist meins!' });
    await expect(row).toContainText('1 unread');
    await expectAccessible(writer.page);
    await expectNoOverflow(writer.page);
    await row.getByRole('link').click();
    await expect(writer.page.getByTestId('thread')).toContainText('About your post');
    // a received message can be reported
    await expect(writer.page.locator('details.report summary').first()).toBeVisible();
    for (const p of people) await p.context.close();
  });
});
