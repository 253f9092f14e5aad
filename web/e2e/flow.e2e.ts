import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, MOBILE, apiAvailable, axe, expectPainted, gotoReady, launchBrowser, newContext, paintStats, screenshot, uniqueHandle, waitForMap } from './harness';

// The resident's journey against the real API: sign up → set home → post → find it on the board list
// and as a cell on the map → react and comment → sign out; then the same pages at 375 px.
// The API must answer under BASE_URL: without it this suite fails rather than skips.

if (!(await apiAvailable())) throw new Error('no API answers at BASE_URL/api/me');

const handle = uniqueHandle();
const password = 'correct horse battery staple';
const title = `Street party on the corner ${handle.slice(-6)}`;
let browser: Browser;
let postPath = '';

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function noOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

async function expectAccessible(page: Page) {
  const report = await axe(page);
  expect(report.blocking).toEqual([]);
}

describe('resident flow (desktop)', () => {
  it('signs up, sets home, posts, finds the post on list and map, reacts, comments, signs out', async () => {
    const { context, problems } = await newContext(browser, DESKTOP);
    const page = await context.newPage();

    // Sign up.
    await gotoReady(page, '/signup');
    await page.getByLabel('Handle').fill(handle);
    await page.getByLabel('Display name').fill('E2E Neighbour');
    await page.getByLabel('Email').fill(`${handle}@example.org`);
    await page.getByLabel('Password').fill(password);
    await Promise.all([page.waitForURL('**/me?welcome=1'), page.getByRole('button', { name: 'Create account' }).click()]);

    // Set home by clicking the map.
    await waitForMap(page);
    const picker = page.locator('.picker').first();
    const mapBox = (await picker.locator('.map-box').boundingBox())!;
    await page.mouse.click(mapBox.x + mapBox.width / 2, mapBox.y + mapBox.height / 2);
    await expect.poll(() => picker.getAttribute('data-cell')).toMatch(/^[0-9a-f]{15}$/);
    await page.getByRole('button', { name: 'Save home' }).click();
    await page.getByText('Home saved.').waitFor();
    await expect(page.getByText('Current home cell')).toBeTruthy();
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
    await expect.poll(() => page.locator('.picker').getAttribute('data-cell')).toMatch(/^[0-9a-f]{15}$/);
    await screenshot(page, 'compose-desktop', { fullPage: true });
    await expectAccessible(page);
    await Promise.all([page.waitForURL(/\/posts\/\d+$/), page.getByRole('button', { name: 'Post', exact: true }).click()]);
    postPath = new URL(page.url()).pathname;

    // The post page: react and comment.
    await expect(page.locator('h1').textContent()).resolves.toBe(title);
    const plusOne = page.getByRole('button', { name: /^\+1/ });
    await plusOne.click();
    await expect.poll(() => plusOne.getAttribute('aria-pressed')).toBe('true');
    await page.getByLabel('Add a comment').fill('Count me in!');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    await page.locator('.comment-body', { hasText: 'Count me in!' }).waitFor();
    await waitForMap(page);
    await screenshot(page, 'post-desktop', { fullPage: true });
    await expectAccessible(page);

    // The board opens at home: the post is in the list and its cell is on the map.
    await gotoReady(page, '/');
    const card = page.locator('[role="feed"] article', { hasText: title });
    await card.waitFor();
    const cell = await card.getAttribute('data-cell');
    expect(cell).toMatch(/^[0-9a-f]{15}$/);
    await waitForMap(page);
    const markerCells = await page.evaluate(() =>
      window.__hexhoodMap!.queryRenderedFeatures({ layers: ['post-markers'] }).map((f) => f.properties.cell as string)
    );
    expect(markerCells).toContain(cell);
    await card.hover();
    await expect
      .poll(() => page.evaluate(() => window.__hexhoodMap!.queryRenderedFeatures({ layers: ['hovered-cell-fill'] }).length))
      .toBeGreaterThan(0);
    const hexagons = await page.locator('.board-map').getAttribute('data-hexagons');
    expect(hexagons).toBe('available');
    const hexCount = await page.evaluate(() => window.__hexhoodMap!.queryRenderedFeatures({ layers: ['hexagons-fill'] }).length);
    expect(hexCount).toBeGreaterThan(0);
    const pane = (await page.locator('.map-pane').boundingBox())!;
    expectPainted(await paintStats(browser, await page.screenshot({ clip: pane })));
    await screenshot(page, 'board-signed-in-desktop');

    // Clicking the post's marker filters the board to its cell.
    const point = await page.evaluate((c) => {
      const map = window.__hexhoodMap!;
      const feature = map.queryRenderedFeatures({ layers: ['post-markers'] }).find((f) => f.properties.cell === c)!;
      const [lon, lat] = (feature.geometry as GeoJSON.Point).coordinates as [number, number];
      const p = map.project([lon, lat]);
      const rect = map.getCanvas().getBoundingClientRect();
      return { x: rect.left + p.x, y: rect.top + p.y };
    }, cell);
    await page.mouse.click(point.x, point.y);
    await page.getByRole('heading', { name: 'This hexagon' }).waitFor();
    await card.waitFor();
    expect(new URL(page.url()).searchParams.get('cell')).toBe(cell);
    await expectAccessible(page);

    // Sign out from the header.
    await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.getByRole('button', { name: 'Sign out' }).click()]);
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([]);
    await context.close();
  });
});

describe('resident flow (375 px)', () => {
  it('signs in and every page fits, paints and passes axe', async () => {
    const { context } = await newContext(browser, MOBILE);
    const page = await context.newPage();
    await gotoReady(page, '/login');
    await page.getByLabel('Handle or email').fill(handle);
    await page.getByLabel('Password').fill(password);
    await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.getByRole('button', { name: 'Sign in' }).click()]);

    await waitForMap(page);
    await page.locator('[role="feed"] article', { hasText: title }).waitFor();
    await noOverflow(page);
    await screenshot(page, 'board-signed-in-mobile', { fullPage: true });
    await expectAccessible(page);

    for (const [path, name] of [
      [postPath, 'post-mobile'],
      ['/compose', 'compose-mobile'],
      ['/me', 'me-mobile']
    ] as const) {
      await gotoReady(page, path);
      await waitForMap(page);
      await noOverflow(page);
      await screenshot(page, name, { fullPage: true });
      await expectAccessible(page);
    }
    await context.close();
  });
});
