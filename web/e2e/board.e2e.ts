import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import {
  DESKTOP,
  MOBILE,
  expect,
  expectAccessible,
  expectNoOverflow,
  expectPaintedBox,
  largestContentfulPaint,
  recordLargestContentfulPaint,
  screenshot,
  test,
  waitForMap,
} from './fixtures';
import { BOARD_METRICS } from './paths';

// The board: a painted map (offline Berlin style), the feed list beside it, hexagons when the API has
// them, no serious/critical axe findings, and at most one feed request per settled map move.

const metrics: Record<string, unknown> = {};

// Merged into the run's file: a failed test restarts the worker, and with it this module.
test.afterAll(() => {
  const earlier = existsSync(BOARD_METRICS) ? (JSON.parse(readFileSync(BOARD_METRICS, 'utf8')) as Record<string, unknown>) : {};
  writeFileSync(BOARD_METRICS, JSON.stringify({ ...earlier, ...metrics }, null, 2));
});

const isFeed = (url: string) => new URL(url).pathname === '/api/feed';

/**
 * The board has settled after a move: the map stands still and the page has taken its final view (it writes
 * the view into the URL in the same step that decides whether to fetch), and no feed request is in flight.
 */
async function boardSettled(page: Page) {
  await expect
    .poll(() =>
      page.evaluate(() => {
        const map = window.__hexhoodMap!;
        if (map.isMoving()) return 'moving';
        const url = new URL(location.href).searchParams;
        const centre = map.getCenter();
        const taken =
          url.get('lat') === centre.lat.toFixed(5) && url.get('lon') === centre.lng.toFixed(5) && url.get('z') === map.getZoom().toFixed(2);
        return taken ? 'settled' : 'waiting for the settled view';
      }),
    )
    .toBe('settled');
  await expect(page.locator('.feed')).not.toHaveAttribute('aria-busy', 'true');
}

test.describe('board (desktop)', () => {
  test.use(DESKTOP);

  test('paints the map and the list, and passes axe', async ({ page, browser, problems }) => {
    await recordLargestContentfulPaint(page);
    await page.goto('/');
    metrics.mapReadyMs = await waitForMap(page);
    metrics.lcpMs = await largestContentfulPaint(page);

    // A blank or grey canvas fails here: the offline style paints land, water, green and boundaries.
    metrics.desktopPaint = (await expectPaintedBox(page, browser, '.map-pane')).stats;

    const rendered = await page.evaluate(() => {
      const map = window.__hexhoodMap!;
      const count = (layer: string) => (map.getLayer(layer) ? map.queryRenderedFeatures({ layers: [layer] }).length : -1);
      return {
        districtLines: count('district-lines'),
        water: count('water'),
        hexagons: count('hexagons-fill'),
        postMarkers: count('post-markers'),
        attribution: document.querySelector('.maplibregl-ctrl-attrib')?.textContent ?? '',
      };
    });
    metrics.rendered = { ...rendered, attribution: rendered.attribution.slice(0, 80) };
    expect(rendered.districtLines).toBeGreaterThan(0);
    expect(rendered.water).toBeGreaterThan(0);
    expect(rendered.attribution).toContain('OpenStreetMap');

    await expect(page.locator('.board-map')).toHaveAttribute('data-hexagons', 'available');
    metrics.hexagonEndpoint = 'available';
    expect(rendered.hexagons).toBeGreaterThan(0);

    const items = page.locator('[role="feed"] article');
    await expect(items.first()).toBeVisible();
    metrics.feedItems = await items.count();

    await screenshot(page, 'board-desktop', { reference: true });
    metrics.axeDesktop = (await expectAccessible(page)).all;
    expect(problems).toEqual([]);
  });

  test('issues one feed request per settled move', async ({ page }) => {
    const feedRequests: string[] = [];
    const feedStatuses: number[] = [];
    page.on('request', (request) => {
      if (isFeed(request.url())) feedRequests.push(request.url());
    });
    page.on('response', (response) => {
      if (isFeed(response.url())) feedStatuses.push(response.status());
    });
    await page.goto('/');
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
    await boardSettled(page);
    metrics.feedRequestsAfterOneDrag = feedRequests.length;
    expect(feedRequests).toHaveLength(1);
    await expect.poll(() => feedStatuses).toEqual([200]);

    // A burst of wheel zooming (around a point off-centre, so the centre moves well past the ~170 m the API
    // snaps origins to) also settles into one request. The five wheel events arrive in one task, as from a
    // flicked wheel: sent one by one from here they can be seconds apart on a busy machine, which makes them
    // separate settled moves. MapLibre starts zooming a frame later, so first see the zoom change, then wait
    // for the settled view.
    const zoom = () => page.evaluate(() => window.__hexhoodMap!.getZoom());
    const zoomBefore = await zoom();
    await page.evaluate(
      ({ x, y }) => {
        const target = window.__hexhoodMap!.getCanvasContainer();
        for (let i = 0; i < 5; i++) {
          target.dispatchEvent(new WheelEvent('wheel', { deltaY: -120, clientX: x, clientY: y, bubbles: true, cancelable: true }));
        }
      },
      { x: cx - 240, y: cy - 120 },
    );
    await expect.poll(zoom).toBeGreaterThan(zoomBefore + 0.5);
    await boardSettled(page);
    metrics.feedRequestsAfterWheelBurst = feedRequests.length - 1;
    expect(feedRequests).toHaveLength(2);
    await expect.poll(() => feedStatuses).toEqual([200, 200]);
  });
});

test.describe('board (mobile, 375 px)', () => {
  test.use(MOBILE);

  test('paints the map, fits the screen and passes axe', async ({ page, browser }) => {
    await page.goto('/');
    await waitForMap(page);
    metrics.mobilePaint = (await expectPaintedBox(page, browser, '.map-pane')).stats;
    await expectNoOverflow(page);
    await screenshot(page, 'board-mobile', { reference: true });
    await screenshot(page, 'board-mobile-full', { fullPage: true });
    await expectAccessible(page);
  });
});
