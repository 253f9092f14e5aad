import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offsetMeters, randomPlace } from '../helpers.ts';
import { approvedShop, makeAdmin, offerBody } from '../merchants.helpers.ts';
import { uniqueWord } from '../search.helpers.ts';
import { makeSocialTestApp } from '../social.fixtures.ts';

// Mute (hide quietly: only the muter's view changes) and follow (a mark and a filter) — issue 13; blocks are in
// block-matrix.test.ts. Plus the routes' rules: never yourself, problem+json on bad input, sign-in required.

const t = makeSocialTestApp();
afterAll(() => t.close());
beforeAll(() => t.drain(), 180_000);

describe('mute', () => {
  it('hides the muted person from my feed, board, search, comments and notifications; nothing changes for them', async () => {
    const place = randomPlace();
    const word = uniqueWord('mut');
    const muter = await t.person(place);
    const muted = await t.person(offsetMeters(place, 100, 100));
    const opts = { precision: 8, title: `Flohmarkt ${word}` };
    const mine = await t.post(muter, place, opts);
    const theirs = await t.post(muted, place, opts);
    await muter.agent.put(`/api/users/${muted.handle}/mute`).expect(204);
    await muted.agent.post(`/api/posts/${mine.id}/comments`).send({ body: 'from the muted' }).expect(201);
    await muted.agent.put(`/api/posts/${mine.id}/reactions/me_too`).expect(200);
    await muter.agent.post(`/api/posts/${theirs.id}/comments`).send({ body: 'from the muter' }).expect(201);
    await t.drain();
    await t.hx.notificationWorker.runOnce();

    // the muter: gone from every list, no notification of the muted person's comment or reaction …
    expect((await t.feed(muter, place)).map((i) => i.id)).not.toContain(theirs.id);
    expect(await t.board(muter, theirs.cell)).not.toContain(theirs.id);
    expect(await t.search(muter, word, place)).toEqual([mine.id]);
    expect(await t.comments(muter, mine.id)).toEqual([]);
    expect((await t.inbox(muter)).filter((n) => n.actor?.handle === muted.handle)).toEqual([]);
    // … but a link to their post still opens (a mute is not a block), and their profile says it is muted
    await muter.agent.get(`/api/posts/${theirs.id}`).expect(200);
    expect((await muter.agent.get(`/api/users/${muted.handle}`).expect(200)).body.relation).toEqual({ following: false, muted: true });

    // the muted person: everything as before — lists, comments, and the notification of the muter's comment
    expect((await t.feed(muted, place)).map((i) => i.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(await t.search(muted, word, place)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(await t.comments(muted, mine.id)).toEqual(['from the muted']);
    expect((await t.inbox(muted)).map((n) => [n.kind, n.actor?.handle])).toContainEqual(['comment', muter.handle]);
    expect((await muted.agent.get(`/api/users/${muter.handle}`).expect(200)).body.relation).toEqual({ following: false, muted: false });

    // unmute from settings: back
    expect((await muter.agent.get('/api/me/social').expect(200)).body.muted.map((m: { handle: string }) => m.handle)).toEqual([muted.handle]);
    await muter.agent.delete(`/api/users/${muted.handle}/mute`).expect(204);
    expect((await t.feed(muter, place)).map((i) => i.id)).toContain(theirs.id);
    expect(await t.comments(muter, mine.id)).toEqual(['from the muted']);
  });
});

describe('mute and the notification centre', () => {
  it('leaves out what a muted person did before the mute too (list and unread count), and brings it back on unmute', async () => {
    const me = await t.person();
    const them = await t.person();
    const bystander = await t.person();
    const post = await t.post(me, randomPlace());
    await them.agent.post(`/api/posts/${post.id}/comments`).send({ body: 'before the mute' }).expect(201);
    await bystander.agent.post(`/api/posts/${post.id}/comments`).send({ body: 'someone else' }).expect(201);
    await t.hx.notificationWorker.runOnce();
    const actors = async () => (await t.inbox(me)).map((n) => n.actor?.handle);
    const unread = async () => (await me.agent.get('/api/notifications/unread').expect(200)).body.unread as number;
    expect(await actors()).toEqual([bystander.handle, them.handle]);
    expect(await unread()).toBe(2);
    await me.agent.put(`/api/users/${them.handle}/mute`).expect(204);
    expect(await actors()).toEqual([bystander.handle]);
    expect(await unread()).toBe(1);
    await me.agent.delete(`/api/users/${them.handle}/mute`).expect(204);
    expect(await unread()).toBe(2);
  });
});

describe('follow', () => {
  it('marks posts by people and shops I follow, and filters the feed and board to them', async () => {
    const place = randomPlace();
    const follower = await t.person(place);
    const followed = await t.person(offsetMeters(place, 200, 0));
    const other = await t.person(offsetMeters(place, 0, 200));
    const admin = await makeAdmin({ app: t.hx.app, db: t.db, close: async () => {} });
    const { owner, shopId } = await approvedShop({ app: t.hx.app, db: t.db, close: async () => {} }, admin, place);
    const offer = (await owner.agent.post(`/api/merchants/${shopId}/offers`).send(offerBody()).expect(201)).body as { postId: string };
    const a = await t.post(followed, place, { precision: 8 });
    const b = await t.post(other, place, { precision: 8 });

    await follower.agent.put(`/api/users/${followed.handle}/follow`).expect(204);
    await follower.agent.put(`/api/merchants/${shopId}/follow`).expect(204);
    await follower.agent.put(`/api/users/${followed.handle}/follow`).expect(204); // idempotent

    const feed = await t.feed(follower, place);
    const mark = (id: string) => feed.find((i) => i.id === id)?.following;
    expect(mark(a.id)).toBe(true);
    expect(mark(offer.postId)).toBe(true);
    expect(mark(b.id)).toBe(false);
    const filtered = (await t.feed(follower, place, '&following=true')).map((i) => i.id);
    expect(filtered).toEqual(expect.arrayContaining([a.id, offer.postId]));
    expect(filtered).not.toContain(b.id);
    const board = await follower.agent.get(`/api/cells/${a.cell}/posts?following=true&limit=100`).expect(200);
    const onBoard = board.body.items.map((i: { id: string }) => i.id);
    expect(onBoard).toContain(a.id);
    expect(onBoard).not.toContain(b.id);
    expect((await follower.agent.get(`/api/cells/${a.cell}/posts?limit=100`).expect(200)).body.items.map((i: { id: string }) => i.id)).toContain(
      b.id,
    );
    expect((await follower.agent.get(`/api/posts/${a.id}`).expect(200)).body.following).toBe(true);
    // nobody else sees my marks; signed out, "following only" is simply empty
    expect((await t.feed(other, place)).find((i) => i.id === a.id)?.following).toBe(false);
    expect(await t.feed(undefined, place, '&following=true')).toEqual([]);

    // counts are public, the list of followers is nobody's business but the follower's
    const profile = (await request(t.hx.app).get(`/api/users/${followed.handle}`).expect(200)).body;
    expect(profile.followerCount).toBe(1);
    expect(profile.relation).toBeNull();
    expect((await follower.agent.get(`/api/users/${followed.handle}`).expect(200)).body.relation).toEqual({ following: true, muted: false });
    expect((await request(t.hx.app).get(`/api/merchants/${shopId}/followers`).expect(200)).body).toEqual({ followerCount: 1, following: false });
    expect((await follower.agent.get(`/api/merchants/${shopId}/followers`).expect(200)).body).toEqual({ followerCount: 1, following: true });
    const social = (await follower.agent.get('/api/me/social').expect(200)).body;
    expect(social.following.map((f: { handle: string }) => f.handle)).toEqual([followed.handle]);
    expect(social.followingShops.map((s: { id: string }) => s.id)).toEqual([String(shopId)]);

    await follower.agent.delete(`/api/users/${followed.handle}/follow`).expect(204);
    await follower.agent.delete(`/api/merchants/${shopId}/follow`).expect(204);
    expect(await t.feed(follower, place, '&following=true')).toEqual([]);
  });
});

describe('social routes', () => {
  it('refuses yourself, unknown people and shops, bad input and signed-out writes with problem+json', async () => {
    const me = await t.person();
    for (const what of ['follow', 'mute', 'block']) {
      const self = await me.agent.put(`/api/users/${me.handle}/${what}`).expect(422);
      expect(self.headers['content-type']).toContain('application/problem+json');
      expect(self.body.errors).toEqual([{ field: 'params.handle', message: 'that is you' }]);
      await me.agent.put(`/api/users/nobody_has_this_2/${what}`).expect(404);
      const bad = await me.agent.put(`/api/users/no!/${what}`).expect(400);
      expect(bad.body.errors[0].field).toBe('params.handle');
      await request(t.hx.app).put(`/api/users/${me.handle}/${what}`).expect(401);
    }
    await me.agent.put('/api/merchants/999999999/follow').expect(404);
    await me.agent.put('/api/merchants/abc/follow').expect(400);
    await request(t.hx.app).get('/api/me/social').expect(401);
  });
});
