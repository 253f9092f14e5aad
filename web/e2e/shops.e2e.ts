import { DESKTOP, MOBILE, DEMO_PASSWORD, apiClient, signIn, expect, expectAccessible, gotoReady, test } from './fixtures';

// The shop loop on the seeded Berlin demo (seeds/merchants.seed.ts): the demo bakery's owner `baecker` publishes an
// offer → the demo resident, who lives nearby, sees it on the board and claims it → staff `baecker_staff` types the
// code at the counter → the resident's wallet shows "Redeemed" and the owner's dashboard counts it.

test.describe.configure({ mode: 'serial' });

const title = `Croissant for a euro ${Date.now().toString(36)}`;
let shopId = '';
let code = '';

test.beforeAll(async () => {
  const api = await apiClient();
  const login = await api.post('/api/auth/login', {
    data: { login: 'baecker', password: DEMO_PASSWORD },
    headers: { origin: process.env.BASE_URL ?? '' },
  });
  expect(login.status(), 'the demo seeds the bakery owner').toBe(200);
  const mine = await api.get('/api/me/merchants');
  shopId = (await mine.json()).items[0].id;
  await api.dispose();
});

test.describe('shop offer loop (desktop)', () => {
  test.use(DESKTOP);

  test('owner creates an offer', async ({ page, problems }) => {
    await signIn(page, 'baecker');
    await gotoReady(page, `/shops/${shopId}`);
    await page.getByRole('link', { name: 'New offer' }).click();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Terms').fill('One per person, while stocks last.');
    await page.getByLabel('How many can be claimed in total').fill('20');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Publish offer' }).click();
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    expect(problems).toEqual([]);
  });

  test('a resident nearby sees it on the board and claims it', async ({ page, problems }) => {
    await signIn(page, 'demo');
    await gotoReady(page, '/');
    await page.getByRole('link', { name: title }).first().click();
    await expect(page).toHaveURL(new RegExp(`/shops/${shopId}`));
    const card = page.locator('article.offer', { hasText: title });
    await card.getByRole('button', { name: 'Claim offer' }).click();
    await expect(card.getByRole('status')).toContainText('Claimed');
    await gotoReady(page, '/wallet');
    const claim = page.locator('li.claim', { hasText: title });
    await expect(claim).toHaveAttribute('data-claim-status', 'active');
    await expect(claim.locator('.qr-svg svg')).toBeVisible();
    code = (await claim.locator('code.code').innerText()).trim();
    expect(code.replace(/-/g, '')).toHaveLength(20);
    await expectAccessible(page);
    expect(problems).toEqual([]);
  });

  test('staff redeem the code; the wallet shows redeemed and the dashboard counts it', async ({ page, browser, problems }) => {
    await signIn(page, 'baecker_staff');
    await gotoReady(page, `/shops/${shopId}/redeem`);
    await page.getByLabel('Code').fill(code);
    await page.getByRole('button', { name: 'Redeem', exact: true }).click();
    await expect(page.getByRole('status')).toContainText(title);
    // the form clears for the next customer; the same code again is refused, saying when it was used
    await page.getByLabel('Code').fill(code);
    await page.getByRole('button', { name: 'Redeem', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('already redeemed');
    await gotoReady(page, `/shops/${shopId}/dashboard`);
    await expect(page.getByTestId('total-redemptions')).not.toHaveText('0');
    await expectAccessible(page);

    const resident = await browser.newPage(DESKTOP);
    await signIn(resident, 'demo');
    await gotoReady(resident, '/wallet');
    await expect(resident.locator('li.claim', { hasText: title })).toHaveAttribute('data-claim-status', 'redeemed');
    await resident.close();
    expect(problems).toEqual([]);
  });
});

test.describe('shop directory (phone)', () => {
  test.use(MOBILE);

  test('lists shops with filters and opens a shop page', async ({ page, problems }) => {
    await gotoReady(page, '/shops?category=bakery&q=B%C3%A4ckerei');
    await expect(page.locator('[data-map-state]')).toBeAttached();
    const first = page.locator('.shop-list h2 a').first();
    await expect(first).toBeVisible();
    await expectAccessible(page);
    await first.click();
    await expect(page.getByRole('heading', { name: 'Opening hours' })).toBeVisible();
    await expectAccessible(page);
    expect(problems).toEqual([]);
  });
});
