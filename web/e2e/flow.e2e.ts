import type { Point } from 'geojson';
import {
  DESKTOP,
  MOBILE,
  apiClient,
  expect,
  expectAccessible,
  expectNoOverflow,
  expectPaintedBox,
  gotoReady,
  mapIdle,
  screenshot,
  test,
  uniqueHandle,
  waitForMap,
} from './fixtures';

// The resident's journey against the real API: sign up → set home → post → find it on the board list
// and as a cell on the map → react and comment → sign out; then the same pages at 375 px as that resident.

// The phone test signs in as the resident the desktop test created: one serial group.
test.describe.configure({ mode: 'serial' });

const handle = uniqueHandle();
const password = 'correct horse battery staple';
const title = `Street party on the corner ${handle.slice(-6)}`;
let postPath = '';

test.beforeAll(async () => {
  // Without an API under BASE_URL this suite fails rather than skips.
  const api = await apiClient();
  const response = await api.get('/api/me');
  expect([200, 401], 'GET /api/me status').toContain(response.status());
  expect(response.headers()['content-type']).toMatch(/json/);
  await api.dispose();
});

test.describe('resident flow (desktop)', () => {
  test.use(DESKTOP);

  test('signs up, sets home, posts, finds the post on list and map, reacts, comments, signs out', async ({ page, browser, problems }) => {
    // Five pages, three of them with a map: the longest journey in the suite.
    test.setTimeout(300_000);
    // Sign up.
    await gotoReady(page, '/signup');
    await page.getByLabel('Handle').fill(handle);
    await page.getByLabel('Display name').fill('E2E Neighbour');
    await page.getByLabel('Email').fill(`${handle}@example.org`);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/me?welcome=1');

    // Set home by clicking the map.
    await waitForMap(page);
    const picker = page.locator('.picker').first();
    // a mouse click at coordinates does not scroll: bring the map into the viewport first
    await picker.locator('.map-box').scrollIntoViewIfNeeded();
    const mapBox = (await picker.locator('.map-box').boundingBox())!;
    await page.mouse.click(mapBox.x + mapBox.width / 2, mapBox.y + mapBox.height / 2);
    await expect(picker).toHaveAttribute('data-cell', /^[0-9a-f]{15}$/);
    await page.getByRole('button', { name: 'Save home' }).click();
    await expect(page.getByText('Home saved.')).toBeVisible();
    await expect(page.getByText('Current home cell')).toBeVisible();
    await mapIdle(page);
    await screenshot(page, 'me-desktop', { fullPage: true });
    await expectAccessible(page);

    // Write an event at home.
    await gotoReady(page, '/compose');
    await waitForMap(page);
    await page.getByRole('radio', { name: /^Event/ }).check();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel(/^Text/).fill('Bring a chair and something to share. Music from 6 pm.');
    await page.getByLabel('Event starts').fill('2030-06-21T18:00');
    await page.getByLabel(/^Tags/).fill('street-party, music');
    await expect(page.locator('.picker')).toHaveAttribute('data-cell', /^[0-9a-f]{15}$/);
    await mapIdle(page);
    await screenshot(page, 'compose-desktop', { fullPage: true });
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page.waitForURL(/\/posts\/\d+$/);
    postPath = new URL(page.url()).pathname;

    // The post page: react and comment.
    await expect(page.locator('h1')).toHaveText(title);
    const plusOne = page.getByRole('button', { name: /^\+1/ });
    await plusOne.click();
    await expect(plusOne).toHaveAttribute('aria-pressed', 'true');
    await page.getByLabel('Add a comment').fill('Count me in!');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    await expect(page.locator('.comment-body', { hasText: 'Count me in!' })).toBeVisible();
    await waitForMap(page);
    await screenshot(page, 'post-desktop', { fullPage: true, reference: true });
    await expectAccessible(page);

    // The board opens at home: the post is in the list and its cell is on the map.
    await gotoReady(page, '/');
    const card = page.locator('[role="feed"] article', { hasText: title });
    await expect(card).toBeVisible();
    await expect(card).toHaveAttribute('data-cell', /^[0-9a-f]{15}$/);
    const cell = (await card.getAttribute('data-cell'))!;
    await waitForMap(page);
    const markerCells = () =>
      page.evaluate(() => window.__hexhoodMap!.queryRenderedFeatures({ layers: ['post-markers'] }).map((f) => f.properties.cell as string));
    await expect.poll(markerCells).toContain(cell);
    await card.hover();
    await expect
      .poll(() => page.evaluate(() => window.__hexhoodMap!.queryRenderedFeatures({ layers: ['hovered-cell-fill'] }).length))
      .toBeGreaterThan(0);
    await expect(page.locator('.board-map')).toHaveAttribute('data-hexagons', 'available');
    await expect.poll(() => page.evaluate(() => window.__hexhoodMap!.queryRenderedFeatures({ layers: ['hexagons-fill'] }).length)).toBeGreaterThan(0);
    await mapIdle(page);
    await expectPaintedBox(page, browser, '.map-pane');
    await screenshot(page, 'board-signed-in-desktop');

    // Clicking the post's marker filters the board to its cell.
    const point = await page.evaluate((c) => {
      const map = window.__hexhoodMap!;
      const feature = map.queryRenderedFeatures({ layers: ['post-markers'] }).find((f) => f.properties.cell === c)!;
      const [lon, lat] = (feature.geometry as Point).coordinates as [number, number];
      const p = map.project([lon, lat]);
      const rect = map.getCanvas().getBoundingClientRect();
      return { x: rect.left + p.x, y: rect.top + p.y };
    }, cell);
    await page.mouse.click(point.x, point.y);
    // issue 12: the hexagon board is titled with its place (main street, Ortsteil; home is by Alexanderplatz)
    await expect(page.locator('#feed-heading')).toContainText(', Mitte');
    await expect(card).toBeVisible();
    await expect(page).toHaveURL((url) => url.searchParams.get('cell') === cell);
    await expectAccessible(page);

    // Selecting the hexagon was a history entry: Back from a post opened there returns to the hexagon's board, and
    // Back again to the board without it.
    const hexagonTitle = (await page.locator('#feed-heading').textContent())!;
    await card.getByRole('link', { name: title }).click();
    await expect(page).toHaveURL(/\/posts\/\d+/);
    await page.goBack();
    await expect(page).toHaveURL((url) => url.searchParams.get('cell') === cell);
    await expect(page.locator('#feed-heading')).toHaveText(hexagonTitle);
    await page.goBack();
    await expect(page).toHaveURL((url) => url.pathname === '/' && !url.searchParams.has('cell'));
    await expect(page.locator('#feed-heading')).not.toHaveText(hexagonTitle);

    // Sign out from the header.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('link', { name: 'Sign in', exact: true })).toBeVisible();
    await expect(page).toHaveURL((url) => url.pathname === '/');
    expect(problems).toEqual([]);
  });
});

test.describe('resident flow (mobile, 375 px)', () => {
  test.use(MOBILE);

  test('signs in and every page fits, paints and passes axe', async ({ page }) => {
    test.setTimeout(300_000);
    await gotoReady(page, '/login');
    await page.getByLabel('Handle or email').fill(handle);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');

    await waitForMap(page);
    await expect(page.locator('[role="feed"] article', { hasText: title })).toBeVisible();
    await expectNoOverflow(page);
    await screenshot(page, 'board-signed-in-mobile', { fullPage: true });
    await expectAccessible(page);

    for (const [path, name] of [
      [postPath, 'post-mobile'],
      ['/compose', 'compose-mobile'],
      ['/me', 'me-mobile'],
    ] as const) {
      await gotoReady(page, path);
      await waitForMap(page);
      await expectNoOverflow(page);
      await screenshot(page, name, { fullPage: true });
      await expectAccessible(page);
    }
  });
});
