import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { test as base, expect, request, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { REFERENCE_DIR, SCREENSHOT_DIR } from './paths';

// Shared pieces of the browser tests: viewports, a `problems` fixture, map readiness, paint checks, axe.

export { expect };

export const DESKTOP = { viewport: { width: 1280, height: 800 } };
export const MOBILE = {
  viewport: { width: 375, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

export const test = base.extend<{ problems: string[] }>({
  /** Uncaught errors and console errors of every page in the test's context (network 4xx logs aside). */
  problems: async ({ page, context }, use) => {
    const problems: string[] = [];
    const watch = (p: Page) => {
      p.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      p.on('console', (msg) => {
        if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`console: ${msg.text()}`);
      });
    };
    watch(page);
    context.on('page', watch);
    await use(problems);
  },
});

/** An HTTP client for the app under test, for hooks (beforeAll has no `request` fixture). */
export function apiClient(): Promise<APIRequestContext> {
  return request.newContext({ baseURL: process.env.BASE_URL });
}

/** Navigates and waits until SvelteKit has hydrated (forms are enhanced, handlers attached). */
export async function gotoReady(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page.locator('html[data-hydrated="true"]')).toBeAttached({ timeout: 20_000 });
}

/**
 * Waits for the page's MapLibre map to be loaded and idle: every source parsed, tiles drawn, nothing
 * moving. Resolves on MapLibre's own `idle` event, so it never waits longer than the map needs.
 */
export async function waitForMap(page: Page, timeout = 60_000): Promise<number> {
  const started = Date.now();
  await expect(page.locator('[data-map-state="ready"]').first()).toBeAttached({ timeout });
  await page.waitForFunction(() => Boolean(window.__hexhoodMap), null, { timeout });
  await mapIdle(page);
  return Date.now() - started;
}

/** Resolves when the current map is idle (now, or at its next `idle` event). */
export function mapIdle(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = window.__hexhoodMap!;
        if (map.loaded() && !map.isMoving() && map.areTilesLoaded()) resolve();
        else map.once('idle', () => resolve());
      }),
  );
}

export interface PaintStats {
  /** Share of pixels that are clearly coloured (not white/grey/black). */
  colouredShare: number;
  /** Distinct colours after quantising to 4 bits per channel. */
  distinctColours: number;
  /** Share of the most common (quantised) colour: ~1 for a blank or single-colour canvas. */
  dominantShare: number;
}

/**
 * Measures how much a screenshot is actually painted. WebGL canvases read back blank unless the map
 * keeps its drawing buffer, so the PNG from page.screenshot() is decoded in a scratch page instead.
 */
export async function paintStats(browser: Browser, png: Buffer): Promise<PaintStats> {
  const scratch = await browser.newPage();
  try {
    return await scratch.evaluate(async (base64) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(image, 0, 0);
      const { data } = ctx.getImageData(0, 0, image.width, image.height);
      let coloured = 0;
      const colours = new Map<number, number>();
      for (let i = 0; i < data.length; i += 4) {
        const r = data[i]!;
        const g = data[i + 1]!;
        const b = data[i + 2]!;
        if (Math.max(r, g, b) - Math.min(r, g, b) > 12) coloured++;
        const key = ((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4);
        colours.set(key, (colours.get(key) ?? 0) + 1);
      }
      const pixels = data.length / 4;
      return {
        colouredShare: coloured / pixels,
        distinctColours: colours.size,
        dominantShare: Math.max(...colours.values()) / pixels,
      };
    }, png.toString('base64'));
  } finally {
    await scratch.close();
  }
}

/**
 * Share of pixels that differ clearly between two screenshots of the same size: e.g. the map with and
 * without an overlay layer, which proves the layer itself painted (not just the base map).
 */
export async function pixelDifference(browser: Browser, a: Buffer, b: Buffer): Promise<number> {
  const scratch = await browser.newPage();
  try {
    return await scratch.evaluate(
      async ([first, second]) => {
        const pixels = async (base64: string) => {
          const image = new Image();
          image.src = `data:image/png;base64,${base64}`;
          await image.decode();
          const canvas = document.createElement('canvas');
          canvas.width = image.width;
          canvas.height = image.height;
          const ctx = canvas.getContext('2d')!;
          ctx.drawImage(image, 0, 0);
          return ctx.getImageData(0, 0, image.width, image.height).data;
        };
        const [x, y] = await Promise.all([pixels(first), pixels(second)]);
        if (x.length !== y.length) throw new Error('screenshots differ in size');
        let changed = 0;
        for (let i = 0; i < x.length; i += 4) {
          const delta = Math.max(Math.abs(x[i]! - y[i]!), Math.abs(x[i + 1]! - y[i + 1]!), Math.abs(x[i + 2]! - y[i + 2]!));
          if (delta > 24) changed++;
        }
        return changed / (x.length / 4);
      },
      [a.toString('base64'), b.toString('base64')] as const,
    );
  } finally {
    await scratch.close();
  }
}

/**
 * A painted map: many colours, not one colour covering everything, and clearly coloured areas. The
 * offline style's land is a warm beige that counts as coloured; the page background, the map's
 * background layer and an empty canvas do not.
 */
export function expectPainted(stats: PaintStats): void {
  const message = `map looks blank or unpainted: ${JSON.stringify(stats)}`;
  expect(stats.distinctColours, message).toBeGreaterThanOrEqual(40);
  expect(stats.dominantShare, message).toBeLessThanOrEqual(0.97);
  expect(stats.colouredShare, message).toBeGreaterThanOrEqual(0.3);
}

/** Screenshots an element's box (e.g. the map pane) and checks that it is painted. */
export async function expectPaintedBox(page: Page, browser: Browser, selector: string) {
  const box = await page.locator(selector).boundingBox();
  expect(box, `${selector} has no box`).not.toBeNull();
  const png = await page.screenshot({ clip: box! });
  const stats = await paintStats(browser, png);
  expectPainted(stats);
  return { png, stats, box: box! };
}

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** Runs axe-core with the WCAG 2.0/2.1 A and AA rules; returns the serious and critical findings, and all ids. */
export async function axe(page: Page): Promise<{ blocking: AxeFinding[]; all: { id: string; impact: string | null | undefined }[] }> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const blocking = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  return { blocking, all: result.violations.map((v) => ({ id: v.id, impact: v.impact })) };
}

/** No serious or critical axe findings on the page as it is now. */
export async function expectAccessible(page: Page) {
  const report = await axe(page);
  expect(report.blocking, `axe findings on ${page.url()}`).toEqual([]);
  return report;
}

/** Nothing sticks out sideways (no horizontal scrolling on phones). */
export async function expectNoOverflow(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'horizontal overflow in px').toBeLessThanOrEqual(0);
}

/**
 * Saves a screenshot under e2e/.artifacts/screenshots/ (every run). `reference` ones are also written to
 * e2e/reference/ when E2E_UPDATE_REFERENCE=1 — only when the UI changed on purpose, so git stays quiet otherwise.
 */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean; reference?: boolean } = {}): Promise<Buffer> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Full-page shots of a scrolled page draw the sticky header mid-page.
  if (options.fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  const png = await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: options.fullPage ?? false });
  if (options.reference && process.env.E2E_UPDATE_REFERENCE === '1') {
    mkdirSync(REFERENCE_DIR, { recursive: true });
    writeFileSync(join(REFERENCE_DIR, `${name}.png`), png);
  }
  return png;
}

/** Records Largest Contentful Paint candidates from the first byte on; call before page.goto. */
export async function recordLargestContentfulPaint(page: Page): Promise<void> {
  await page.addInitScript(() => {
    new PerformanceObserver((list) => {
      const entries = list.getEntries();
      (window as unknown as { __lcp?: number }).__lcp = entries[entries.length - 1]!.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
}

/** The page's Largest Contentful Paint so far, once Chromium has reported one (see recordLargestContentfulPaint). */
export async function largestContentfulPaint(page: Page): Promise<number> {
  const read = () => page.evaluate(() => (window as unknown as { __lcp?: number }).__lcp ?? -1);
  await expect.poll(read, { message: 'no largest-contentful-paint entry' }).toBeGreaterThan(0);
  return read();
}

export function uniqueHandle(prefix = 'e2e'): string {
  return `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`.slice(0, 30);
}

// --- demo accounts (the demo seed: every account's password is the same) ---
export const DEMO_PASSWORD = 'hexhood-demo';

/** Signs a page in through the sign-in form and waits until it has left it. */
export async function signIn(page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  await gotoReady(page, '/login');
  await page.getByLabel('Handle or email').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

/** A page of its own (a new browser context at this viewport), signed in. */
export async function signedIn(browser: Browser, login: string, password = DEMO_PASSWORD, viewport = DESKTOP): Promise<Page> {
  const context = await browser.newContext({ ...viewport, baseURL: process.env.BASE_URL?.replace(/\/$/, '') });
  const page = await context.newPage();
  await signIn(page, login, password);
  return page;
}
