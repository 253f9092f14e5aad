import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DESKTOP,
  MOBILE,
  SCREENSHOT_DIR,
  axe,
  expectPainted,
  launchBrowser,
  largestContentfulPaint,
  newContext,
  paintStats,
  screenshot,
  waitForMap
} from './harness';

// The board: a painted map (offline Berlin style), the feed list beside it, hexagons when the API has
// them, no serious/critical axe findings, and at most one feed request per settled map move.

let browser: Browser;
const metrics: Record<string, unknown> = {};

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  const dir = join(SCREENSHOT_DIR, '..', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'board-metrics.json'), JSON.stringify(metrics, null, 2));
  console.log('board metrics', metrics);
});

describe('board', () => {
  it('paints the map and the list, and passes axe (desktop)', async () => {
    const { context, problems } = await newContext(browser, DESKTOP);
    const page = await context.newPage();
    await page.goto('/', { waitUntil: 'load' });
    metrics.lcpMs = await largestContentfulPaint(page);
    metrics.mapReadyMs = await waitForMap(page);

    const pane = await page.locator('.map-pane').boundingBox();
    expect(pane).not.toBeNull();
    const png = await page.screenshot({ clip: pane! });
    const stats = await paintStats(browser, png);
    metrics.desktopPaint = stats;
    // A blank or grey canvas fails here: the offline style paints land, water, green and boundaries.
    expectPainted(stats);

    const rendered = await page.evaluate(() => {
      const map = window.__hexhoodMap!;
      const count = (layer: string) => (map.getLayer(layer) ? map.queryRenderedFeatures({ layers: [layer] }).length : -1);
      return {
        districtLines: count('district-lines'),
        water: count('water'),
        hexagons: count('hexagons-fill'),
        postMarkers: count('post-markers'),
        attribution: document.querySelector('.maplibregl-ctrl-attrib')?.textContent ?? ''
      };
    });
    metrics.rendered = { ...rendered, attribution: rendered.attribution.slice(0, 80) };
    expect(rendered.districtLines).toBeGreaterThan(0);
    expect(rendered.water).toBeGreaterThan(0);
    expect(rendered.attribution).toContain('OpenStreetMap');

    const hexagons = await page.locator('.board-map').getAttribute('data-hexagons');
    metrics.hexagonEndpoint = hexagons;
    expect(hexagons).toBe('available');
    expect(rendered.hexagons).toBeGreaterThan(0);

    const items = await page.locator('[role="feed"] article').count();
    metrics.feedItems = items;

    await screenshot(page, 'board-desktop');
    const report = await axe(page);
    metrics.axeDesktop = report.all;
    expect(report.blocking).toEqual([]);
    expect(problems.filter((p) => !/Failed to load resource/.test(p))).toEqual([]);
    await context.close();
  });

  it('issues at most one feed request per settled move', async () => {
    const { context } = await newContext(browser, DESKTOP);
    const page = await context.newPage();
    const feedRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/feed') feedRequests.push(request.url());
    });
    await page.goto('/', { waitUntil: 'load' });
    await waitForMap(page);
    expect(feedRequests).toHaveLength(0); // the first page came with the HTML

    const box = (await page.locator('.map-pane').boundingBox())!;
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    // One drag in many small steps: many move events, one settled move.
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    for (let i = 1; i <= 20; i++) await page.mouse.move(cx - i * 12, cy - i * 6);
    await page.mouse.up();
    await page.waitForTimeout(1500);
    metrics.feedRequestsAfterOneDrag = feedRequests.length;
    expect(feedRequests.length).toBe(1);

    // A burst of wheel zooming also settles into a single request.
    for (let i = 0; i < 5; i++) {
      await page.mouse.wheel(0, -120);
      await page.waitForTimeout(60);
    }
    await page.waitForTimeout(1500);
    metrics.feedRequestsAfterWheelBurst = feedRequests.length - 1;
    expect(feedRequests.length - 1).toBeLessThanOrEqual(1);
    await context.close();
  });

  it('works at 375 px wide (mobile)', async () => {
    const { context } = await newContext(browser, MOBILE);
    const page = await context.newPage();
    await page.goto('/', { waitUntil: 'load' });
    await waitForMap(page);
    const pane = (await page.locator('.map-pane').boundingBox())!;
    const stats = await paintStats(browser, await page.screenshot({ clip: pane }));
    metrics.mobilePaint = stats;
    expectPainted(stats);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'board-mobile');
    await screenshot(page, 'board-mobile-full', { fullPage: true });
    const report = await axe(page);
    expect(report.blocking).toEqual([]);
    await context.close();
  });
});
