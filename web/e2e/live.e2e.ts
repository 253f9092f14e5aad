import type { APIRequestContext } from '@playwright/test';
import { latLngToCell } from 'h3-js';
import { DESKTOP, apiClient, expect, expectAccessible, gotoReady, test, uniqueHandle } from './fixtures';

// Live updates in the browser: the board announces posts written after it loaded ("1 new post") and lists them on a
// click; a post page shows a comment written elsewhere without a reload. Writes go through the API as another resident.

test.use(DESKTOP);

// a quiet spot in the demo city (Tempelhofer Feld), so the seed's posts do not crowd the list
const place = { lat: 52.4736, lon: 13.4018 };

async function resident(): Promise<APIRequestContext> {
  const api = await apiClient();
  const handle = uniqueHandle();
  const res = await api.post('/api/auth/register', {
    data: { handle, displayName: `Live ${handle.slice(-4)}`, email: `${handle}@example.org`, password: 'correct horse battery staple' },
  });
  expect(res.status()).toBe(201);
  return api;
}

async function write(api: APIRequestContext, title: string): Promise<string> {
  const res = await api.post('/api/posts', { data: { kind: 'post', title, body: 'Written while you watched', location: place, precision: 9 } });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

test('the board shows "1 new post" for a post written after it loaded, and lists it on click', async ({ page, problems }) => {
  const author = await resident();
  await gotoReady(page, `/?lat=${place.lat}&lon=${place.lon}&z=15&r=500`);
  const title = `Live board post ${uniqueHandle().slice(-6)}`;
  await expect(page.getByRole('link', { name: title })).toHaveCount(0);
  // the stream is open once it said "ready"; a post written from then on must be announced
  await expect(page.locator('.feed-pane[data-live="ready"]')).toBeAttached({ timeout: 15_000 });
  await write(author, title);
  const banner = page.getByTestId('new-posts');
  await expect(banner).toHaveText(/1 new post/, { timeout: 15_000 });
  await banner.click();
  await expect(page.getByText(title)).toBeVisible();
  await expect(banner).toHaveCount(0);
  expect(problems).toEqual([]);
  await author.dispose();
});

test('a post page shows comments written elsewhere without a reload', async ({ page, problems }) => {
  const author = await resident();
  const postId = await write(author, `Lost cat near the field ${uniqueHandle().slice(-6)}`);
  await gotoReady(page, `/posts/${postId}`);
  await expect(page.getByRole('heading', { name: 'Comments (0)' })).toBeVisible();
  await expect(page.locator('[data-live="ready"]')).toBeAttached({ timeout: 15_000 });
  const neighbour = await resident();
  const res = await neighbour.post(`/api/posts/${postId}/comments`, { data: { body: 'Saw it by the old runway!' } });
  expect(res.status()).toBe(201);
  await expect(page.getByText('Saw it by the old runway!')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('heading', { name: 'Comments (1)' })).toBeVisible();
  expect(problems).toEqual([]);
  await author.dispose();
  await neighbour.dispose();
});

test('the notification bell counts a comment on my post live, and the notifications page marks it read', async ({ page, problems }) => {
  // sign up through the page's own request context, so the browser carries the session
  const handle = uniqueHandle();
  const reg = await page.request.post('/api/auth/register', {
    data: { handle, displayName: `Bell ${handle.slice(-4)}`, email: `${handle}@example.org`, password: 'correct horse battery staple' },
  });
  expect(reg.status()).toBe(201);
  const mine = await page.request.post('/api/posts', {
    data: { kind: 'question', title: `Who has a ladder? ${handle.slice(-5)}`, body: 'Two days', location: place },
  });
  const postId = ((await mine.json()) as { id: string }).id;

  await gotoReady(page, '/notifications');
  const bell = page.getByTestId('notification-bell');
  await expect(bell).toHaveAttribute('data-unread', '0');
  await expect(page.getByText('Nothing yet.')).toBeVisible();

  const neighbour = await resident();
  expect((await neighbour.post(`/api/posts/${postId}/comments`, { data: { body: 'I have one, come by!' } })).status()).toBe(201);
  await expect(bell).toHaveAttribute('data-unread', '1', { timeout: 15_000 });
  await expect(bell).toHaveAccessibleName('Notifications, 1 unread');

  await bell.click();
  await page.waitForURL('**/notifications');
  await page.reload();
  await expect(page.getByRole('link', { name: /commented on your post/ })).toBeVisible();
  await page.getByRole('button', { name: /Mark all read/ }).click();
  await expect(bell).toHaveAttribute('data-unread', '0');
  expect(problems).toEqual([]);
  await neighbour.dispose();
});

test('following a hexagon on the board notifies me about a new post there', async ({ page, problems }) => {
  const handle = uniqueHandle();
  const reg = await page.request.post('/api/auth/register', {
    data: { handle, displayName: `Follow ${handle.slice(-4)}`, email: `${handle}@example.org`, password: 'correct horse battery staple' },
  });
  expect(reg.status()).toBe(201);
  const spot = { lat: 52.4752, lon: 13.4066 };
  const cell = latLngToCell(spot.lat, spot.lon, 9);
  await gotoReady(page, `/?lat=${spot.lat}&lon=${spot.lon}&z=16&r=500&cell=${cell}`);
  await page.getByRole('button', { name: 'Notify me about new posts here' }).click();
  await expect(page.getByText('Following · manage')).toBeVisible();

  const neighbour = await resident();
  const title = `Water off tomorrow ${handle.slice(-5)}`;
  const res = await neighbour.post('/api/posts', { data: { kind: 'alert', title, body: '8–12 h', location: spot, precision: 9 } });
  expect(res.status()).toBe(201);
  const bell = page.getByTestId('notification-bell');
  await expect(bell).toHaveAttribute('data-unread', '1', { timeout: 15_000 });
  await gotoReady(page, '/notifications');
  await expect(page.getByRole('link', { name: new RegExp(`posted in an area you follow: “${title}”`) })).toBeVisible();
  await expect(page.getByRole('button', { name: /Stop following/ })).toBeVisible();
  await expectAccessible(page);
  expect(problems).toEqual([]);
  await neighbour.dispose();
});
