import type { Page } from '@playwright/test';
import { DESKTOP, MOBILE, apiClient, expect, expectAccessible, expectNoOverflow, gotoReady, screenshot, test } from './fixtures';

// Search against the seeded demo city: a query near a point in Kreuzberg (where the seed's street
// festival ran over the last three days) returns highlighted results; facets narrow them; a 503 from
// the API shows "catching up" and recovers by itself; the page works at 375 px.

// Lausitzer Platz, Kreuzberg.
const POINT = { lat: 52.4993, lon: 13.4185 };
const NEAR_POINT = `/search?area=centre&lat=${POINT.lat}&lon=${POINT.lon}`;
const FESTIVAL_NEAR_POINT = `${NEAR_POINT}&q=festival`;

const hits = (page: Page) => page.locator('ol.hits > li article');

/**
 * The counts below are only comparable while the index holds a fixed set of posts. The suite's own server
 * builds its index before it starts listening (see playwright.config.ts); a server started moments ago
 * (BASE_URL) may still be indexing the demo city, so at least wait until search answers with results.
 */
test.beforeAll(async () => {
  const api = await apiClient();
  const festivalTotal = async () => {
    const response = await api.get('/api/search', { params: { q: 'festival', lat: POINT.lat, lon: POINT.lon, radius: 2000 } });
    return response.ok() ? ((await response.json()) as { total: number }).total : -response.status();
  };
  await expect.poll(festivalTotal, { message: 'search has festival posts near the point', timeout: 90_000 }).toBeGreaterThan(0);
  await api.dispose();
});

async function summaryCount(page: Page): Promise<number> {
  const text = (await page.locator('.summary').textContent()) ?? '';
  const match = /^(?:About )?([\d,]+) posts?/.exec(text.trim());
  if (!match) throw new Error(`no count in the summary "${text}"`);
  return Number(match[1]!.replace(/,/g, ''));
}

/** Waits for the client-side search that a form change started to be shown. */
async function searched(page: Page, url: RegExp | ((url: URL) => boolean)) {
  await page.waitForURL(url);
  await expect(page.locator('.results')).toHaveAttribute('aria-busy', 'false');
}

function kindsShown(page: Page): Promise<string[]> {
  return hits(page).locator('.top > span:first-child').allTextContents();
}

test.describe('search (desktop)', () => {
  test.use(DESKTOP);

  test('finds a seeded term near a point with highlighted results, facets and more results', async ({ page, problems }) => {
    await gotoReady(page, NEAR_POINT);
    await expect(page.locator('#area')).toHaveValue('centre');
    await page.getByLabel('Words to search for').fill('festival');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await searched(page, /[?&]q=festival/);
    await expect(page.locator('ol.hits mark').first()).toBeVisible();

    const url = new URL(page.url());
    expect(url.searchParams.get('area')).toBe('centre');
    expect(Number(url.searchParams.get('lat'))).toBeCloseTo(POINT.lat, 4);
    await expect(page.locator('.summary')).toHaveText(/posts? for “festival” within 2 km of the map centre/);

    // Highlights: matched words in <mark>, and nothing but <mark> as markup in the API's HTML.
    const marks = await page.locator('ol.hits mark').allTextContents();
    expect(marks.some((m) => /fest/i.test(m))).toBe(true);
    const titleHtml = await hits(page)
      .locator('h3 a')
      .evaluateAll((links) => links.map((a) => a.innerHTML));
    for (const html of titleHtml) expect(html.replace(/<\/?mark>/g, '')).not.toMatch(/</);
    // Every result links to its post page.
    const hrefs = await hits(page)
      .locator('h3 a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^\/posts\/\d+$/);

    const total = await summaryCount(page);
    expect(total).toBeGreaterThanOrEqual(hrefs.length);

    // More results: reaching the end of the list appends the next page (cursor from the API), without duplicates.
    if (total > hrefs.length) {
      await page.locator('.more').scrollIntoViewIfNeeded();
      await expect.poll(() => hits(page).count()).toBeGreaterThan(hrefs.length);
      const ids = await hits(page).evaluateAll((articles) => articles.map((a) => a.getAttribute('data-post-id')));
      expect(new Set(ids).size).toBe(ids.length);
    }

    // Kind facet: "Event" narrows the results to events, its count becomes the total, and the other
    // kinds keep their counts (kinds are alternatives).
    const eventBox = page.getByRole('checkbox', { name: /^Event/ });
    const eventChip = page.locator('.chip', { has: eventBox });
    const eventCount = Number(await eventChip.locator('.count').evaluate((el) => el.firstChild?.textContent));
    expect(eventCount).toBeGreaterThan(0);
    expect(eventCount).toBeLessThan(total);
    await eventBox.check();
    await searched(page, /[?&]kind=event/);
    await expect.poll(() => summaryCount(page)).toBe(eventCount);
    const kinds = await kindsShown(page);
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['Event']));
    await expect(eventBox).toBeChecked();
    // Focus stays on the toggle (keyboard users keep their place).
    await expect(eventBox).toBeFocused();
    await expect(page.getByRole('checkbox', { name: /^Post\b/ })).toBeEnabled();

    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'search-desktop', { reference: true });

    // Tag facet: every remaining result carries the chosen tag.
    const tagBox = page.locator('input[name="tag"]:not(:checked):not(:disabled)').first();
    const tag = (await tagBox.getAttribute('value'))!;
    await tagBox.check();
    await searched(page, (u) => u.searchParams.getAll('tag').includes(tag));
    await expect(page.locator(`input[name="tag"][value="${tag}"]`)).toBeChecked();
    const tagLists = await hits(page).evaluateAll((articles) =>
      articles.map((a) => [...a.querySelectorAll('.tags li')].map((li) => li.textContent?.replace(/^#/, ''))),
    );
    expect(tagLists.length).toBeGreaterThan(0);
    for (const tags of tagLists) expect(tags).toContain(tag);

    // Clearing the filters goes back to all results.
    await page.getByRole('link', { name: /^Clear filters/ }).click();
    await searched(page, (u) => !u.searchParams.has('kind') && !u.searchParams.has('tag'));
    await expect.poll(() => summaryCount(page)).toBe(total);

    await expectAccessible(page);
    expect(problems).toEqual([]);
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('the GET form and the facet checkboxes search on the server', async ({ page }) => {
      await page.goto(NEAR_POINT);
      await page.getByLabel('Words to search for').fill('festival');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/[?&]q=festival/);
      await expect(page.locator('ol.hits mark').first()).toBeVisible();
      await page.getByRole('checkbox', { name: /^Alert/ }).check();
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/[?&]kind=alert/);
      await expect(hits(page).first()).toBeVisible();
      expect(new Set(await kindsShown(page))).toEqual(new Set(['Alert']));
    });
  });

  test('says search is catching up when the API answers 503, and recovers by itself', async ({ page }) => {
    await gotoReady(page, FESTIVAL_NEAR_POINT);
    await expect(hits(page).first()).toBeVisible();

    const isSearch = (url: URL) => url.pathname === '/api/search';
    await page.route(isSearch, (route) =>
      route.fulfill({
        status: 503,
        headers: { 'content-type': 'application/problem+json', 'retry-after': '2' },
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Service Unavailable',
          status: 503,
          detail: 'Search is temporarily unavailable; posting still works.',
        }),
      }),
    );
    await page.getByLabel('Words to search for').fill('flohmarkt');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/[?&]q=flohmarkt/);
    const alert = page.getByRole('alert').filter({ hasText: 'Search is catching up' });
    await expect(alert).toBeVisible();
    await expect(page.getByRole('link', { name: 'Try again' })).toBeVisible();
    await expect(hits(page)).toHaveCount(0);

    // Search is back: the page retries after Retry-After (2 s) without anyone clicking.
    await page.unroute(isSearch);
    await expect(hits(page).first()).toBeVisible({ timeout: 20_000 });
    await expect(alert).toHaveCount(0);
    await expect(page.locator('.summary')).toHaveText(/for “flohmarkt”/);
  });
});

test.describe('search (mobile, 375 px)', () => {
  test.use(MOBILE);

  test('fits the screen, keeps facets usable and passes axe', async ({ page }) => {
    const apiSearches: URL[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/search') apiSearches.push(url);
    });
    await gotoReady(page, FESTIVAL_NEAR_POINT);
    await expect(page.locator('ol.hits mark').first()).toBeVisible();
    await expectNoOverflow(page);
    // The nav's Search and Trends are real links on phones too.
    await expect(page.getByRole('link', { name: 'Trends' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Search', exact: true })).toHaveAttribute('aria-current', 'page');

    await page.getByRole('checkbox', { name: /^Question/ }).tap();
    await searched(page, /[?&]kind=question/);
    await expect(hits(page).first()).toBeVisible();
    expect(new Set(await kindsShown(page))).toEqual(new Set(['Question']));
    // Later searches go from the browser to the API directly: the filtered search and the kind counts
    // (limit=1, no kind). The first results came with the HTML, so hydration searched nothing.
    expect(apiSearches.some((u) => u.searchParams.get('kind') === 'question')).toBe(true);
    const others = apiSearches.filter((u) => u.searchParams.get('kind') !== 'question' && u.searchParams.get('limit') !== '1');
    expect(others.map(String)).toEqual([]);
    await screenshot(page, 'search-mobile');
    await expectAccessible(page);
  });
});
