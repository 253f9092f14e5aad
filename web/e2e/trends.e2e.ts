import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, MOBILE, axe, expectPainted, gotoReady, launchBrowser, newContext, paintStats, pixelDifference, screenshot, waitForMap } from './harness';

// Trends for the seeded demo city: the street festival rising in Friedrichshain-Kreuzberg (last three
// days) and construction works ("baustelle") in Pankow this week; the interest heat map paints
// hexagons, follows the metric switch and a clicked trending tag, and explains the k-anonymity rule.

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

const heat = (page: Page) => page.locator('[data-heat-state]');

async function trend(page: Page, tag: string) {
  const item = page.locator(`.trend[data-tag="${tag}"]`);
  await item.waitFor();
  const count = Number(await item.locator('.numbers strong').textContent());
  return { item, count, rising: await item.getAttribute('data-rising'), text: (await item.textContent()) ?? '' };
}

/** Waits for the heat map to show `metric` and returns the hexagons MapLibre actually rendered. */
async function renderedHexagons(page: Page, metric: string) {
  await expect.poll(() => heat(page).getAttribute('data-heat-metric'), { timeout: 20_000 }).toBe(metric);
  await page.locator('[data-heat-state="ready"]').waitFor({ timeout: 20_000 });
  return page.evaluate(
    () =>
      new Promise<{ cell: string; value: number; lat: number }[]>((resolve) => {
        const map = window.__hexhoodMap!;
        const read = () =>
          resolve(
            map.queryRenderedFeatures({ layers: ['heat-fill'] }).map((f) => {
              const ring = (f.geometry as { coordinates: number[][][] }).coordinates[0]!;
              return {
                cell: String(f.properties.cell),
                value: Number(f.properties.value),
                lat: ring.reduce((sum, p) => sum + p[1]!, 0) / ring.length
              };
            })
          );
        if (map.loaded()) read();
        else map.once('idle', read);
      })
  );
}

describe('trends (desktop)', () => {
  it('shows rising tags for the demo city and a painted heat map that follows the metric and tag', async () => {
    const { context, problems } = await newContext(browser, DESKTOP);
    const page = await context.newPage();

    // The festival: rising in Friedrichshain-Kreuzberg over the last 24 hours.
    await gotoReady(page, '/trends?area=friedrichshain-kreuzberg&window=24h');
    await expect(page.locator('#rising-heading').textContent()).resolves.toBe('Rising in Friedrichshain-Kreuzberg');
    const festival = await trend(page, 'festival');
    expect(festival.rising).toBe('true');
    expect(festival.text).toContain('Rising');
    expect(festival.count).toBeGreaterThanOrEqual(5);
    expect(festival.text).toMatch(/in the last 24 hours; usually (less than 1|almost never|about [\d.]+)/);

    // Switch to Pankow and the 7-day window with the form: construction works are rising there.
    await page.getByLabel('Where', { exact: true }).selectOption('pankow');
    await Promise.all([page.waitForURL(/area=pankow.*window=7d|window=7d.*area=pankow/), page.getByLabel('Last 7 days').check()]);
    await expect(page.locator('#rising-heading').textContent()).resolves.toBe('Rising in Pankow');
    const baustelle = await trend(page, 'baustelle');
    expect(baustelle.rising).toBe('true');
    expect(baustelle.count).toBeGreaterThanOrEqual(20);
    // The festival was in another district: not a top trend of Pankow.
    const pankowRising = await page.locator('.trend[data-rising="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-tag')));
    expect(pankowRising[0]).toBe('baustelle');

    // The heat map: hexagons rendered, and they are what paints the map (with vs without the layer).
    await waitForMap(page);
    // The map opened on Friedrichshain-Kreuzberg and moved to Pankow (north), outlining it.
    await expect
      .poll(() => page.evaluate(() => window.__hexhoodMap!.getCenter().lat), { timeout: 10_000 })
      .toBeGreaterThan(52.53);
    await expect(page.evaluate(() => JSON.stringify(window.__hexhoodMap!.getFilter('trend-area-outline')))).resolves.toContain('"Pankow"');
    const posts = await renderedHexagons(page, 'posts');
    expect(posts.length).toBeGreaterThan(5);
    const box = (await page.locator('.map-box').boundingBox())!;
    const withHeat = await page.screenshot({ clip: box });
    expectPainted(await paintStats(browser, withHeat));
    await page.evaluate(() => {
      const map = window.__hexhoodMap!;
      for (const layer of ['heat-fill', 'heat-line']) map.setLayoutProperty(layer, 'visibility', 'none');
    });
    await page.evaluate(() => new Promise((resolve) => window.__hexhoodMap!.once('idle', resolve)));
    const withoutHeat = await page.screenshot({ clip: box });
    // Pale low-value cells barely differ from the land colour; a layer that drew nothing gives ~0.
    expect(await pixelDifference(browser, withHeat, withoutHeat)).toBeGreaterThan(0.05);
    await page.evaluate(() => {
      const map = window.__hexhoodMap!;
      for (const layer of ['heat-fill', 'heat-line']) map.setLayoutProperty(layer, 'visibility', 'visible');
    });

    // Legend and privacy note.
    const legend = (await page.locator('.legend').textContent()) ?? '';
    expect(legend).toContain('Areas with fewer than 10 people are hidden');
    const maxValue = await page.evaluate(() =>
      Math.max(...window.__hexhoodMap!.querySourceFeatures('heat').map((f) => Number(f.properties.value)))
    );
    expect(maxValue).toBeGreaterThanOrEqual(Math.max(...posts.map((p) => p.value)));
    await expect(page.locator('.ticks span.end').textContent()).resolves.toBe(maxValue.toLocaleString('en-GB'));

    // Clicking the trending tag maps it: the busiest baustelle hexagon lies in Pankow (north of ~52.53°).
    await page.locator('.trend[data-tag="baustelle"] .map-link').click();
    const tagged = await renderedHexagons(page, 'tag:baustelle');
    expect(tagged.length).toBeGreaterThan(0);
    const busiest = tagged.reduce((a, b) => (b.value > a.value ? b : a));
    expect(busiest.lat).toBeGreaterThan(52.53);
    expect(new URL(page.url()).searchParams.get('metric')).toBe('tag:baustelle');
    await expect(page.getByRole('radio', { name: '#baustelle' }).isChecked()).resolves.toBe(true);
    await expect(page.locator('.trend[data-tag="baustelle"] .map-link').getAttribute('aria-current')).resolves.toBe('true');

    // The metric switch: people and per-household figures.
    await page.getByRole('radio', { name: 'People' }).check();
    expect((await renderedHexagons(page, 'people')).length).toBeGreaterThan(0);
    await page.getByRole('radio', { name: 'Per household' }).check();
    const perHousehold = await renderedHexagons(page, 'per_household');
    expect(perHousehold.length).toBeGreaterThan(0);
    expect(perHousehold.some((h) => !Number.isInteger(h.value))).toBe(true);

    // Back to the tag for the screenshot.
    await page.getByRole('radio', { name: '#baustelle' }).check();
    await renderedHexagons(page, 'tag:baustelle');
    await screenshot(page, 'trends-desktop');
    const report = await axe(page);
    expect(report.blocking).toEqual([]);
    expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([]);
    await context.close();
  });

  it('opens from the board around the map centre', async () => {
    const { context } = await newContext(browser, DESKTOP);
    const page = await context.newPage();
    await gotoReady(page, '/');
    await Promise.all([page.waitForURL(/\/trends\?lat=[\d.]+&lon=[\d.]+/), page.getByRole('link', { name: 'Trends' }).click()]);
    await expect(page.locator('#rising-heading').textContent()).resolves.toBe('Rising around the map centre');
    await expect(page.locator('#area').inputValue()).resolves.toBe('centre');
    await context.close();
  });
});

describe('trends (mobile, 375 px)', () => {
  it('fits the screen, shows the festival rising and a painted map, passes axe', async () => {
    const { context } = await newContext(browser, MOBILE);
    const page = await context.newPage();
    await gotoReady(page, '/trends?area=friedrichshain-kreuzberg&window=7d');
    expect((await trend(page, 'festival')).rising).toBe('true');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'trends-mobile');

    await page.locator('.trend[data-tag="festival"] .map-link').tap();
    await waitForMap(page);
    const tagged = await renderedHexagons(page, 'tag:festival');
    expect(tagged.length).toBeGreaterThan(0);
    const box = (await page.locator('.map-box').boundingBox())!;
    expectPainted(await paintStats(browser, await page.screenshot({ clip: box })));
    await screenshot(page, 'trends-mobile-map');
    const report = await axe(page);
    expect(report.blocking).toEqual([]);
    await context.close();
  });
});
