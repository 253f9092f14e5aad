import type { APIRequestContext } from '@playwright/test';
import { DESKTOP, apiClient, expect, gotoReady, test, uniqueHandle } from './fixtures';

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
