import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, MOBILE, axe, gotoReady, launchBrowser, newContext, screenshot } from './harness';

// Search against the seeded demo city: a query near a point in Kreuzberg (where the seed's street
// festival ran over the last three days) returns highlighted results; facets narrow them; a 503 from
// the API shows "catching up" and recovers by itself; the page works at 375 px.

// Lausitzer Platz, Kreuzberg.
const POINT = { lat: 52.4993, lon: 13.4185 };
const NEAR_POINT = `/search?area=centre&lat=${POINT.lat}&lon=${POINT.lon}`;
const FESTIVAL_NEAR_POINT = `${NEAR_POINT}&q=festival`;

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const hits = (page: Page) => page.locator('ol.hits > li article');

/**
 * The API's relay indexes the freshly seeded posts into Meilisearch in the seconds after the server
 * starts; until then a search answers empty (or 503). Reload until highlighted results arrive.
 */
async function waitForIndexedResults(page: Page, path: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await gotoReady(page, path);
  while ((await page.locator('ol.hits mark').count()) === 0) {
    if (Date.now() > deadline) throw new Error(`no highlighted results for ${path} within ${timeoutMs} ms`);
    await page.waitForTimeout(2000);
    await gotoReady(page, path);
  }
}

async function summaryCount(page: Page): Promise<number> {
  const text = (await page.locator('.summary').textContent()) ?? '';
  const match = /^(?:About )?([\d,]+) posts?/.exec(text.trim());
  if (!match) throw new Error(`no count in the summary "${text}"`);
  return Number(match[1]!.replace(/,/g, ''));
}

async function kindsShown(page: Page): Promise<string[]> {
  return hits(page).locator('.top > span:first-child').allTextContents();
}

describe('search (desktop)', () => {
  it('finds a seeded term near a point with highlighted results, facets and more results', async () => {
    const { context, problems } = await newContext(browser, DESKTOP);
    const page = await context.newPage();
    // Indexing must be done before the form is exercised.
    await waitForIndexedResults(page, FESTIVAL_NEAR_POINT);

    // Start over from the empty form and search the way a visitor does.
    await gotoReady(page, NEAR_POINT);
    await expect(page.locator('#area').inputValue()).resolves.toBe('centre');
    await page.getByLabel('Words to search for').fill('festival');
    await Promise.all([page.waitForURL(/[?&]q=festival/), page.getByRole('button', { name: 'Search', exact: true }).click()]);
    await page.locator('ol.hits mark').first().waitFor();

    const url = new URL(page.url());
    expect(url.searchParams.get('area')).toBe('centre');
    expect(Number(url.searchParams.get('lat'))).toBeCloseTo(POINT.lat, 4);
    await expect(page.locator('.summary').textContent()).resolves.toMatch(/posts? for “festival” within 2 km of the map centre/);

    // Highlights: matched words in <mark>, and nothing but <mark> as markup in the API's HTML.
    const marks = await page.locator('ol.hits mark').allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.some((m) => /fest/i.test(m))).toBe(true);
    const titleHtml = await hits(page).locator('h3 a').evaluateAll((links) => links.map((a) => a.innerHTML));
    for (const html of titleHtml) expect(html.replace(/<\/?mark>/g, '')).not.toMatch(/</);
    // Every result links to its post page.
    const hrefs = await hits(page).locator('h3 a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^\/posts\/\d+$/);

    const total = await summaryCount(page);
    expect(total).toBeGreaterThan(hrefs.length - 1);

    // "More results" appends the next page (keyset/offset cursor from the API), without duplicates.
    if (total > hrefs.length) {
      await page.getByRole('link', { name: 'More results' }).click();
      await expect.poll(() => hits(page).count(), { timeout: 15_000 }).toBeGreaterThan(hrefs.length);
      const ids = await hits(page).evaluateAll((articles) => articles.map((a) => a.getAttribute('data-post-id')));
      expect(new Set(ids).size).toBe(ids.length);
    }

    // Kind facet: "Event" narrows the results to events, its count becomes the total, and the other
    // kinds keep their counts (kinds are alternatives).
    const eventChip = page.locator('.chip', { has: page.getByRole('checkbox', { name: /^Event/ }) });
    const eventCount = Number(await eventChip.locator('.count').evaluate((el) => el.firstChild?.textContent));
    expect(eventCount).toBeGreaterThan(0);
    expect(eventCount).toBeLessThan(total);
    await Promise.all([page.waitForURL(/[?&]kind=event/), page.getByRole('checkbox', { name: /^Event/ }).check()]);
    await expect.poll(() => summaryCount(page), { timeout: 15_000 }).toBe(eventCount);
    const kinds = await kindsShown(page);
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['Event']));
    await expect(page.getByRole('checkbox', { name: /^Event/ }).isChecked()).resolves.toBe(true);
    // Focus stays on the toggle (keyboard users keep their place).
    await expect(page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).resolves.toBe('event');
    await expect(page.getByRole('checkbox', { name: /^Post\b/ }).isEnabled()).resolves.toBe(true);

    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'search-desktop');

    // Tag facet: every remaining result carries the chosen tag.
    const tagBox = page.locator('input[name="tag"]:not(:checked):not(:disabled)').first();
    const tag = (await tagBox.getAttribute('value'))!;
    await Promise.all([page.waitForURL(new RegExp(`[?&]tag=${tag}`)), tagBox.check()]);
    await expect.poll(async () => (await page.locator('input[name="tag"]:checked').count()) > 0).toBe(true);
    await page.waitForFunction(() => !document.querySelector('.results[aria-busy="true"]'));
    const tagLists = await hits(page).evaluateAll((articles) =>
      articles.map((a) => [...a.querySelectorAll('.tags li')].map((li) => li.textContent?.replace(/^#/, '')))
    );
    expect(tagLists.length).toBeGreaterThan(0);
    for (const tags of tagLists) expect(tags).toContain(tag);

    // Clearing the filters goes back to all results.
    await Promise.all([page.waitForURL((u) => !u.searchParams.has('kind') && !u.searchParams.has('tag')), page.getByRole('link', { name: /^Clear filters/ }).click()]);
    await expect.poll(() => summaryCount(page)).toBe(total);

    const report = await axe(page);
    expect(report.blocking).toEqual([]);
    expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([]);
    await context.close();
  });

  it('works without JavaScript: the GET form and the facet checkboxes search on the server', async () => {
    const { context } = await newContext(browser, { ...DESKTOP, javaScriptEnabled: false } as typeof DESKTOP);
    const page = await context.newPage();
    await page.goto(NEAR_POINT, { waitUntil: 'load' });
    await page.getByLabel('Words to search for').fill('festival');
    await Promise.all([page.waitForURL(/[?&]q=festival/), page.getByRole('button', { name: 'Search', exact: true }).click()]);
    expect(await page.locator('ol.hits mark').count()).toBeGreaterThan(0);
    await page.getByRole('checkbox', { name: /^Alert/ }).check();
    await Promise.all([page.waitForURL(/[?&]kind=alert/), page.getByRole('button', { name: 'Search', exact: true }).click()]);
    expect(new Set(await kindsShown(page))).toEqual(new Set(['Alert']));
    await context.close();
  });

  it('says search is catching up when the API answers 503, and recovers by itself', async () => {
    const { context } = await newContext(browser, DESKTOP);
    const page = await context.newPage();
    await gotoReady(page, FESTIVAL_NEAR_POINT);
    await hits(page).first().waitFor();

    const isSearch = (url: URL) => url.pathname === '/api/search';
    await page.route(isSearch, (route) =>
      route.fulfill({
        status: 503,
        headers: { 'content-type': 'application/problem+json', 'retry-after': '2' },
        body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'Search is temporarily unavailable; posting still works.' })
      })
    );
    await page.getByLabel('Words to search for').fill('flohmarkt');
    await Promise.all([page.waitForURL(/[?&]q=flohmarkt/), page.getByRole('button', { name: 'Search', exact: true }).click()]);
    const alert = page.getByRole('alert').filter({ hasText: 'Search is catching up' });
    await alert.waitFor();
    await expect(page.getByRole('link', { name: 'Try again' }).isVisible()).resolves.toBe(true);
    await expect(hits(page).count()).resolves.toBe(0);

    // Search is back: the page retries after Retry-After without anyone clicking.
    await page.unroute(isSearch);
    await hits(page).first().waitFor({ timeout: 20_000 });
    await expect(alert.count()).resolves.toBe(0);
    await expect(page.locator('.summary').textContent()).resolves.toMatch(/for “flohmarkt”/);
    await context.close();
  });
});

describe('search (mobile, 375 px)', () => {
  it('fits the screen, keeps facets usable and passes axe', async () => {
    const { context } = await newContext(browser, MOBILE);
    const page = await context.newPage();
    await waitForIndexedResults(page, FESTIVAL_NEAR_POINT);
    // The first results come with the HTML; hydration does not search again.
    const apiSearches: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/search') apiSearches.push(request.url());
    });
    await gotoReady(page, FESTIVAL_NEAR_POINT);
    await page.waitForTimeout(500);
    expect(apiSearches).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The nav's Search and Trends are real links on phones too.
    await expect(page.getByRole('link', { name: 'Trends' }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('link', { name: 'Search', exact: true }).getAttribute('aria-current')).resolves.toBe('page');

    await Promise.all([page.waitForURL(/[?&]kind=question/), page.getByRole('checkbox', { name: /^Question/ }).tap()]);
    await page.waitForFunction(() => !document.querySelector('.results[aria-busy="true"]'));
    expect(new Set(await kindsShown(page))).toEqual(new Set(['Question']));
    // Later searches go from the browser to the API directly.
    expect(apiSearches.length).toBeGreaterThan(0);
    await screenshot(page, 'search-mobile');
    const report = await axe(page);
    expect(report.blocking).toEqual([]);
    await context.close();
  });
});
