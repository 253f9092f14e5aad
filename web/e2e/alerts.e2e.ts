import type { Page } from '@playwright/test';
import {
  MOBILE,
  DEMO_PASSWORD,
  apiClient,
  signedIn,
  expect,
  expectAccessible,
  expectNoOverflow,
  gotoReady,
  screenshot,
  test,
  uniqueHandle,
  waitForMap,
} from './fixtures';

// Official alerts (issue 13) in the browser against the seeded demo city: a resident watches the board near
// Alexanderplatz → the Mitte moderator posts an urgent alert for the Ortsteil Mitte → it appears pinned on the
// resident's board without a reload → the resident presses "Seen" → the alert page shows it; on a phone too.

test.describe.configure({ mode: 'serial' });

const PASSWORD = 'correct horse battery staple';
const ALEX = { lat: 52.5219, lon: 13.4132 };
const BOARD = `/?lat=${ALEX.lat}&lon=${ALEX.lon}&z=15&r=1000`;
const residents = [uniqueHandle('alres'), uniqueHandle('alphone')];
const title = `Water off around Alexanderplatz ${residents[0]!.slice(-5)}`;
let alertId = '';

test.beforeAll(async () => {
  const api = await apiClient();
  for (const handle of residents) {
    const res = await api.post('/api/auth/register', {
      data: { handle, displayName: `E2E ${handle}`, email: `${handle}@example.org`, password: PASSWORD },
    });
    expect(res.status(), await res.text()).toBe(201);
    expect((await api.put('/api/me/home', { data: ALEX })).status()).toBe(200);
    await api.post('/api/auth/logout');
  }
  await api.dispose();
});

const pinnedAlert = (page: Page) => page.getByTestId('pinned-alerts').getByRole('article', { name: title });

test('a moderator posts an alert; it appears pinned on a resident’s board live, and the resident acknowledges it', async ({ browser, problems }) => {
  test.setTimeout(300_000);

  // The resident is already looking at the board when the alert goes out.
  const resident = await signedIn(browser, residents[0]!, PASSWORD);
  await gotoReady(resident, BOARD);
  await expect(resident.locator('.feed-pane[data-live="ready"]')).toBeAttached({ timeout: 30_000 });
  await expect(pinnedAlert(resident)).toHaveCount(0);

  // The Mitte moderator writes it from the moderation page.
  const mod = await signedIn(browser, 'mod_mitte', DEMO_PASSWORD);
  await gotoReady(mod, '/moderation');
  await mod.getByRole('link', { name: 'New alert' }).click();
  await mod.waitForURL('**/moderation/alerts');
  await expect(mod.getByRole('heading', { name: 'New alert' })).toBeVisible();
  // a region outside Mitte is not offered
  await expect(mod.getByLabel('Region', { exact: true }).locator('option', { hasText: 'Pankow' })).toHaveCount(0);
  await expectAccessible(mod);
  // drawing: a click on the map adds that hexagon to the list (and chooses "Hexagons"), a second click removes it
  await waitForMap(mod);
  const canvas = mod.locator('.draw-map canvas');
  await canvas.click();
  await expect(mod.getByLabel(/^Hexagons \(H3 cells/)).toHaveValue(/^8[0-9a-f]{14}$/);
  await expect(mod.getByRole('radio', { name: 'Hexagons inside my regions' })).toBeChecked();
  await canvas.click();
  await expect(mod.getByLabel(/^Hexagons \(H3 cells/)).toHaveValue('');
  // refused input comes back with the field marked
  await mod.getByRole('button', { name: 'Post alert' }).click();
  await expect(mod.getByText('Give the alert a title.')).toBeVisible();
  // (a full page load without JavaScript's help: let it hydrate before typing, or hydration resets the fields)
  await expect(mod.locator('html[data-hydrated="true"]')).toBeAttached({ timeout: 20_000 });
  await mod.getByLabel('Title').fill(title);
  await mod.getByLabel('What people need to know').fill('A main pipe burst. Water is off until the evening; a tanker stands at the fountain.');
  await mod.getByRole('radio', { name: /Urgent/ }).check();
  await mod.getByLabel('Runs for').selectOption({ label: '12 hours' });
  await mod.getByLabel('Link for more information').fill('https://www.bwb.de/');
  await mod.getByRole('radio', { name: 'One of my regions' }).check();
  await mod.getByLabel('Region', { exact: true }).selectOption({ label: 'Mitte (neighbourhood)' });
  await screenshot(mod, 'alert-new-desktop', { fullPage: true });
  await mod.getByRole('button', { name: 'Post alert' }).click();
  await mod.waitForURL(/\/alerts\/\d+$/);
  alertId = mod.url().split('/').pop()!;
  await expect(mod.getByRole('heading', { name: title })).toBeVisible();
  await expect(mod.getByText('Official alert · Moderators of Mitte')).toBeVisible();
  await expect(mod.getByTestId('seen-count')).toHaveText('Fewer than 10 neighbours saw this');
  await expectAccessible(mod);

  // Pinned on the resident's board without a reload, marked urgent in words, above the posts.
  const pinned = pinnedAlert(resident);
  await expect(pinned).toBeVisible({ timeout: 20_000 });
  await expect(pinned.getByText('Urgent', { exact: true })).toBeVisible();
  const pinBox = await pinned.boundingBox();
  const listBox = await resident.locator('.feed-pane').getByRole('list').first().boundingBox();
  if (pinBox && listBox) expect(pinBox.y).toBeLessThan(listBox.y);
  await screenshot(resident, 'alert-pinned-board-desktop');
  await expectAccessible(resident);

  // "Seen" once: the button gives way to the acknowledgement, and stays so after a reload.
  await pinned.getByRole('button', { name: 'Seen — got it' }).click();
  await expect(pinned.getByTestId('seen-done')).toBeVisible();
  await expect(pinned.getByRole('button', { name: 'Seen — got it' })).toHaveCount(0);
  await gotoReady(resident, BOARD);
  await expect(pinnedAlert(resident).getByTestId('seen-done')).toBeVisible();

  // The alert page, from the pin's title.
  await pinnedAlert(resident).getByRole('link', { name: title }).click();
  await resident.waitForURL(`**/alerts/${alertId}`);
  await expect(resident.getByRole('link', { name: /More information/ })).toHaveAttribute('href', 'https://www.bwb.de/');
  await expect(resident.getByTestId('seen-done')).toBeVisible();
  await expectAccessible(resident);

  // The bell: the resident lives inside, so the worker told them.
  await expect
    .poll(
      async () =>
        (await resident.request.get('/api/notifications')).json().then((b) => b.items.some((n: { postId: string }) => n.postId === alertId)),
      {
        timeout: 20_000,
      },
    )
    .toBe(true);
  await gotoReady(resident, '/notifications');
  await expect(resident.getByRole('link', { name: new RegExp(`Official alert:.*${title}`) })).toHaveAttribute('href', `/alerts/${alertId}`);
  expect(problems).toEqual([]);
});

test('on a phone: pinned on the board, acknowledged, fits the screen and passes axe', async ({ browser, problems }) => {
  test.setTimeout(180_000);
  const phone = await signedIn(browser, residents[1]!, PASSWORD, MOBILE);
  await gotoReady(phone, BOARD);
  const pinned = pinnedAlert(phone);
  await pinned.scrollIntoViewIfNeeded();
  await expect(pinned).toBeVisible({ timeout: 20_000 });
  await expectNoOverflow(phone);
  await expectAccessible(phone);
  await pinned.getByRole('button', { name: 'Seen — got it' }).click();
  await expect(pinned.getByTestId('seen-done')).toBeVisible();
  await screenshot(phone, 'alert-pinned-board-mobile', { fullPage: true });
  await gotoReady(phone, `/alerts/${alertId}`);
  await expect(phone.getByRole('heading', { name: title })).toBeVisible();
  await expectNoOverflow(phone);
  await expectAccessible(phone);
  await screenshot(phone, 'alert-page-mobile', { fullPage: true });

  // its author ends it: gone from the pins, still readable at its address
  const mod = await signedIn(browser, 'mod_mitte', DEMO_PASSWORD, MOBILE);
  await gotoReady(mod, `/alerts/${alertId}`);
  await mod.getByRole('button', { name: 'End this alert now' }).click();
  await expect(mod.getByText('The alert has ended')).toBeVisible();
  await expect(mod.getByText(/^Ended /)).toBeVisible();
  await gotoReady(phone, BOARD);
  await expect(pinnedAlert(phone)).toHaveCount(0);
  expect(problems).toEqual([]);
});

// The alert sits on the demo board's default centre: never leave it pinned for the browser tests that follow.
test.afterAll(async () => {
  if (!alertId) return;
  const api = await apiClient();
  await api.post('/api/auth/login', { data: { login: 'mod_mitte', password: DEMO_PASSWORD } });
  await api.post(`/api/alerts/${alertId}/end`);
  await api.dispose();
});
