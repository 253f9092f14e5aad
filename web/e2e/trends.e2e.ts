import type { Page } from '@playwright/test';
import {
  DESKTOP,
  MOBILE,
  expect,
  expectAccessible,
  expectNoOverflow,
  expectPaintedBox,
  gotoReady,
  mapIdle,
  pixelDifference,
  screenshot,
  test,
  waitForMap,
} from './fixtures';

// Trends for the seeded demo city: the street festival rising in Friedrichshain-Kreuzberg (last three
// days) and construction works ("baustelle") in Pankow this week; the interest heat map paints
// hexagons, follows the metric switch and a clicked trending tag, and explains the k-anonymity rule.

const heat = (page: Page) => page.locator('[data-heat-state]');

async function trend(page: Page, tag: string) {
  const item = page.locator(`.trend[data-tag="${tag}"]`);
  await expect(item).toBeVisible();
  const count = Number(await item.locator('.numbers strong').textContent());
  return { item, count, rising: await item.getAttribute('data-rising'), text: (await item.textContent()) ?? '' };
}

/** Waits for the heat map to show `metric`, then returns the hexagons MapLibre actually rendered. */
async function renderedHexagons(page: Page, metric: string) {
  await expect(heat(page)).toHaveAttribute('data-heat-metric', metric, { timeout: 20_000 });
  await expect(heat(page)).toHaveAttribute('data-heat-state', 'ready', { timeout: 20_000 });
  await mapIdle(page);
  return page.evaluate(() =>
    window.__hexhoodMap!.queryRenderedFeatures({ layers: ['heat-fill'] }).map((f) => {
      const ring = (f.geometry as { coordinates: number[][][] }).coordinates[0]!;
      return {
        cell: String(f.properties.cell),
        value: Number(f.properties.value),
        lat: ring.reduce((sum, p) => sum + p[1]!, 0) / ring.length,
      };
    }),
  );
}

test.describe('trends (desktop)', () => {
  test.use(DESKTOP);

  test('shows rising tags for the demo city and a painted heat map that follows the metric and tag', async ({ page, browser, problems }) => {
    // The festival: rising in Friedrichshain-Kreuzberg over the last 24 hours.
    await gotoReady(page, '/trends?area=friedrichshain-kreuzberg&window=24h');
    await expect(page.locator('#rising-heading')).toHaveText('Rising in Friedrichshain-Kreuzberg');
    const festival = await trend(page, 'festival');
    expect(festival.rising).toBe('true');
    expect(festival.text).toContain('Rising');
    expect(festival.count).toBeGreaterThanOrEqual(5);
    expect(festival.text).toMatch(/in the last 24 hours; usually (less than 1|almost never|about [\d.]+)/);

    // Switch to Pankow and the 7-day window with the form: construction works are rising there.
    await page.getByLabel('Where', { exact: true }).selectOption('pankow');
    await page.getByLabel('Last 7 days').check();
    await page.waitForURL(/area=pankow.*window=7d|window=7d.*area=pankow/);
    await expect(page.locator('#rising-heading')).toHaveText('Rising in Pankow');
    const baustelle = await trend(page, 'baustelle');
    expect(baustelle.rising).toBe('true');
    expect(baustelle.count).toBeGreaterThanOrEqual(20);
    // The festival was in another district: not a top trend of Pankow.
    await expect(page.locator('.trend[data-rising="true"]').first()).toHaveAttribute('data-tag', 'baustelle');

    // The heat map: hexagons rendered, and they are what paints the map (with vs without the layer).
    await waitForMap(page);
    // The map opened on Friedrichshain-Kreuzberg and moved to Pankow (north), outlining it.
    await expect.poll(() => page.evaluate(() => window.__hexhoodMap!.getCenter().lat)).toBeGreaterThan(52.53);
    await expect.poll(() => page.evaluate(() => JSON.stringify(window.__hexhoodMap!.getFilter('trend-area-outline')))).toContain('"Pankow"');
    const posts = await renderedHexagons(page, 'posts');
    expect(posts.length).toBeGreaterThan(5);
    const { png: withHeat, box } = await expectPaintedBox(page, browser, '.map-box');
    await page.evaluate(() => {
      const map = window.__hexhoodMap!;
      for (const layer of ['heat-fill', 'heat-line']) map.setLayoutProperty(layer, 'visibility', 'none');
    });
    await mapIdle(page);
    const withoutHeat = await page.screenshot({ clip: box });
    // Pale low-value cells barely differ from the land colour; a layer that drew nothing gives ~0.
    expect(await pixelDifference(browser, withHeat, withoutHeat)).toBeGreaterThan(0.05);
    await page.evaluate(() => {
      const map = window.__hexhoodMap!;
      for (const layer of ['heat-fill', 'heat-line']) map.setLayoutProperty(layer, 'visibility', 'visible');
    });

    // Legend and privacy note.
    await expect(page.locator('.legend')).toContainText('Areas with fewer than 10 people are hidden');
    const maxValue = await page.evaluate(() => Math.max(...window.__hexhoodMap!.querySourceFeatures('heat').map((f) => Number(f.properties.value))));
    expect(maxValue).toBeGreaterThanOrEqual(Math.max(...posts.map((p) => p.value)));
    await expect(page.locator('.ticks span.end')).toHaveText(maxValue.toLocaleString('en-GB'));

    // Clicking the trending tag maps it: the busiest baustelle hexagon lies in Pankow (north of ~52.53°).
    await page.locator('.trend[data-tag="baustelle"] .map-link').click();
    const tagged = await renderedHexagons(page, 'tag:baustelle');
    expect(tagged.length).toBeGreaterThan(0);
    const busiest = tagged.reduce((a, b) => (b.value > a.value ? b : a));
    expect(busiest.lat).toBeGreaterThan(52.53);
    await expect(page).toHaveURL((url) => url.searchParams.get('metric') === 'tag:baustelle');
    await expect(page.getByRole('radio', { name: '#baustelle' })).toBeChecked();
    await expect(page.locator('.trend[data-tag="baustelle"] .map-link')).toHaveAttribute('aria-current', 'true');

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
    await expectAccessible(page);
    expect(problems).toEqual([]);
  });

  test('opens from the board around the map centre', async ({ page }) => {
    await gotoReady(page, '/');
    await page.getByRole('link', { name: 'Trends' }).click();
    await page.waitForURL(/\/trends\?lat=[\d.]+&lon=[\d.]+/);
    await expect(page.locator('#rising-heading')).toHaveText('Rising around the map centre');
    await expect(page.locator('#area')).toHaveValue('centre');
  });
});

test.describe('trends (mobile, 375 px)', () => {
  test.use(MOBILE);

  test('fits the screen, shows the festival rising and a painted map, passes axe', async ({ page, browser }) => {
    await gotoReady(page, '/trends?area=friedrichshain-kreuzberg&window=7d');
    expect((await trend(page, 'festival')).rising).toBe('true');
    await expectNoOverflow(page);
    await screenshot(page, 'trends-mobile');

    await page.locator('.trend[data-tag="festival"] .map-link').tap();
    await waitForMap(page);
    const tagged = await renderedHexagons(page, 'tag:festival');
    expect(tagged.length).toBeGreaterThan(0);
    await expectPaintedBox(page, browser, '.map-box');
    await screenshot(page, 'trends-mobile-map');
    await expectAccessible(page);
  });
});
