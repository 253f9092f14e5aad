import { DESKTOP, MOBILE, expect, expectAccessible, expectNoOverflow, screenshot, test } from './fixtures';

// Pages that render without a signed-in user: sign in and sign up (both viewports), and the
// redirects that protect compose and profile.

for (const [name, viewport] of [
  ['desktop', DESKTOP],
  ['mobile', MOBILE],
] as const) {
  test.describe(`public pages (${name})`, () => {
    test.use(viewport);

    for (const path of ['login', 'signup']) {
      test(`/${path} renders, has labelled fields and passes axe`, async ({ page }) => {
        await page.goto(`/${path}`);
        await expect(page.locator('h1')).not.toBeEmpty();
        const unlabelled = await page.evaluate(
          () =>
            [...document.querySelectorAll('input:not([type=hidden]), textarea, select')].filter((el) => !(el as HTMLInputElement).labels?.length)
              .length,
        );
        expect(unlabelled).toBe(0);
        await screenshot(page, `${path}-${name}`);
        await expectAccessible(page);
        await expectNoOverflow(page);
      });
    }
  });
}

test.describe('protected pages', () => {
  for (const path of ['/compose', '/me']) {
    test(`${path} sends signed-out visitors to sign in`, async ({ page }) => {
      await page.goto(path);
      await expect(page).toHaveURL((url) => url.pathname === '/login' && url.searchParams.get('next') === path);
    });
  }
});
