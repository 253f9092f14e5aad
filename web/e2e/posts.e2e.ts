import type { APIRequestContext, Page } from '@playwright/test';
import sharp from 'sharp';
import { gpsTags, phoneJpeg } from '../../api/test/fixtures/exif';
import { DESKTOP, expect, expectAccessible, gotoReady, test, uniqueHandle } from './fixtures';

// Posts that do what people use them for, in the browser: vote in a poll, edit a post, post a photo and see it (its
// bytes carry no GPS), RSVP to an event, and open the author's profile from a post.

test.use(DESKTOP);

const PLACE = { lat: 52.5106, lon: 13.459 };

/** Signs a fresh person up inside the page's browser context (the session cookie lands in the context). */
async function signUpIn(page: Page, name: string): Promise<string> {
  const handle = uniqueHandle(name);
  const res = await page.request.post('/api/auth/register', {
    data: {
      handle,
      displayName: `${name[0]!.toUpperCase()}${name.slice(1)} Neighbour`,
      email: `${handle}@example.org`,
      password: 'correct horse battery staple',
    },
  });
  expect(res.status()).toBe(201);
  return handle;
}

async function createPost(request: APIRequestContext, body: Record<string, unknown>): Promise<string> {
  const res = await request.post('/api/posts', { data: { title: 'A post', body: '', tags: [], location: PLACE, ...body } });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

test('votes in a poll and sees the results only after voting', async ({ browser, problems }) => {
  const authorContext = await browser.newContext();
  const author = await authorContext.newPage();
  await signUpIn(author, 'pollster');
  const id = await createPost(author.request, { kind: 'poll', title: 'Which day for the courtyard clean-up?', pollOptions: ['Saturday', 'Sunday'] });

  const voterContext = await browser.newContext();
  const page = await voterContext.newPage();
  await signUpIn(page, 'voter');
  await gotoReady(page, `/posts/${id}`);
  await expect(page.getByText('Results show once you have voted')).toBeVisible();
  await page.getByLabel('Sunday').check();
  await page.getByRole('button', { name: 'Vote', exact: true }).click();
  const results = page.getByRole('list', { name: 'Results' });
  await expect(results).toContainText(/Sunday\s*\(your vote\)/);
  await expect(results).toContainText(/100%\s*·\s*1/);
  await expect(page.getByRole('heading', { name: /Poll/ })).toContainText('1 vote');
  await expectAccessible(page);
  expect(problems).toEqual([]);
  await authorContext.close();
  await voterContext.close();
});

test('edits a post: new title and place, marked edited', async ({ page, problems }) => {
  await signUpIn(page, 'editor');
  const id = await createPost(page.request, { kind: 'for_sale', title: 'Sofa, blue', salePriceCents: 4500, saleCondition: 'good' });
  await gotoReady(page, `/posts/${id}`);
  await expect(page.getByText('45,00 €')).toBeVisible();
  await page.getByRole('link', { name: 'Edit post' }).click();
  await page.waitForURL(`**/posts/${id}/edit`);
  await expect(page.locator('html[data-hydrated="true"]')).toBeAttached();
  await page.getByLabel('Title').fill('Sofa, blue — now free');
  await page.getByLabel('Free — I’m giving it away').check();
  await page.getByLabel('Block (~0.1 km²)').check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForURL(`**/posts/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sofa, blue — now free');
  await expect(page.locator('.sale')).toContainText('Free');
  await expect(page.locator('.edited')).toContainText('edited');
  await expect(page.getByText('Block (~0.1 km²)'.toLowerCase())).toBeVisible();
  expect(problems).toEqual([]);
});

test('posts a photo and sees it; the served bytes carry no GPS', async ({ page, problems }) => {
  await signUpIn(page, 'finder');
  const id = await createPost(page.request, { kind: 'lost_found', title: 'Found: grey cat with a red collar' });
  await gotoReady(page, `/posts/${id}`);
  const jpeg = await phoneJpeg(640, 320);
  expect(gpsTags((await sharp(jpeg).metadata()).exif).size).toBeGreaterThan(0);
  await page.getByLabel(/Add a photo/).setInputFiles({ name: 'cat.jpg', mimeType: 'image/jpeg', buffer: jpeg });
  await page.getByLabel('Describe the photo for people who can’t see it').fill('Grey cat sitting on a doorstep');
  await page.getByRole('button', { name: 'Add photo' }).click();
  const img = page.getByRole('img', { name: 'Grey cat sitting on a doorstep' });
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(320); // rotated upright
  const src = (await img.getAttribute('src'))!;
  const served = await page.request.get(src);
  expect(served.headers()['content-type']).toBe('image/webp');
  const meta = await sharp(await served.body()).metadata();
  expect(meta.format).toBe('webp');
  expect(meta.exif).toBeUndefined();
  expect(gpsTags(meta.exif).size).toBe(0);
  await expectAccessible(page);
  expect(problems).toEqual([]);
});

test('RSVPs to an event and downloads it for the calendar', async ({ browser, problems }) => {
  const hostContext = await browser.newContext();
  const host = await hostContext.newPage();
  await signUpIn(host, 'host');
  const id = await createPost(host.request, {
    kind: 'event',
    title: 'Courtyard flea market',
    eventStartsAt: '2027-05-01T10:00:00+02:00',
    eventEndsAt: '2027-05-01T14:00:00+02:00',
    eventPlace: 'Hof, Boxhagener Str. 12',
    eventCapacity: 2,
  });
  const guestContext = await browser.newContext();
  const page = await guestContext.newPage();
  await signUpIn(page, 'guest');
  await gotoReady(page, `/posts/${id}`);
  const details = page.getByRole('region', { name: 'Event details' });
  await expect(details).toContainText('Hof, Boxhagener Str. 12');
  await expect(details).toContainText('1 May 2027, 10:00');
  await expect(details).toContainText('0 going · 0 maybe · 2 of 2 places left');
  await page.getByRole('button', { name: 'Going' }).click();
  await expect(details).toContainText('1 going · 0 maybe · 1 of 2 places left');
  await expect(page.getByRole('button', { name: 'Going' })).toHaveAttribute('aria-pressed', 'true');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Add to calendar (.ics)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`hexhood-event-${id}.ics`);
  await expectAccessible(page);
  expect(problems).toEqual([]);
  await hostContext.close();
  await guestContext.close();
});

test('opens the author’s profile from a post', async ({ browser, page, problems }) => {
  const authorContext = await browser.newContext();
  const author = await authorContext.newPage();
  const handle = await signUpIn(author, 'writer');
  await author.request.put('/api/me/home', { data: PLACE });
  const id = await createPost(author.request, { title: 'Who else hears the nightingale at night?', kind: 'question' });

  await gotoReady(page, `/posts/${id}`);
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', 'Who else hears the nightingale at night?');
  await page.getByRole('link', { name: /Writer Neighbour/ }).click();
  await page.waitForURL(`**/u/${handle}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Writer Neighbour');
  await expect(page.getByText('Member since')).toBeVisible();
  await expect(page.getByRole('feed')).toContainText('Who else hears the nightingale at night?');
  await expect(page.locator('meta[property="og:type"]')).toHaveAttribute('content', 'profile');
  await expectAccessible(page);
  expect(problems).toEqual([]);
  await authorContext.close();
});

test('gives away a thing with a photo from the compose form, and finds it under For sale & free', async ({ page, problems }) => {
  test.setTimeout(120_000);
  await signUpIn(page, 'giver');
  await page.request.put('/api/me/home', { data: PLACE });
  await gotoReady(page, '/compose');
  await page.getByLabel(/For sale & free/).check();
  await page.getByLabel('Title').fill('Free: children’s bike, 16 inch');
  await page.getByLabel('Free — I’m giving it away').check();
  await page.getByLabel(/Condition/).selectOption('good');
  await page.getByLabel('Choose photos').setInputFiles({ name: 'bike.jpg', mimeType: 'image/jpeg', buffer: await phoneJpeg(400, 300) });
  await page.getByLabel('Describe the photos for people who can’t see them').fill('Small red bike leaning on a wall');
  await page.getByRole('button', { name: 'Post', exact: true }).click();
  await page.waitForURL(/\/posts\/\d+$/);
  await expect(page.locator('.sale')).toContainText('Free');
  await expect(page.locator('.sale')).toContainText('condition: good');
  await expect(page.getByRole('img', { name: 'Small red bike leaning on a wall' })).toBeVisible();
  const id = page.url().split('/').pop();
  const feed = await page.request.get(`/api/feed?lat=${PLACE.lat}&lon=${PLACE.lon}&radius=500&kind=for_sale&free=true`);
  expect(((await feed.json()) as { items: { id: string }[] }).items.map((p) => p.id)).toContain(id);
  // the board's filter
  await gotoReady(page, `/?lat=${PLACE.lat}&lon=${PLACE.lon}&r=500`);
  await page.getByLabel('Kind', { exact: true }).selectOption('free');
  await expect(page).toHaveURL(/kind=for_sale&free=1/);
  await expect(page.locator(`[data-post-id="${id}"]`)).toBeVisible();
  expect(problems).toEqual([]);
});

test('a first visit shows what Hexhood is, until dismissed', async ({ page, problems }) => {
  await gotoReady(page, '/');
  const intro = page.getByRole('region', { name: 'Welcome to Hexhood' });
  await expect(intro).toBeVisible();
  await expect(intro).toContainText('Why hexagons?');
  await intro.getByRole('button', { name: 'Got it' }).click();
  await expect(intro).toBeHidden();
  await expect.poll(async () => (await page.context().cookies()).some((c) => c.name === 'hx_intro' && c.value === '1')).toBe(true);
  await gotoReady(page, '/');
  await expect(page.getByRole('heading', { name: 'Welcome to Hexhood' })).toHaveCount(0);
  expect(problems).toEqual([]);
});
