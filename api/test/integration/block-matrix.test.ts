import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offsetMeters, randomPlace } from '../helpers.ts';
import { postIds } from '../sse.helpers.ts';
import { uniqueWord } from '../search.helpers.ts';
import { makeSocialTestApp } from '../social.fixtures.ts';

// Block matrix (issue 13): for a blocker and the person they blocked, every place a post, comment or person shows —
// feed, hexagon board, search, single post, comments, comment/reaction/RSVP/vote, profile, live stream, notifications —
// hides each from the other, both ways; a bystander next to them sees everything (so each "hidden" is the block's doing).

const t = makeSocialTestApp();
afterAll(() => t.close());

const place = randomPlace();
const word = uniqueWord('blk');
let blocker: Awaited<ReturnType<typeof t.person>>;
let blocked: Awaited<ReturnType<typeof t.person>>;
let bystander: Awaited<ReturnType<typeof t.person>>;
let byBlocker: { id: string; cell: string };
let byBlocked: { id: string; cell: string };
let byBystander: { id: string; cell: string };
let eventByBlocker: { id: string };
let pollByBlocker: { id: string };

beforeAll(async () => {
  await t.listen();
  blocker = await t.person(place);
  blocked = await t.person(offsetMeters(place, 150, 100));
  bystander = await t.person(offsetMeters(place, -100, 150));
  // the same display cell for all three posts (precision 8 at one point), so one board holds them all
  const opts = { precision: 8, title: `Hof ${word}` };
  byBlocker = await t.post(blocker, place, opts);
  byBlocked = await t.post(blocked, place, opts);
  byBystander = await t.post(bystander, place, opts);
  eventByBlocker = await t.post(blocker, place, { kind: 'event', eventStartsAt: new Date(Date.now() + 86_400_000).toISOString() });
  pollByBlocker = await t.post(blocker, place, { kind: 'poll', pollOptions: ['Ja', 'Nein'] });
  // before the block: they follow each other, and the blocked person comments and reacts on the blocker's post (the
  // notification worker has not run yet — it runs after the block, and must not notify the blocker of either)
  await blocker.agent.put(`/api/users/${blocked.handle}/follow`).expect(204);
  await blocked.agent.put(`/api/users/${blocker.handle}/follow`).expect(204);
  await blocked.agent.post(`/api/posts/${byBlocker.id}/comments`).send({ body: 'before the block' }).expect(201);
  await blocked.agent.put(`/api/posts/${byBlocker.id}/reactions/thanks`).expect(200);
  // comments on the bystander's post by all three
  await blocker.agent.post(`/api/posts/${byBystander.id}/comments`).send({ body: 'from the blocker' }).expect(201);
  await bystander.agent.post(`/api/posts/${byBystander.id}/comments`).send({ body: 'from the bystander' }).expect(201);

  await blocker.agent.put(`/api/users/${blocked.handle}/block`).expect(204);
  await blocked.agent.post(`/api/posts/${byBystander.id}/comments`).send({ body: 'from the blocked' }).expect(201);
  await t.drain();
}, 180_000);

describe('block matrix', () => {
  const ids = (items: { id: string }[]) => items.map((i) => i.id);

  it('feed: neither sees the other’s posts; the bystander sees both', async () => {
    const mine = ids(await t.feed(blocker, place));
    const theirs = ids(await t.feed(blocked, place));
    const all = ids(await t.feed(bystander, place));
    expect(all).toEqual(expect.arrayContaining([byBlocker.id, byBlocked.id, byBystander.id]));
    expect(mine).toContain(byBystander.id);
    expect(mine).not.toContain(byBlocked.id);
    expect(theirs).toContain(byBystander.id);
    expect(theirs).not.toContain(byBlocker.id);
    expect(theirs).not.toContain(eventByBlocker.id);
  });

  it('hexagon board: the same', async () => {
    expect(byBlocker.cell).toBe(byBlocked.cell);
    const all = await t.board(bystander, byBlocker.cell);
    expect(all).toEqual(expect.arrayContaining([byBlocker.id, byBlocked.id]));
    expect(await t.board(blocker, byBlocker.cell)).not.toContain(byBlocked.id);
    expect(await t.board(blocked, byBlocker.cell)).not.toContain(byBlocker.id);
  });

  it('search: the same (the filter excludes them in Meilisearch, not only after)', async () => {
    expect(await t.search(bystander, word, place)).toEqual(expect.arrayContaining([byBlocker.id, byBlocked.id, byBystander.id]));
    const mine = await t.search(blocker, word, place);
    expect(mine).toEqual(expect.arrayContaining([byBlocker.id, byBystander.id]));
    expect(mine).not.toContain(byBlocked.id);
    const theirs = await t.search(blocked, word, place);
    expect(theirs).toEqual(expect.arrayContaining([byBlocked.id, byBystander.id]));
    expect(theirs).not.toContain(byBlocker.id);
  });

  it('single post: 404 both ways, exactly like a missing post', async () => {
    const missing = await blocker.agent.get('/api/posts/999999999999').expect(404);
    const a = await blocker.agent.get(`/api/posts/${byBlocked.id}`).expect(404);
    const b = await blocked.agent.get(`/api/posts/${byBlocker.id}`).expect(404);
    for (const res of [a, b]) expect({ ...res.body, instance: undefined }).toEqual({ ...missing.body, instance: undefined });
    await bystander.agent.get(`/api/posts/${byBlocked.id}`).expect(200);
    await bystander.agent.get(`/api/posts/${byBlocker.id}`).expect(200);
  });

  it('comments: each list leaves out the other; on the blocker’s post the blocked person gets 404', async () => {
    expect(await t.comments(bystander, byBystander.id)).toEqual(['from the blocker', 'from the bystander', 'from the blocked']);
    expect(await t.comments(blocker, byBystander.id)).toEqual(['from the blocker', 'from the bystander']);
    expect(await t.comments(blocked, byBystander.id)).toEqual(['from the bystander', 'from the blocked']);
    await blocked.agent.get(`/api/posts/${byBlocker.id}/comments`).expect(404);
    // the comment made before the block is gone for the blocker too
    expect(await t.comments(blocker, byBlocker.id)).toEqual([]);
  });

  it('refuses commenting, reacting, RSVPs and votes on each other’s posts (404, like a missing post)', async () => {
    await blocked.agent.post(`/api/posts/${byBlocker.id}/comments`).send({ body: 'let me in' }).expect(404);
    await blocker.agent.post(`/api/posts/${byBlocked.id}/comments`).send({ body: 'and me' }).expect(404);
    await blocked.agent.put(`/api/posts/${byBlocker.id}/reactions/thanks`).expect(404);
    await blocker.agent.put(`/api/posts/${byBlocked.id}/reactions/plus_one`).expect(404);
    await blocked.agent.put(`/api/posts/${eventByBlocker.id}/rsvp`).send({ status: 'going' }).expect(404);
    await blocked.agent.put(`/api/posts/${pollByBlocker.id}/vote`).send({ option: 0 }).expect(404);
    // the bystander still can: the refusals are the block's
    await bystander.agent.put(`/api/posts/${eventByBlocker.id}/rsvp`).send({ status: 'going' }).expect(200);
    await bystander.agent.put(`/api/posts/${pollByBlocker.id}/vote`).send({ option: 0 }).expect(200);
  });

  it('profile: 404 both ways, the same answer as a handle nobody has; signed out it is the public profile', async () => {
    const missing = await blocked.agent.get('/api/users/nobody_has_this_1').expect(404);
    const a = await blocked.agent.get(`/api/users/${blocker.handle}`).expect(404);
    const b = await blocker.agent.get(`/api/users/${blocked.handle}`).expect(404);
    for (const res of [a, b]) expect({ ...res.body, instance: undefined }).toEqual({ ...missing.body, instance: undefined });
    const pub = await request(t.hx.app).get(`/api/users/${blocker.handle}`).expect(200);
    expect(pub.body.relation).toBeNull();
    await bystander.agent.get(`/api/users/${blocker.handle}`).expect(200);
  });

  it('ended following both ways, and neither can follow or mute the other while it stands', async () => {
    for (const p of [blocker, blocked]) expect((await p.agent.get('/api/me/social').expect(200)).body.following).toEqual([]);
    expect((await blocker.agent.get('/api/me/social').expect(200)).body.blocked.map((b: { handle: string }) => b.handle)).toEqual([blocked.handle]);
    await blocked.agent.put(`/api/users/${blocker.handle}/follow`).expect(404);
    await blocker.agent.put(`/api/users/${blocked.handle}/mute`).expect(404);
  });

  it('stream: a new post by either never reaches the other; the bystander gets both', async () => {
    const at = `lat=${place.lat}&lon=${place.lon}&radius=1000`;
    const [toBlocker, toBlocked, toBystander] = await Promise.all([
      t.stream(at, blocker.cookie),
      t.stream(at, blocked.cookie),
      t.stream(at, bystander.cookie),
    ]);
    const p1 = await t.post(blocked, place);
    const p2 = await t.post(blocker, place);
    const p3 = await t.post(bystander, place);
    const last = (id: string) => (m: { event: string; data: unknown }) => m.event === 'post' && (m.data as { postId: string }).postId === id;
    await Promise.all([toBlocker.next(last(p3.id)), toBlocked.next(last(p3.id)), toBystander.next(last(p3.id))]);
    // events arrive in commit order: by the time p3 arrived, p1 and p2 had been decided for every stream
    expect(postIds(toBystander)).toEqual([p1.id, p2.id, p3.id]);
    expect(postIds(toBlocker)).toEqual([p2.id, p3.id]);
    expect(postIds(toBlocked)).toEqual([p1.id, p3.id]);
  });

  it('stream: on a third person’s post page, the other’s new comments never arrive', async () => {
    const page = await t.stream(`post=${byBystander.id}`, blocker.cookie);
    await blocked.agent.post(`/api/posts/${byBystander.id}/comments`).send({ body: 'live from the blocked' }).expect(201);
    await bystander.agent.post(`/api/posts/${byBystander.id}/comments`).send({ body: 'live from the bystander' }).expect(201);
    await page.next((m) => m.event === 'comment' && JSON.stringify(m.data).includes('live from the bystander'));
    const bodies = page.messages.filter((m) => m.event === 'comment').map((m) => (m.data as { comment: { body: string } }).comment.body);
    expect(bodies).toEqual(['live from the bystander']);
  });

  it('stream: a block made while streams are open reaches them (at the next relations refresh, here run at once)', async () => {
    const spot = offsetMeters(place, 3000, 3000);
    const at = `lat=${spot.lat}&lon=${spot.lon}&radius=1000`;
    const a = await t.person(spot);
    const b = await t.person(offsetMeters(spot, 100, 0));
    const [toA, toB] = await Promise.all([t.stream(at, a.cookie), t.stream(at, b.cookie)]);
    const before = await t.post(b, spot);
    await toA.next((m) => m.event === 'post' && (m.data as { postId: string }).postId === before.id);
    await a.agent.put(`/api/users/${b.handle}/block`).expect(204);
    await t.hx.services.streams.refreshRelations();
    const fromB = await t.post(b, spot);
    const fromA = await t.post(a, spot);
    const marker = await t.post(bystander, spot);
    const got = (id: string) => (m: { event: string; data: unknown }) => m.event === 'post' && (m.data as { postId: string }).postId === id;
    await Promise.all([toA.next(got(marker.id)), toB.next(got(marker.id))]);
    expect(postIds(toA)).toEqual([before.id, fromA.id, marker.id]);
    expect(postIds(toB)).toEqual([before.id, fromB.id, marker.id]);
  });

  it('notifications: nothing about the blocked person (a comment or reaction made before the block, a reply after)', async () => {
    await t.hx.notificationWorker.runOnce();
    const mine = await t.inbox(blocker);
    expect(mine.filter((n) => n.actor?.handle === blocked.handle)).toEqual([]);
    // the bystander (the post's author) did hear from both: the worker ran and the block is what kept the blocker's quiet
    const theirs = await t.inbox(bystander);
    expect(theirs.map((n) => n.actor?.handle)).toEqual(expect.arrayContaining([blocked.handle, blocker.handle]));
    // and the blocker hears of the bystander's comment after theirs (a reply), so replies do reach them
    expect(mine.some((n) => n.kind === 'reply' && n.actor?.handle === bystander.handle)).toBe(true);
  });

  it('unblocking brings everything back for both (following stays ended)', async () => {
    await blocker.agent.delete(`/api/users/${blocked.handle}/block`).expect(204);
    expect(ids(await t.feed(blocker, place))).toContain(byBlocked.id);
    expect(ids(await t.feed(blocked, place))).toContain(byBlocker.id);
    await blocked.agent.get(`/api/users/${blocker.handle}`).expect(200);
    expect((await blocker.agent.get('/api/me/social').expect(200)).body.following).toEqual([]);
  });
});
