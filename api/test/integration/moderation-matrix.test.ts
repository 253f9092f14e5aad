import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, signUp } from '../helpers.ts';
import { createCast, createTestCity, REASON, writePost, type Agent, type TestCity } from '../moderation.fixtures.ts';

// The confinement matrix (issue 11): every moderation route × {anonymous, resident, moderator of this region (Mitte),
// moderator of a sibling (Pankow), moderator of the parent (the city), lead of Mitte, admin} → the expected status.
// The item always lies in Mitte only. Every cell is asserted: a route's whole row is compared at once.

const t = makeTestApp();
let city: TestCity;
let cast: Awaited<ReturnType<typeof createCast>>;
let author: Awaited<ReturnType<typeof signUp>>;

const WHO = ['anonymous', 'resident', 'moderatorHere', 'moderatorSibling', 'moderatorParent', 'lead', 'admin'] as const;
type Who = (typeof WHO)[number];
type Row = Record<Who, number | string>;

beforeAll(async () => {
  city = await createTestCity(t.db);
  cast = await createCast(t, city);
  author = await signUp(t.app);
});
afterAll(() => t.close());

function agentOf(who: Who): Agent {
  switch (who) {
    case 'anonymous':
      return request.agent(t.app);
    case 'resident':
      return cast.resident.agent;
    case 'moderatorHere':
      return cast.modThis.agent;
    case 'moderatorSibling':
      return cast.modSibling.agent;
    case 'moderatorParent':
      return cast.modParent.agent;
    case 'lead':
      return cast.lead.agent;
    case 'admin':
      return cast.admin.agent;
  }
}

/** A post in Mitte, reported (so it is in the queue). */
async function reportedPost(): Promise<string> {
  const id = await writePost(author.agent, city.points.mitteA);
  await cast.resident.agent.post('/api/reports').send({ targetKind: 'post', targetId: id, reason: 'spam' }).expect(201);
  return id;
}

/** A post in Mitte hidden by another Mitte moderator and appealed by its author: returns [action id, appeal id]. */
async function appealedAction(): Promise<[string, string]> {
  const id = await writePost(author.agent, city.points.mitteA);
  const action = await cast.actor.agent
    .post(`/api/moderation/items/post/${id}/actions`)
    .send({ action: 'hide', ...REASON })
    .expect(201);
  const appeal = await author.agent.post(`/api/moderation/actions/${action.body.id}/appeal`).send({ text: 'Please look again.' }).expect(201);
  return [action.body.id, appeal.body.id];
}

/** Runs `call` once per viewer (after `setup`, fresh per cell) and returns each viewer's outcome. */
async function row(
  call: (agent: Agent, who: Who, fixture: string) => Promise<number | string>,
  setup: () => Promise<string> = async () => '',
): Promise<Row> {
  const out = {} as Row;
  for (const who of WHO) out[who] = await call(agentOf(who), who, await setup());
  return out;
}

const expectRow = (
  anonymous: number | string,
  resident: number | string,
  here: number | string,
  sibling: number | string,
  parent: number | string,
  lead: number | string,
  admin: number | string,
): Row => ({
  anonymous,
  resident,
  moderatorHere: here,
  moderatorSibling: sibling,
  moderatorParent: parent,
  lead,
  admin,
});

describe('confinement matrix (item in Mitte)', () => {
  it('GET /api/moderation/queue: status, and whether the Mitte item is listed', async () => {
    const id = await reportedPost();
    const got = await row(async (agent) => {
      const res = await agent.get('/api/moderation/queue?limit=100');
      if (res.status !== 200) return res.status;
      return res.body.items.some((i: { targetId: string }) => i.targetId === id) ? '200 listed' : '200 absent';
    });
    expect(got).toEqual(expectRow(401, 403, '200 listed', '200 absent', '200 listed', '200 listed', '200 listed'));
  });

  it('GET /api/moderation/items/post/:id', async () => {
    const id = await reportedPost();
    const got = await row(async (agent) => (await agent.get(`/api/moderation/items/post/${id}`)).status);
    expect(got).toEqual(expectRow(401, 404, 200, 404, 200, 200, 200));
  });

  it('GET /api/moderation/items/post/:id with a guessed id: 404 like any item out of scope', async () => {
    const max = await t.db('posts').max('id as id').first();
    const guessed = String(Number(max!.id) + 1000);
    const got = await row(async (agent) => (await agent.get(`/api/moderation/items/post/${guessed}`)).status);
    expect(got).toEqual(expectRow(401, 404, 404, 404, 404, 404, 404));
  });

  it('GET /api/moderation/items/comment/:id', async () => {
    const postId = await writePost(author.agent, city.points.mitteA);
    const comment = await cast.resident.agent.post(`/api/posts/${postId}/comments`).send({ body: 'a comment' }).expect(201);
    const got = await row(async (agent) => (await agent.get(`/api/moderation/items/comment/${comment.body.id}`)).status);
    expect(got).toEqual(expectRow(401, 404, 200, 404, 200, 200, 200));
  });

  it('POST /api/moderation/items/post/:id/actions', async () => {
    const got = await row(
      async (agent, _who, id) => (await agent.post(`/api/moderation/items/post/${id}/actions`).send({ action: 'hide', ...REASON })).status,
      reportedPost,
    );
    expect(got).toEqual(expectRow(401, 404, 201, 404, 201, 201, 201));
  });

  it('POST restore of another moderator’s action (leads reverse moderators)', async () => {
    const setup = async () => {
      const id = await writePost(author.agent, city.points.mitteA);
      await cast.actor.agent
        .post(`/api/moderation/items/post/${id}/actions`)
        .send({ action: 'hide', ...REASON })
        .expect(201);
      return id;
    };
    const restore = { action: 'restore', reasonCategory: 'no_violation', reasonText: 'Fine after all.' };
    const got = await row(async (agent, _who, id) => (await agent.post(`/api/moderation/items/post/${id}/actions`).send(restore)).status, setup);
    expect(got).toEqual(expectRow(401, 404, 403, 404, 403, 201, 201));
  });

  it('GET /api/moderation/appeals: status, and whether the Mitte appeal is listed', async () => {
    const [, appealId] = await appealedAction();
    const got = await row(async (agent) => {
      const res = await agent.get('/api/moderation/appeals?limit=100');
      if (res.status !== 200) return res.status;
      return res.body.items.some((a: { id: string }) => a.id === appealId) ? '200 listed' : '200 absent';
    });
    expect(got).toEqual(expectRow(401, 403, '200 listed', '200 absent', '200 listed', '200 listed', '200 listed'));
  });

  it('POST /api/moderation/appeals/:id/decision', async () => {
    const decision = { outcome: 'denied', reasonCategory: 'harassment', reasonText: 'The insult stands.' };
    const got = await row(
      async (agent, _who, appealId) => (await agent.post(`/api/moderation/appeals/${appealId}/decision`).send(decision)).status,
      async () => (await appealedAction())[1],
    );
    expect(got).toEqual(expectRow(401, 404, 200, 404, 200, 200, 200));
  });

  it('POST /api/moderation/actions/:id/appeal (only the item’s author may appeal)', async () => {
    const got = await row(
      async (agent, _who, actionId) => (await agent.post(`/api/moderation/actions/${actionId}/appeal`).send({ text: 'mine?' })).status,
      async () => {
        const id = await writePost(author.agent, city.points.mitteA);
        const action = await cast.actor.agent
          .post(`/api/moderation/items/post/${id}/actions`)
          .send({ action: 'warn', ...REASON })
          .expect(201);
        return action.body.id as string;
      },
    );
    expect(got).toEqual(expectRow(401, 404, 404, 404, 404, 404, 404));
  });

  it('GET /api/moderation/regions/:key/log (full log) for Mitte and for its Ortsteil', async () => {
    await appealedAction();
    const mitte = await row(async (agent) => (await agent.get(`/api/moderation/regions/${city.mitte.slug}/log`)).status);
    expect(mitte).toEqual(expectRow(401, 403, 200, 403, 200, 200, 200));
    const ortsteil = await row(async (agent) => (await agent.get(`/api/moderation/regions/${city.mitteA.slug}/log`)).status);
    expect(ortsteil).toEqual(expectRow(401, 403, 200, 403, 200, 200, 200));
  });

  it('GET /api/regions/:key/moderation (public log)', async () => {
    const got = await row(async (agent) => (await agent.get(`/api/regions/${city.mitte.slug}/moderation`)).status);
    expect(got).toEqual(expectRow(200, 200, 200, 200, 200, 200, 200));
  });

  it('POST /api/reports', async () => {
    const got = await row(
      async (agent, _who, id) => (await agent.post('/api/reports').send({ targetKind: 'post', targetId: id, reason: 'spam' })).status,
      () => writePost(author.agent, city.points.mitteA),
    );
    expect(got).toEqual(expectRow(401, 201, 201, 201, 201, 201, 201));
  });

  it('GET /api/moderation/me and /api/moderation/mine', async () => {
    const me = await row(async (agent) => (await agent.get('/api/moderation/me')).status);
    expect(me).toEqual(expectRow(401, 200, 200, 200, 200, 200, 200));
    const mine = await row(async (agent) => (await agent.get('/api/moderation/mine')).status);
    expect(mine).toEqual(expectRow(401, 200, 200, 200, 200, 200, 200));
  });

  it('GET, PUT and DELETE /api/moderation/roles (administrators only)', async () => {
    const list = await row(async (agent) => (await agent.get(`/api/moderation/roles?region=${city.mitte.slug}`)).status);
    expect(list).toEqual(expectRow(401, 403, 403, 403, 403, 403, 200));
    const put = await row(
      async (agent, _who, handle) => (await agent.put('/api/moderation/roles').send({ region: city.mitteB.slug, handle, role: 'moderator' })).status,
      async () => (await signUp(t.app)).handle,
    );
    expect(put).toEqual(expectRow(401, 403, 403, 403, 403, 403, 200));
    const del = await row(
      async (agent, _who, handle) => (await agent.delete(`/api/moderation/roles/${city.mitteB.slug}/${handle}`)).status,
      async () => {
        const user = await signUp(t.app);
        await cast.admin.agent.put('/api/moderation/roles').send({ region: city.mitteB.slug, handle: user.handle, role: 'moderator' }).expect(200);
        return user.handle;
      },
    );
    expect(del).toEqual(expectRow(401, 403, 403, 403, 403, 403, 204));
  });
});
