import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

// Shared helpers for the browser tests: Debian's chromium through playwright-core, WebGL via SwiftShader.

// BASE_URL is read in global-setup.ts: inside test files Vite/Vitest reuse that name for `base` ("/").
export const BASE_URL = inject('baseUrl').replace(/\/$/, '');
export const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

/** Exactly these flags: headless WebGL through ANGLE + SwiftShader, nothing that phones home. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader'
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
    chromiumSandbox: false
  });
}

export const DESKTOP = { viewport: { width: 1280, height: 800 } };
export const MOBILE = {
  viewport: { width: 375, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true
};

/** A context whose console errors and failed same-origin requests are collected for assertions. */
export async function newContext(browser: Browser, options = DESKTOP) {
  const context = await browser.newContext({ ...options, baseURL: BASE_URL, locale: 'en-GB', timezoneId: 'Europe/Berlin' });
  const problems: string[] = [];
  context.on('page', (page) => watchPage(page, problems));
  return { context, problems };
}

function watchPage(page: Page, problems: string[]) {
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
}

/** Navigates and waits until SvelteKit has hydrated (forms are enhanced, handlers attached). */
export async function gotoReady(page: Page, path: string): Promise<void> {
  await page.goto(path, { waitUntil: 'load' });
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached', timeout: 20_000 });
}

export async function openPage(context: BrowserContext, path: string): Promise<Page> {
  const page = await context.newPage();
  await gotoReady(page, path);
  return page;
}

/** Waits for the page's MapLibre map to fire `load` and settle (all sources parsed, nothing moving). */
export async function waitForMap(page: Page, timeout = 30_000): Promise<number> {
  const started = Date.now();
  await page.locator('[data-map-state="ready"]').first().waitFor({ timeout });
  await page.waitForFunction(() => Boolean(window.__hexhoodMap), null, { timeout });
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = window.__hexhoodMap!;
        const done = () => (map.loaded() && !map.isMoving() ? resolve() : map.once('idle', () => resolve()));
        done();
        setTimeout(resolve, 10_000);
      })
  );
  return Date.now() - started;
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
        dominantShare: Math.max(...colours.values()) / pixels
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
      [a.toString('base64'), b.toString('base64')] as const
    );
  } finally {
    await scratch.close();
  }
}

export interface AxeSummary {
  blocking: { id: string; impact: string; help: string; nodes: string[] }[];
  all: { id: string; impact: string | null | undefined }[];
}

/** Runs axe-core with the WCAG 2.0/2.1 A and AA rules; serious and critical findings block. */
export async function axe(page: Page): Promise<AxeSummary> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const blocking = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact ?? '', help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  return { blocking, all: result.violations.map((v) => ({ id: v.id, impact: v.impact })) };
}

/**
 * A painted map: many colours, not one colour covering everything, and clearly coloured areas. The
 * offline style's land is a warm beige that counts as coloured; the page background, the map's
 * background layer and an empty canvas do not.
 */
export function expectPainted(stats: PaintStats): void {
  if (stats.distinctColours < 40 || stats.dominantShare > 0.97 || stats.colouredShare < 0.3) {
    throw new Error(`map looks blank or unpainted: ${JSON.stringify(stats)}`);
  }
}

export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<Buffer> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Full-page shots of a scrolled page draw the sticky header mid-page.
  if (options.fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  return page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: options.fullPage ?? false });
}

/** Largest Contentful Paint of the current page, from Chromium's performance timeline. */
export function largestContentfulPaint(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const entries = list.getEntries();
          resolve(entries[entries.length - 1]!.startTime);
        }).observe({ type: 'largest-contentful-paint', buffered: true });
        setTimeout(() => resolve(-1), 3000);
      })
  );
}

/** True when a real API answers under BASE_URL (GET /api/me says 200 or 401 as problem+json/JSON). */
export async function apiAvailable(): Promise<boolean> {
  try {
    const response = await fetch(`${BASE_URL}/api/me`, { signal: AbortSignal.timeout(3000) });
    return (response.status === 200 || response.status === 401) && /json/.test(response.headers.get('content-type') ?? '');
  } catch {
    return false;
  }
}

export function uniqueHandle(prefix = 'e2e'): string {
  return `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`.slice(0, 30);
}
