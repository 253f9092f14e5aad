import { apiClient, DESKTOP, expect, gotoReady, test, uniqueHandle } from './fixtures';

// security (issue 9): sign-in redirects stay on this site.

const handle = uniqueHandle('sec');
const password = 'correct horse battery staple';

test.use(DESKTOP);

test.beforeAll(async () => {
  const api = await apiClient();
  const res = await api.post('/api/auth/register', {
    data: { handle, displayName: 'Redirect Tester', email: `${handle}@example.test`, password },
    headers: { origin: process.env.BASE_URL ?? '' },
  });
  expect(res.status()).toBe(201);
  await api.dispose();
});

test('sign-in with next=/%09/evil.example lands on this site’s board, and no next value causes a 500', async ({ page, baseURL }) => {
  await gotoReady(page, '/login?next=/%09/evil.example');
  await page.getByLabel('Handle or email').fill(handle);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);

  // signed in now: the sign-in page sends us straight on to `next` — or to / when `next` is not a path of ours
  for (const next of [
    '/%09/evil.example',
    '//evil.example',
    '/%2F%2Fevil.example',
    '/%5Cevil.example',
    '/\\evil.example',
    'https://evil.example/',
    '/%E0%A4%A',
  ]) {
    const res = await page.request.get(`/login?next=${encodeURIComponent(next)}`, { maxRedirects: 0 });
    expect(res.status(), next).toBe(303);
    expect(res.headers()['location'], next).toBe('/');
  }
  const ok = await page.request.get(`/login?next=${encodeURIComponent('/search?q=flohmarkt')}`, { maxRedirects: 0 });
  expect(ok.headers()['location']).toBe('/search?q=flohmarkt');
});

test('the profile page says what a home move means and when a new home counts', async ({ page, baseURL }) => {
  await gotoReady(page, '/login');
  await page.getByLabel('Handle or email').fill(handle);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  const headers = { origin: new URL(baseURL!).origin };
  expect((await page.request.put('/api/me/home', { data: { lat: 52.5106, lon: 13.459 }, headers })).status()).toBe(200);
  await gotoReady(page, '/me');
  await expect(page.getByTestId('home-rules')).toContainText('7 days later');
  await expect(page.getByTestId('home-pending')).toHaveCount(0);
  expect((await page.request.put('/api/me/home', { data: { lat: 52.53, lon: 13.41 }, headers })).status()).toBe(200);
  await gotoReady(page, '/me');
  await expect(page.getByTestId('home-pending')).toContainText('Berlin time');
});

test.describe('event times (browser in New York)', () => {
  test.use({ timezoneId: 'America/New_York' });

  test('an event entered as 11:00 is stored as that Berlin instant and shown as 11:00 Berlin time; past starts are refused', async ({ page }) => {
    await gotoReady(page, '/login');
    await page.getByLabel('Handle or email').fill(handle);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');

    await gotoReady(page, '/compose');
    await page.getByRole('radio', { name: /^Event/ }).check();
    await page.getByLabel('Title').fill('Flea market in the courtyard');
    await expect(page.getByLabel('Event starts')).toBeVisible();
    await expect(page.locator('label[for="eventStartsAt"]')).toContainText('Berlin time');
    await expect(page.locator('.picker')).toHaveAttribute('data-cell', /^[0-9a-f]{15}$/);

    // in the past: refused next to the field, the typed title kept
    await page.getByLabel('Event starts').fill('2020-06-21T11:00');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await expect(page.locator('#event-error')).toContainText('past');
    await expect(page.getByLabel('Title')).toHaveValue('Flea market in the courtyard');

    await page.getByLabel('Event starts').fill('2030-06-21T11:00');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page.waitForURL(/\/posts\/\d+$/);
    await expect(page.getByTestId('event-time')).toContainText('11:00');
    await expect(page.getByTestId('event-time')).toContainText('Berlin time');
    const id = new URL(page.url()).pathname.split('/').pop();
    const post = await (await page.request.get(`/api/posts/${id}`)).json();
    expect(post.eventStartsAt).toBe('2030-06-21T09:00:00.000Z'); // 11:00 CEST
  });
});

test.describe('residents’ fixes', () => {
  test('phone header shows the Board link without overflowing', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto('/search');
    const board = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Board' });
    await expect(board).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await context.close();
  });

  test('without JavaScript, delete asks first and the board says it was done; a failed comment keeps its text', async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Handle or email').fill(handle);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    const origin = new URL(baseURL!).origin;
    const created = await page.request.post('/api/posts', {
      data: { kind: 'post', title: 'Delete me later', body: 'x', location: { lat: 52.5106, lon: 13.459 } },
      headers: { origin },
    });
    expect(created.status()).toBe(201);
    const id = (await created.json()).id as string;

    // a comment the API refuses (a control character) comes back with the text still in the box and the error inline
    await page.goto(`/posts/${id}`);
    await page.getByLabel('Add a comment').fill('Keep this text \u0007 please');
    await page.getByRole('button', { name: 'Comment' }).click();
    await expect(page.locator('#comment-error, .form-message').first()).toBeVisible();
    await expect(page.getByLabel('Add a comment')).toHaveValue(/Keep this text/);

    await page.getByRole('button', { name: 'Delete post' }).click();
    await expect(page.getByTestId('confirm-delete')).toBeVisible();
    expect((await page.request.get(`/api/posts/${id}`)).status()).toBe(200); // not deleted yet
    await page.getByRole('button', { name: 'Yes, delete post' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await expect(page.getByTestId('deleted-notice')).toHaveText('Your post was deleted.');
    expect((await page.request.get(`/api/posts/${id}`)).status()).toBe(404);
    await context.close();
  });
});

test('search says the network is down when no answer comes, not that the index is behind', async ({ page }) => {
  await gotoReady(page, '/search?q=markt');
  await page.route('**/api/search?**', (route) => route.abort('internetdisconnected'));
  await page.getByLabel('Words to search for').fill('flohmarkt');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'network' });
  await expect(alert).toContainText('The network seems to be down');
  await expect(page.getByText('Search is catching up')).toHaveCount(0);
});

test('without JavaScript the board has a "More posts" link to the next page', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/');
  const firstTitles = await page.locator('[role="feed"] article h3').allTextContents();
  expect(firstTitles.length).toBeGreaterThan(0);
  const more = page.getByTestId('more-link');
  await expect(more).toBeVisible();
  await more.click();
  await page.waitForURL(/cursor=/);
  const nextTitles = await page.locator('[role="feed"] article h3').allTextContents();
  expect(nextTitles.length).toBeGreaterThan(0);
  expect(nextTitles).not.toEqual(firstTitles);
  await context.close();
});
