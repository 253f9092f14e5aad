import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellChildren, cellToBigint, placeAtPrecision, type Precision } from '../../src/geo/h3.ts';
import { makeTestApp, signUp } from '../helpers.ts';
import { appoint, createTestCity, REASON, signUpAdmin, signUpLivingAt, writePost, type TestCity } from '../moderation.fixtures.ts';

const t = makeTestApp();
let city: TestCity;
let admin: Awaited<ReturnType<typeof signUpAdmin>>;
let mod1: Awaited<ReturnType<typeof signUp>>;
let mod2: Awaited<ReturnType<typeof signUp>>;
let lead: Awaited<ReturnType<typeof signUp>>;
let pankowMod: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  city = await createTestCity(t.db);
  admin = await signUpAdmin(t);
  [mod1, mod2, lead, pankowMod] = await Promise.all([signUp(t.app), signUp(t.app), signUp(t.app), signUp(t.app)]);
  await appoint(admin.agent, city.mitte, mod1.handle);
  await appoint(admin.agent, city.mitte, mod2.handle);
  await appoint(admin.agent, city.mitte, lead.handle, 'lead');
  await appoint(admin.agent, city.pankow, pankowMod.handle);
});
afterAll(() => t.close());

const queueEntry = async (agent: typeof mod1.agent, postId: string) => {
  const res = await agent.get('/api/moderation/queue').expect(200);
  return (res.body.items as { targetKind: string; targetId: string; weight: number; reporterCount: number }[]).find(
    (i) => i.targetKind === 'post' && i.targetId === postId,
  );
};

describe('reports', () => {
  it('collapses repeated reports by one person, and counts residents of the region double', async () => {
    const author = await signUp(t.app);
    const postId = await writePost(author.agent, city.points.mitteA);
    const resident = await signUpLivingAt(t, city.points.mitteA);
    const outsider = await signUpLivingAt(t, city.points.pankowA);
    await resident.agent.post('/api/reports').send({ targetKind: 'post', targetId: postId, reason: 'spam' }).expect(201);
    await resident.agent.post('/api/reports').send({ targetKind: 'post', targetId: postId, reason: 'harassment', text: 'again' }).expect(201);
    expect(await queueEntry(mod1.agent, postId)).toMatchObject({ reporterCount: 1, weight: 2 });
    // a Pankow resident does not live in the regions a Mitte post touches
    await outsider.agent.post('/api/reports').send({ targetKind: 'post', targetId: postId, reason: 'spam' }).expect(201);
    expect(await queueEntry(mod1.agent, postId)).toMatchObject({ reporterCount: 2, weight: 3 });
    const item = await mod1.agent.get(`/api/moderation/items/post/${postId}`).expect(200);
    expect(item.body.openReports.map((r: { reason: string; resident: boolean }) => [r.reason, r.resident]).sort()).toEqual([
      ['harassment', true],
      ['spam', false],
    ]);
    // reporters stay anonymous to moderators
    expect(JSON.stringify(item.body)).not.toContain(resident.handle);
  });

  it('orders the queue by weight, then age', async () => {
    const author = await signUp(t.app);
    const light = await writePost(author.agent, city.points.mitteA);
    const heavy = await writePost(author.agent, city.points.mitteA);
    const reporters = await Promise.all([signUp(t.app), signUp(t.app), signUp(t.app)]);
    await reporters[0]!.agent.post('/api/reports').send({ targetKind: 'post', targetId: light, reason: 'spam' }).expect(201);
    for (const r of reporters) await r.agent.post('/api/reports').send({ targetKind: 'post', targetId: heavy, reason: 'spam' }).expect(201);
    const ids = (await mod1.agent.get('/api/moderation/queue?limit=100').expect(200)).body.items.map((i: { targetId: string }) => i.targetId);
    expect(ids.indexOf(heavy)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(heavy)).toBeLessThan(ids.indexOf(light));
  });

  it('answers 404 for reporting what the reporter cannot see, and 422 for an unknown reason', async () => {
    const author = await signUp(t.app);
    const postId = await writePost(author.agent, city.points.mitteA);
    const stranger = await signUp(t.app);
    await stranger.agent.post('/api/reports').send({ targetKind: 'post', targetId: '999999999999', reason: 'spam' }).expect(404);
    const bad = await stranger.agent.post('/api/reports').send({ targetKind: 'post', targetId: postId, reason: 'boring' }).expect(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('body.reason');
    await mod1.agent
      .post(`/api/moderation/items/post/${postId}/actions`)
      .send({ action: 'hide', ...REASON })
      .expect(201);
    await stranger.agent.post('/api/reports').send({ targetKind: 'post', targetId: postId, reason: 'spam' }).expect(404);
  });
});

describe('actions', () => {
  it('hides with a reason: the post disappears for residents (read, feed, comments) and comes back on restore', async () => {
    const author = await signUp(t.app);
    const resident = await signUpLivingAt(t, city.points.mitteA);
    const postId = await writePost(author.agent, city.points.mitteA);
    const feedUrl = `/api/feed?lat=${city.points.mitteA.lat}&lon=${city.points.mitteA.lon}&radius=2000`;
    const inFeed = async () => (await resident.agent.get(feedUrl).expect(200)).body.items.some((p: { id: string }) => p.id === postId);
    expect(await inFeed()).toBe(true);

    const noReason = await mod1.agent
      .post(`/api/moderation/items/post/${postId}/actions`)
      .send({ action: 'hide', reasonCategory: 'spam' })
      .expect(422);
    expect(noReason.body.errors.map((e: { field: string }) => e.field)).toContain('body.reasonText');
    const blank = await mod1.agent
      .post(`/api/moderation/items/post/${postId}/actions`)
      .send({ action: 'hide', reasonCategory: 'spam', reasonText: '  ' });
    expect(blank.status).toBe(422);

    const hidden = await mod1.agent
      .post(`/api/moderation/items/post/${postId}/actions`)
      .send({ action: 'hide', ...REASON })
      .expect(201);
    expect(hidden.body).toMatchObject({ action: 'hide', reasonCategory: 'harassment', actor: mod1.handle, targetAuthor: author.handle });
    await resident.agent.get(`/api/posts/${postId}`).expect(404);
    await request(t.app).get(`/api/posts/${postId}`).expect(404);
    expect(await inFeed()).toBe(false);
    // the author still sees it, hidden, and learns why
    await author.agent.get(`/api/posts/${postId}`).expect(200);
    const mine = await author.agent.get('/api/moderation/mine').expect(200);
    expect(mine.body.actions[0]).toMatchObject({ targetId: postId, action: 'hide', reasonText: REASON.reasonText });
    await mod1.agent
      .post(`/api/moderation/items/post/${postId}/actions`)
      .send({ action: 'hide', ...REASON })
      .expect(409);

    await mod1.agent
      .post(`/api/moderation/items/post/${postId}/actions`)
      .send({ action: 'restore', reasonCategory: 'moderator_error', reasonText: 'Misread it.' })
      .expect(201);
    await resident.agent.get(`/api/posts/${postId}`).expect(200);
    expect(await inFeed()).toBe(true);
  });

  it('hides a comment from the conversation', async () => {
    const author = await signUp(t.app);
    const commenter = await signUp(t.app);
    const postId = await writePost(author.agent, city.points.mitteA);
    const comment = await commenter.agent.post(`/api/posts/${postId}/comments`).send({ body: 'rude words' }).expect(201);
    await author.agent.post('/api/reports').send({ targetKind: 'comment', targetId: comment.body.id, reason: 'harassment' }).expect(201);
    const queue = await mod1.agent.get('/api/moderation/queue?limit=100').expect(200);
    expect(queue.body.items.some((i: { targetKind: string; targetId: string }) => i.targetKind === 'comment' && i.targetId === comment.body.id)).toBe(
      true,
    );
    await pankowMod.agent.get(`/api/moderation/items/comment/${comment.body.id}`).expect(404);
    await mod1.agent
      .post(`/api/moderation/items/comment/${comment.body.id}/actions`)
      .send({ action: 'hide', ...REASON })
      .expect(201);
    const list = await author.agent.get(`/api/posts/${postId}/comments`).expect(200);
    expect(list.body.items.map((c: { id: string }) => c.id)).not.toContain(comment.body.id);
    // the case is resolved: gone from the queue
    const after = await mod1.agent.get('/api/moderation/queue?limit=100').expect(200);
    expect(after.body.items.some((i: { targetId: string; targetKind: string }) => i.targetKind === 'comment' && i.targetId === comment.body.id)).toBe(
      false,
    );
  });

  it('lets a lead reverse another moderator, but not a fellow moderator; nobody moderates their own item', async () => {
    const author = await signUp(t.app);
    const postId = await writePost(author.agent, city.points.mitteA);
    await mod1.agent
      .post(`/api/moderation/items/post/${postId}/actions`)
      .send({ action: 'remove', ...REASON })
      .expect(201);
    const restore = { action: 'restore', reasonCategory: 'no_violation', reasonText: 'Within the rules.' };
    await mod2.agent.post(`/api/moderation/items/post/${postId}/actions`).send(restore).expect(403);
    await lead.agent.post(`/api/moderation/items/post/${postId}/actions`).send(restore).expect(201);
    const own = await writePost(mod2.agent, city.points.mitteA);
    await mod2.agent
      .post(`/api/moderation/items/post/${own}/actions`)
      .send({ action: 'hide', ...REASON })
      .expect(403);
  });

  it('locks comments, suspends in a region for a time, and shows edit history and prior actions', async () => {
    const author = await signUp(t.app);
    const postId = await writePost(author.agent, city.points.mitteA);
    await author.agent.patch(`/api/posts/${postId}`).send({ title: 'Edited title' }).expect(200);
    await mod1.agent
      .post(`/api/moderation/items/post/${postId}/actions`)
      .send({ action: 'lock_comments', ...REASON })
      .expect(201);
    const suspended = await mod1.agent
      .post(`/api/moderation/items/post/${postId}/actions`)
      .send({ action: 'suspend', suspendHours: 24, ...REASON })
      .expect(201);
    expect(Date.parse(suspended.body.suspendedUntil) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    const rows = await t.db('region_suspensions').where({ user_id: author.user.id });
    expect(rows.map((r) => String(r.region_id))).toEqual([city.mitte.id]);
    // what the measures mean for writers: no comments on the locked post, no posts in Mitte, Pankow still open
    const commenter = await signUp(t.app);
    await commenter.agent.post(`/api/posts/${postId}/comments`).send({ body: 'hello?' }).expect(403);
    await author.agent.post('/api/posts').send({ kind: 'post', title: 'Back again', body: 'x', location: city.points.mitteA }).expect(403);
    await author.agent.post('/api/posts').send({ kind: 'post', title: 'Elsewhere', body: 'x', location: city.points.pankowA }).expect(201);
    // an appeal granted against the suspension lifts it
    const appeal = await author.agent.post(`/api/moderation/actions/${suspended.body.id}/appeal`).send({ text: 'One slip.' }).expect(201);
    await mod2.agent
      .post(`/api/moderation/appeals/${appeal.body.id}/decision`)
      .send({ outcome: 'granted', reasonCategory: 'moderator_error', reasonText: 'Too harsh for a first time.' })
      .expect(200);
    await author.agent.post('/api/posts').send({ kind: 'post', title: 'Back again', body: 'x', location: city.points.mitteA }).expect(201);
    const noHours = await mod1.agent
      .post(`/api/moderation/items/post/${postId}/actions`)
      .send({ action: 'suspend', ...REASON })
      .expect(422);
    expect(noHours.body.errors.map((e: { field: string }) => e.field)).toContain('body.suspendHours');
    const item = await mod1.agent.get(`/api/moderation/items/post/${postId}`).expect(200);
    expect(item.body.commentsLocked).toBe(true);
    const placed = await t.db('posts').where({ id: postId }).first('h3_7');
    expect(item.body.slowModeCell).toBe(BigInt(placed.h3_7).toString(16));
    expect(item.body.revisions.map((r: { title: string }) => r.title)).toEqual(['Hello neighbours']);
    expect(item.body.actions.map((a: { action: string }) => a.action)).toEqual(['lock_comments', 'suspend', 'appeal_granted']);
  });
});

describe('appeals and logs', () => {
  it('takes one appeal per action from the author; a different moderator decides; the public log shows both anonymised', async () => {
    const author = await signUp(t.app);
    const postId = await writePost(author.agent, city.points.mitteA);
    const hidden = await mod1.agent
      .post(`/api/moderation/items/post/${postId}/actions`)
      .send({ action: 'hide', ...REASON })
      .expect(201);
    const actionId = hidden.body.id;
    const stranger = await signUp(t.app);
    await stranger.agent.post(`/api/moderation/actions/${actionId}/appeal`).send({ text: 'Not mine but still' }).expect(404);
    const appeal = await author.agent.post(`/api/moderation/actions/${actionId}/appeal`).send({ text: 'It was a joke between friends.' }).expect(201);
    await author.agent.post(`/api/moderation/actions/${actionId}/appeal`).send({ text: 'Again' }).expect(409);

    const decision = { outcome: 'granted', reasonCategory: 'no_violation', reasonText: 'Friendly banter, no insult.' };
    const mod1Pending = await mod1.agent.get('/api/moderation/appeals').expect(200);
    expect(mod1Pending.body.items.map((a: { id: string }) => a.id)).not.toContain(appeal.body.id);
    await mod1.agent.post(`/api/moderation/appeals/${appeal.body.id}/decision`).send(decision).expect(403);
    await pankowMod.agent.post(`/api/moderation/appeals/${appeal.body.id}/decision`).send(decision).expect(404);
    const mod2Pending = await mod2.agent.get('/api/moderation/appeals').expect(200);
    expect(mod2Pending.body.items.map((a: { id: string }) => a.id)).toContain(appeal.body.id);
    const decided = await mod2.agent.post(`/api/moderation/appeals/${appeal.body.id}/decision`).send(decision).expect(200);
    expect(decided.body.status).toBe('granted');
    await mod2.agent.post(`/api/moderation/appeals/${appeal.body.id}/decision`).send(decision).expect(409);
    await stranger.agent.get(`/api/posts/${postId}`).expect(200);

    const mine = await author.agent.get('/api/moderation/mine').expect(200);
    expect(mine.body.appeals[0]).toMatchObject({ id: appeal.body.id, status: 'granted' });

    const pub = await request(t.app).get(`/api/regions/${city.mitteA.slug}/moderation`).expect(200);
    const entries = pub.body.items.filter((e: { id: string }) => Number(e.id) >= Number(actionId));
    expect(entries.map((e: { action: string }) => e.action).slice(0, 2)).toEqual(['appeal_granted', 'hide']);
    expect(entries[0].target).toBe(entries[1].target);
    for (const entry of pub.body.items)
      expect(Object.keys(entry).sort()).toEqual(['action', 'createdAt', 'id', 'reasonCategory', 'target', 'targetKind']);
    const text = JSON.stringify(pub.body.items);
    for (const secret of [author.handle, mod1.handle, mod2.handle, REASON.reasonText]) expect(text).not.toContain(secret);
    expect(pub.body.items.map((e: { target: string }) => e.target)).not.toContain(postId);
    expect(pub.body.moderators.map((m: { handle: string }) => m.handle)).toEqual(expect.arrayContaining([mod1.handle, lead.handle]));
    // the full log names the actors, for the region's moderators only
    const full = await mod1.agent.get(`/api/moderation/regions/${city.mitte.slug}/log`).expect(200);
    expect(full.body.items.slice(0, 2).map((e: { actor: string }) => e.actor)).toEqual([mod2.handle, mod1.handle]);
    await pankowMod.agent.get(`/api/moderation/regions/${city.mitte.slug}/log`).expect(403);
    // Pankow's log has none of it
    const pankowLog = await request(t.app).get(`/api/regions/${city.pankow.slug}/moderation`).expect(200);
    expect(pankowLog.body.items.map((e: { target: string }) => e.target)).not.toContain(entries[0].target);
  });

  it('keeps the action log append-only at the database', async () => {
    const author = await signUp(t.app);
    const postId = await writePost(author.agent, city.points.mitteA);
    await mod1.agent
      .post(`/api/moderation/items/post/${postId}/actions`)
      .send({ action: 'warn', ...REASON })
      .expect(201);
    const before = await t.db('moderation_actions').where({ target_id: postId }).select('*');
    expect(before).toHaveLength(1);
    await expect(t.db('moderation_actions').where({ target_id: postId }).update({ reason_text: 'rewritten' })).rejects.toThrow(/append-only/);
    await expect(t.db('moderation_actions').where({ target_id: postId }).delete()).rejects.toThrow(/append-only/);
    await expect(t.db.raw('UPDATE moderation_actions SET action = ? WHERE target_id = ?', ['dismiss', postId])).rejects.toThrow(/append-only/);
    expect(await t.db('moderation_actions').where({ target_id: postId }).select('*')).toEqual(before);
  });
});

describe('confinement by display cell', () => {
  it('puts an item on a border in the scope of the moderators of every region it touches', async () => {
    const author = await signUp(t.app);
    const postId = await writePost(author.agent, city.points.border);
    await mod1.agent.get(`/api/moderation/items/post/${postId}`).expect(200);
    await pankowMod.agent.get(`/api/moderation/items/post/${postId}`).expect(200);
    const inPankow = await writePost(author.agent, city.points.pankowA);
    await mod1.agent.get(`/api/moderation/items/post/${inPankow}`).expect(404);
  });

  it('computes the regions an item touches in SQL exactly as the res-8 covers say, at every precision', async () => {
    const author = await signUp(t.app);
    const regions = [city.city, city.mitte, city.pankow, city.mitteA, city.mitteB, city.pankowA];
    const { x0, y0, x1, y1 } = city.bounds;
    let sawSeveral = 0;
    for (let i = 0; i < 12; i++) {
      // the first point sits on the Mitte/Pankow border (at res 7 it touches both districts' neighbourhoods): the sweep
      // crosses a border every run; the others are random
      const at = i === 0 ? city.points.border : { lat: y0 + Math.random() * (y1 - y0), lon: x0 + Math.random() * (x1 - x0) };
      const precision = ([7, 8, 9] as Precision[])[i % 3]!;
      const postId = await writePost(author.agent, at, { precision });
      const placed = placeAtPrecision(at, precision);
      const cells8 = precision === 7 ? cellChildren(placed.displayCell, 8) : [placed.h3_8];
      const wanted = new Set(cells8.map((c) => cellToBigint(c).toString()));
      const expected = regions.filter((r) => r.cells.some((c) => wanted.has(c))).map((r) => r.id);
      const item = await admin.agent.get(`/api/moderation/items/post/${postId}`).expect(200);
      const got = (item.body.regionIds as string[]).filter((id) => regions.some((r) => r.id === id));
      expect(got.sort()).toEqual(expected.sort());
      if (expected.length > 3) sawSeveral++;
    }
    // the sweep crossed at least one border (else it proves little; the border point sees to it)
    expect(sawSeveral).toBeGreaterThan(0);
  });
});
