import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP, MOBILE, axe, launchBrowser, newContext, screenshot } from './harness';

// Pages that render without a signed-in user: sign in and sign up (both viewports), and the
// redirects that protect compose and profile.

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

describe.each([
  ['desktop', DESKTOP],
  ['mobile', MOBILE]
] as const)('public pages (%s)', (name, viewport) => {
  it.each(['login', 'signup'])('/%s renders, has labelled fields and passes axe', async (path) => {
    const { context } = await newContext(browser, viewport);
    const page = await context.newPage();
    await page.goto(`/${path}`, { waitUntil: 'load' });
    await expect(page.locator('h1').textContent()).resolves.toBeTruthy();
    const unlabelled = await page.evaluate(
      () => [...document.querySelectorAll('input:not([type=hidden]), textarea, select')].filter((el) => !(el as HTMLInputElement).labels?.length).length
    );
    expect(unlabelled).toBe(0);
    await screenshot(page, `${path}-${name}`);
    expect((await axe(page)).blocking).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
});

describe('protected pages', () => {
  it.each(['/compose', '/me'])('%s sends signed-out visitors to sign in', async (path) => {
    const { context } = await newContext(browser, DESKTOP);
    const page = await context.newPage();
    await page.goto(path, { waitUntil: 'load' });
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(path);
    await context.close();
  });
});
