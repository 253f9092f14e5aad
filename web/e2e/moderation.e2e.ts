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
} from './fixtures';

// The moderation loop (issue 11) in the browser against the seeded demo city: a resident reports a post in Mitte →
// the Mitte moderator hides it with a reason → it is gone for residents → the author appeals → a second Mitte
// moderator grants the appeal (the post is back) → Mitte's public log shows both actions.

test.describe.configure({ mode: 'serial' });

const PASSWORD = 'correct horse battery staple';
const author = uniqueHandle('author');
const resident = uniqueHandle('resident');
const title = `Loud party every night ${author.slice(-6)}`;
let postId = '';

/** Registers through the API and writes a post near Alexanderplatz (Mitte). */
test.beforeAll(async () => {
  const api = await apiClient();
  for (const handle of [author, resident]) {
    const res = await api.post('/api/auth/register', {
      data: { handle, displayName: `E2E ${handle}`, email: `${handle}@example.org`, password: PASSWORD },
    });
    expect(res.status(), await res.text()).toBe(201);
    await api.post('/api/auth/logout');
  }
  await api.post('/api/auth/login', { data: { login: author, password: PASSWORD } });
  const post = await api.post('/api/posts', {
    data: { kind: 'post', title, body: 'Whoever lives at number 12 is an idiot.', location: { lat: 52.5219, lon: 13.4132 }, precision: 8 },
  });
  expect(post.status(), await post.text()).toBe(201);
  postId = (await post.json()).id;
  await api.dispose();
});

test('report → hide with reason → gone for residents → appeal → second moderator restores → public log', async ({ browser, problems }) => {
  test.setTimeout(300_000);

  // A resident reports the post.
  const residentPage = await signedIn(browser, resident, PASSWORD);
  await gotoReady(residentPage, `/posts/${postId}`);
  await residentPage.getByText('Report this post').click();
  await residentPage.getByLabel('Reason', { exact: true }).selectOption('harassment');
  await residentPage.getByLabel('What is wrong? (optional)').fill('Insults a neighbour.');
  await residentPage.getByRole('button', { name: 'Send report' }).click();
  await expect(residentPage.getByText('the moderators of this area will look at it')).toBeVisible();

  // The Mitte moderator finds it in the queue and hides it; the reason is required.
  const mod = await signedIn(browser, 'mod_mitte', DEMO_PASSWORD);
  await gotoReady(mod, '/moderation');
  await expect(mod.getByRole('heading', { name: 'My regions' })).toBeVisible();
  await screenshot(mod, 'moderation-home-desktop', { fullPage: true });
  await expectAccessible(mod);
  await mod.getByRole('link', { name: new RegExp(title) }).click();
  await mod.waitForURL(`**/moderation/items/post/${postId}`);
  await expect(mod.getByText('Insults a neighbour.')).toBeVisible();
  await mod.getByLabel('Action', { exact: true }).selectOption('hide');
  await mod.getByLabel('Reason', { exact: true }).selectOption('harassment');
  await screenshot(mod, 'moderation-item-desktop', { fullPage: true });
  await expectAccessible(mod);
  await mod.getByLabel('Explanation (shown to the author)').fill('Names and insults a neighbour.');
  await mod.getByRole('button', { name: 'Apply' }).click();
  await expect(mod.getByText('Done: Hidden.')).toBeVisible();
  await expect(mod.locator('.status')).toHaveAttribute('data-status', 'hidden');
  // the area runs hot: slow mode for a while, then lifted
  await mod.getByLabel('Minutes between posts per person').fill('15');
  await mod.getByLabel('Why', { exact: true }).fill('Heated thread about number 12');
  await mod.getByRole('button', { name: 'Start slow mode' }).click();
  await expect(mod.locator('.slow-status')).toHaveAttribute('data-active', 'true');
  await expect(mod.locator('.slow-status')).toContainText('every 15 minutes');
  await mod.getByRole('button', { name: 'Lift slow mode' }).click();
  await expect(mod.locator('.slow-status')).toHaveAttribute('data-active', 'false');

  // Gone for residents.
  await gotoReady(residentPage, `/posts/${postId}`);
  await expect(residentPage.getByText('does not exist, was removed, or is not visible to you')).toBeVisible();

  // The author sees why and appeals.
  const authorPage = await signedIn(browser, author, PASSWORD);
  await gotoReady(authorPage, `/posts/${postId}`);
  await expect(authorPage.getByText('Moderators hid this post')).toBeVisible();
  await authorPage.getByRole('link', { name: 'See why and appeal' }).click();
  await authorPage.waitForURL('**/moderation/mine');
  await expect(authorPage.getByText('Names and insults a neighbour.')).toBeVisible();
  await authorPage.getByLabel('Appeal: why should the moderators look again?').fill('It was about my own flat, not a neighbour.');
  await authorPage.getByRole('button', { name: 'Send appeal' }).click();
  await expect(authorPage.getByText('Appeal sent.')).toBeVisible();
  await screenshot(authorPage, 'moderation-mine-desktop', { fullPage: true });
  await expectAccessible(authorPage);

  // The moderator who hid it is not offered the appeal; the second Mitte moderator grants it.
  await gotoReady(mod, '/moderation');
  await expect(mod.getByText('It was about my own flat')).toHaveCount(0);
  const mod2 = await signedIn(browser, 'mod_mitte2', DEMO_PASSWORD);
  await gotoReady(mod2, '/moderation');
  const appeal = mod2.locator('.appeal', { hasText: 'It was about my own flat' });
  await appeal.getByRole('radio', { name: /Grant/ }).check();
  await appeal.getByLabel('Reason', { exact: true }).selectOption('moderator_error');
  await appeal.getByLabel('Explanation for the author').fill('Read again: no neighbour is named.');
  await appeal.getByRole('button', { name: 'Decide appeal' }).click();
  await expect(mod2.locator('.appeal', { hasText: 'It was about my own flat' })).toHaveCount(0);

  // Back for residents.
  await gotoReady(residentPage, `/posts/${postId}`);
  await expect(residentPage.locator('h1')).toHaveText(title);

  // Mitte's public log shows both, without names.
  await gotoReady(residentPage, '/regions/mitte/moderation');
  const rows = residentPage.locator('.log tbody tr');
  await expect(rows.nth(0)).toContainText('Appeal granted');
  await expect(rows.nth(1)).toContainText('Hidden');
  await expect(residentPage.locator('.log')).not.toContainText('mod_mitte');
  await expect(residentPage.getByText('Mira (Moderation Mitte)')).toBeVisible();
  await screenshot(residentPage, 'region-log-desktop', { fullPage: true });
  await expectAccessible(residentPage);

  // The author learns the outcome.
  await gotoReady(authorPage, '/moderation/mine');
  await expect(authorPage.locator('.appeal-status')).toHaveAttribute('data-status', 'granted');
  expect(problems).toEqual([]);
});

test('the public log and the moderator home fit a phone', async ({ browser }) => {
  const mod = await signedIn(browser, 'mod_mitte', DEMO_PASSWORD, MOBILE);
  // on a phone the way in is the profile page
  await gotoReady(mod, '/me');
  await mod.getByRole('link', { name: 'Moderation', exact: true }).click();
  await mod.waitForURL('**/moderation');
  await expect(mod.getByRole('heading', { name: 'Queue (0)' }).or(mod.getByRole('heading', { name: /^Queue/ }))).toBeVisible();
  await expectNoOverflow(mod);
  await screenshot(mod, 'moderation-home-mobile', { fullPage: true });
  await gotoReady(mod, '/regions/mitte/moderation');
  await expectNoOverflow(mod);
  await expectAccessible(mod);
});

test('an administrator appoints a moderator and imports regions (a bad file changes nothing)', async ({ browser }) => {
  const admin = await signedIn(browser, 'admin', DEMO_PASSWORD);
  await gotoReady(admin, '/moderation/admin');
  await admin.getByLabel('Region', { exact: true }).selectOption({ label: 'Pankow (district)' });
  await admin.getByLabel('Handle', { exact: true }).fill(resident);
  await admin.getByRole('button', { name: 'Appoint' }).click();
  await expect(admin.getByText(`@${resident} appointed.`)).toBeVisible();
  await expect(admin.locator('.roles')).toContainText(`@${resident}`);
  await expectAccessible(admin);

  const outside = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { slug: 'e2e-outside', name: 'Outside', kind: 'neighborhood', parent: 'mitte' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [10, 50],
              [10.05, 50],
              [10.05, 50.05],
              [10, 50.05],
              [10, 50],
            ],
          ],
        },
      },
    ],
  };
  await admin
    .getByLabel('GeoJSON file')
    .setInputFiles({ name: 'bad.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify(outside)) });
  await admin.getByRole('button', { name: 'Import' }).click();
  await expect(admin.getByText('lies outside its parent "mitte"')).toBeVisible();
  const api = await apiClient();
  expect((await api.get('/api/regions/e2e-outside')).status()).toBe(404);
  await api.dispose();
  await screenshot(admin, 'moderation-admin-desktop', { fullPage: true });
});
