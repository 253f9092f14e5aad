import type { APIRequestContext, Page } from '@playwright/test';
import { DESKTOP, MOBILE, apiClient, expect, expectAccessible, expectNoOverflow, gotoReady, screenshot, test, uniqueHandle } from './fixtures';

// Follow, mute, block in the browser (issue 13): follow someone from their profile and see the "Following" mark and
// filter on the board; block someone from their profile (confirmed) and see their posts vanish from the board; lift
// the block from the settings list. Desktop and phone; axe on every page the feature adds to.

const PASSWORD = 'correct horse battery staple';

async function resident(prefix: string): Promise<{ api: APIRequestContext; handle: string }> {
  const api = await apiClient();
  const handle = uniqueHandle(prefix);
  const res = await api.post('/api/auth/register', {
    data: { handle, displayName: `Neighbour ${handle.slice(-4)}`, email: `${handle}@example.org`, password: PASSWORD },
  });
  expect(res.status()).toBe(201);
  return { api, handle };
}

async function write(api: APIRequestContext, title: string, at: { lat: number; lon: number }): Promise<void> {
  const res = await api.post('/api/posts', { data: { kind: 'post', title, body: 'Hof sale on Saturday', location: at, precision: 9 } });
  expect(res.status()).toBe(201);
}

const card = (page: Page, title: string) => page.locator('article.post-card', { hasText: title });

for (const [name, device, place] of [
  // quiet corners of the demo city (Tempelhofer Feld), one per device so the two runs do not meet
  ['desktop', DESKTOP, { lat: 52.4752, lon: 13.4085 }],
  ['phone', MOBILE, { lat: 52.4718, lon: 13.3962 }],
] as const) {
  test.describe(`follow, block, unblock (${name})`, () => {
    test.use(device);

    test('follow marks and filters; a block empties the board of them; settings lift it', async ({ page, problems }) => {
      const tag = uniqueHandle('t').slice(-6);
      const friend = await resident('fr');
      const pest = await resident('pe');
      const friendTitle = `Friend's Hof sale ${tag}`;
      const pestTitle = `Pest's Hof sale ${tag}`;
      await write(friend.api, friendTitle, place);
      await write(pest.api, pestTitle, place);
      // the browser's own session
      const me = uniqueHandle('me');
      const reg = await page.request.post('/api/auth/register', {
        data: { handle: me, displayName: `Me ${me.slice(-4)}`, email: `${me}@example.org`, password: PASSWORD },
      });
      expect(reg.status()).toBe(201);
      const board = `/?lat=${place.lat}&lon=${place.lon}&z=16&r=500`;

      // follow from the profile
      await gotoReady(page, `/u/${friend.handle}`);
      await expect(page.getByTestId('follower-count')).toHaveText('0');
      await page.getByRole('button', { name: 'Follow', exact: true }).click();
      await expect(page.getByRole('button', { name: 'Following · unfollow' })).toBeVisible();
      await expect(page.getByTestId('follower-count')).toHaveText('1');
      await expectAccessible(page);
      await expectNoOverflow(page);

      // the board: a "Following" mark on their post only; "Following only" leaves out everyone else
      await gotoReady(page, board);
      await expect(card(page, friendTitle)).toBeVisible();
      await expect(card(page, friendTitle).getByTestId('following-badge')).toHaveText('Following');
      await expect(card(page, pestTitle)).toBeVisible();
      await expect(card(page, pestTitle).getByTestId('following-badge')).toHaveCount(0);
      await page.getByLabel('Following only').check();
      await expect(card(page, pestTitle)).toHaveCount(0);
      await expect(card(page, friendTitle)).toBeVisible();
      await expect(page).toHaveURL(/following=1/);
      await expectAccessible(page);
      await screenshot(page, `social-board-following-${name}`);
      await page.getByLabel('Following only').uncheck();
      await expect(card(page, pestTitle)).toBeVisible();

      // block from their profile: asked first, then gone
      await gotoReady(page, `/u/${pest.handle}`);
      await page.getByText('Block…').click();
      await expect(page.getByText(/Neither of you will see the other’s posts/)).toBeVisible();
      await expectAccessible(page);
      await page.getByRole('button', { name: `Yes, block @${pest.handle}` }).click();
      await page.waitForURL(/\/me\/people/);
      await expect(page.getByRole('status')).toContainText(`You blocked @${pest.handle}`);
      await expect(page.getByTestId('blocked-list')).toContainText(`@${pest.handle}`);
      await expectAccessible(page);
      await expectNoOverflow(page);
      await screenshot(page, `social-settings-${name}`, { fullPage: true });

      await gotoReady(page, board);
      await expect(card(page, friendTitle)).toBeVisible();
      await expect(card(page, pestTitle)).toHaveCount(0);
      // their profile answers like a missing one
      const gone = await page.goto(`/u/${pest.handle}`);
      expect(gone?.status()).toBe(404);

      // unblock from settings: back on the board
      await gotoReady(page, '/me/people');
      await page.getByRole('button', { name: `Unblock @${pest.handle}` }).click();
      await expect(page.getByTestId('blocked-list')).toHaveCount(0);
      await gotoReady(page, board);
      await expect(card(page, pestTitle)).toBeVisible();
      expect(problems).toEqual([]);
      await friend.api.dispose();
      await pest.api.dispose();
    });
  });
}

test.describe('follow, mute, block without JavaScript', () => {
  test.use({ ...DESKTOP, javaScriptEnabled: false });

  test('the profile and settings forms work as plain form posts', async ({ page, problems }) => {
    const other = await resident('nj');
    const me = uniqueHandle('mj');
    const reg = await page.request.post('/api/auth/register', {
      data: { handle: me, displayName: `Me ${me.slice(-4)}`, email: `${me}@example.org`, password: PASSWORD },
    });
    expect(reg.status()).toBe(201);
    await page.goto(`/u/${other.handle}`);
    await page.getByRole('button', { name: 'Follow', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Following · unfollow' })).toBeVisible();
    await page.getByRole('button', { name: 'Mute', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Muted · unmute' })).toBeVisible();
    // <details> opens without JavaScript: the confirmation is a second, explicit click
    await page.getByText('Block…').click();
    await page.getByRole('button', { name: `Yes, block @${other.handle}` }).click();
    await page.waitForURL(/\/me\/people/);
    await expect(page.getByTestId('blocked-list')).toContainText(`@${other.handle}`);
    await page.getByRole('button', { name: `Unblock @${other.handle}` }).click();
    await expect(page.getByTestId('blocked-list')).toHaveCount(0);
    await page.getByRole('button', { name: `Unmute @${other.handle}` }).click();
    await expect(page.getByTestId('muted-list')).toHaveCount(0);
    expect(problems).toEqual([]);
    await other.api.dispose();
  });
});
