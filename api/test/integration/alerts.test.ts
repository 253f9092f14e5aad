import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '../../src/app.ts';
import type { Db } from '../../src/db/knex.ts';
import { bigintToCell, cellChildren, cellParent, pointToCell } from '../../src/geo/h3.ts';
import { hashToken } from '../../src/services/auth.service.ts';
import { signUp, testConfig, uniqueHandle } from '../helpers.ts';
import { appoint, createTestCity, REASON, signUpLivingAt, type TestCity } from '../moderation.fixtures.ts';
import { openStream, startLiveServer, stopLiveServer, type LiveTestServer, type SseStream } from '../sse.helpers.ts';

// Official alerts (issue 13): moderators post them only inside their regions; boards pin the running ones covering
// what they show; "Seen" counts distinct people exactly (shown from 10 up); the notification worker reaches area
// subscribers and residents inside (not others) in batches; SSE streams watching the area get them.
// (Answers to reports and appeals: moderation-answers.test.ts.)

let live: LiveTestServer | undefined;
let db: Db;
let app: ReturnType<typeof createApp>;
let url: string;
let city: TestCity;
const streams: SseStream[] = [];
const t = () => ({ app: app.app, db, close: async () => undefined });

let admin: Awaited<ReturnType<typeof signUp>>;
let modMitte: Awaited<ReturnType<typeof signUp>>;
let modPankow: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  live = await startLiveServer(testConfig({ LIVE_STREAMS_PER_CLIENT: '100' }), 8);
  ({ app, db, url } = live);
  city = await createTestCity(db);
  admin = await signUp(app.app);
  await db('users').where({ id: admin.user.id }).update({ is_admin: true });
  [modMitte, modPankow] = await Promise.all([signUp(app.app), signUp(app.app)]);
  await appoint(admin.agent, city.mitte, modMitte.handle);
  await appoint(admin.agent, city.pankow, modPankow.handle);
});

afterAll(() => stopLiveServer(live, streams));

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const alertBody = (area: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  title: 'Water off on Teststraße',
  body: 'Pipe repairs until tonight. Bring a bucket.',
  severity: 'warning',
  endsAt: inHours(6),
  area,
  ...extra,
});
const cellAt = (p: { lat: number; lon: number }, res: number) => pointToCell(p, res);
const pinnedAt = async (p: { lat: number; lon: number }) =>
  ((await request(app.app).get(`/api/alerts?lat=${p.lat}&lon=${p.lon}`).expect(200)).body.items as { id: string }[]).map((a) => a.id);

/** Many signed-in people at once without paying argon2 per person: users (optionally at home somewhere) and sessions. */
async function crowd(n: number, homeCells9: string[] = []): Promise<{ ids: string[]; cookies: string[] }> {
  const users = Array.from({ length: n }, (_, i) => {
    const handle = uniqueHandle('al');
    return {
      handle,
      display_name: handle,
      email: `${handle}@example.test`,
      password_hash: 'not-a-login',
      home_h3_9: homeCells9.length ? BigInt('0x' + homeCells9[i % homeCells9.length]).toString() : null,
    };
  });
  const ids: { id: string }[] = [];
  for (let i = 0; i < users.length; i += 1000)
    ids.push(
      ...(await db('users')
        .insert(users.slice(i, i + 1000))
        .returning('id')),
    );
  const tokens = ids.map(() => randomBytes(24).toString('base64url'));
  for (let i = 0; i < ids.length; i += 1000) {
    await db('sessions').insert(
      ids
        .slice(i, i + 1000)
        .map(({ id }, j) => ({ token_hash: hashToken(tokens[i + j]!), user_id: id, expires_at: new Date(Date.now() + 3_600_000) })),
    );
  }
  return { ids: ids.map((r) => String(r.id)), cookies: tokens.map((token) => `hx_session=${token}`) };
}

/** Runs the worker until the alert's fan-out is done (another test file's worker may hold it for a moment). */
async function fanOut(alertId: string) {
  for (let i = 0; i < 200; i++) {
    await app.notificationWorker.runOnce();
    const row = await db('official_alerts').where({ post_id: alertId }).first('fanout_done_at');
    if (row?.fanout_done_at) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('alert fan-out did not finish');
}

const alertNotes = async (agent: ReturnType<typeof request.agent>, alertId: string) =>
  ((await agent.get('/api/notifications').expect(200)).body.items as { kind: string; postId: string }[]).filter(
    (n) => n.kind === 'alert' && n.postId === alertId,
  );

describe('posting alerts', () => {
  it('lets moderators post only inside their own regions, administrators anywhere, residents nowhere', async () => {
    const region = await modMitte.agent
      .post('/api/alerts')
      .send(alertBody({ region: city.mitte.slug }))
      .expect(201);
    expect(region.body).toMatchObject({ severity: 'warning', issuer: 'Moderators of Mitte', active: true, seenCount: null, isAuthor: true });
    expect(region.body.cells.length).toBe(city.mitte.cells.length);
    expect(JSON.stringify(region.body)).not.toContain(modMitte.handle);
    // a neighbourhood of the district, and cells drawn inside it (any resolution 7–9)
    await modMitte.agent
      .post('/api/alerts')
      .send(alertBody({ region: city.mitteA.slug }))
      .expect(201);
    const drawn = await modMitte.agent
      .post('/api/alerts')
      .send(alertBody({ cells: [cellAt(city.points.mitteA, 9), cellAt(city.points.mitteA, 8)] }))
      .expect(201);
    expect(drawn.body.cells).toEqual([cellAt(city.points.mitteA, 8)]);

    // elsewhere: 403 (regions and cells are public, so saying "not yours" reveals nothing); a missing region 404
    const other = await modMitte.agent
      .post('/api/alerts')
      .send(alertBody({ region: city.pankow.slug }))
      .expect(403);
    expect(other.headers['content-type']).toMatch(/application\/problem\+json/);
    await modMitte.agent
      .post('/api/alerts')
      .send(alertBody({ region: city.city.slug }))
      .expect(403);
    await modMitte.agent
      .post('/api/alerts')
      .send(alertBody({ cells: [cellAt(city.points.mitteA, 8), cellAt(city.points.pankowA, 8)] }))
      .expect(403);
    await modMitte.agent
      .post('/api/alerts')
      .send(alertBody({ region: 'no-such-region-here' }))
      .expect(404);
    const resident = await signUpLivingAt(t(), city.points.mitteA);
    await resident.agent
      .post('/api/alerts')
      .send(alertBody({ region: city.mitte.slug }))
      .expect(403);
    await request(app.app)
      .post('/api/alerts')
      .send(alertBody({ region: city.mitte.slug }))
      .expect(401);
    const byAdmin = await admin.agent
      .post('/api/alerts')
      .send(alertBody({ cells: [cellAt(city.points.pankowA, 8)] }))
      .expect(201);
    expect(byAdmin.body.issuer).toBe('Hexhood administrators');
  });

  it('refuses hostile or out-of-bounds input with 4xx problem+json and field errors', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [alertBody({ region: city.mitte.slug }, { endsAt: inHours(-1) }), 'body.endsAt'],
      [alertBody({ region: city.mitte.slug }, { endsAt: inHours(24 * 15) }), 'body.endsAt'],
      [alertBody({ region: city.mitte.slug }, { endsAt: 'tomorrow' }), 'body.endsAt'],
      [alertBody({ region: city.mitte.slug }, { severity: 'apocalyptic' }), 'body.severity'],
      [alertBody({ region: city.mitte.slug }, { link: 'javascript:alert(1)' }), 'body.link'],
      [alertBody({ region: city.mitte.slug }, { title: '' }), 'body.title'],
      [alertBody({ region: city.mitte.slug }, { title: 'a\u0000b' }), 'body.title'],
      [alertBody({ region: city.mitte.slug }, { title: 'x'.repeat(141) }), 'body.title'],
      [alertBody({ region: city.mitte.slug, cells: [cellAt(city.points.mitteA, 8)] }), 'body.area'],
      [alertBody({ cells: [cellAt(city.points.mitteA, 5)] }), 'body.area'],
      [alertBody({ cells: ['zzz'] }), 'body.area'],
      [alertBody({ cells: [] }), 'body.area'],
      [alertBody({ region: "'; DROP TABLE posts; --" }), 'body.area'],
      [{ ...alertBody({ region: city.mitte.slug }), authorId: '1' }, 'body'],
    ];
    for (const [body, field] of cases) {
      const res = await modMitte.agent.post('/api/alerts').send(body);
      expect(res.status, JSON.stringify(body).slice(0, 120)).toBe(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(
        res.body.errors.map((e: { field: string }) => e.field).some((f: string) => f.startsWith(field)),
        JSON.stringify(res.body.errors),
      ).toBe(true);
    }
    await request(app.app).get('/api/alerts').expect(400);
    await request(app.app).get('/api/alerts?lat=91&lon=0').expect(400);
    await request(app.app).get('/api/alerts/abc').expect(400);
    await request(app.app).get('/api/alerts/999999999999').expect(404);
  });
});

describe('pinned on boards', () => {
  it('pins a running alert for a board inside its area, not outside; ended, it leaves the pins but stays readable', async () => {
    const { body: alert } = await modMitte.agent
      .post('/api/alerts')
      .send(alertBody({ region: city.mitteA.slug }, { severity: 'urgent' }))
      .expect(201);
    expect(await pinnedAt(city.points.mitteA)).toContain(alert.id);
    expect(await pinnedAt(city.points.pankowA)).not.toContain(alert.id);
    // hexagon boards: a res-9 cell inside, the res-7 cell around it; a Pankow cell is not covered
    for (const cell of [cellAt(city.points.mitteA, 9), cellAt(city.points.mitteA, 7)]) {
      const ids = (await request(app.app).get(`/api/alerts?cell=${cell}`).expect(200)).body.items.map((a: { id: string }) => a.id);
      expect(ids).toContain(alert.id);
    }
    const pankowIds = (
      await request(app.app)
        .get(`/api/alerts?cell=${cellAt(city.points.pankowA, 9)}`)
        .expect(200)
    ).body.items;
    expect(pankowIds.map((a: { id: string }) => a.id)).not.toContain(alert.id);
    // it is a public post too
    const post = await request(app.app).get(`/api/posts/${alert.id}`).expect(200);
    expect(post.body).toMatchObject({ kind: 'alert', title: alert.title });
    // …written by the moderators' system account, never naming the moderator who issued it; that account never signs in
    expect(post.body.author).toEqual({ handle: 'hexhood_alerts', displayName: 'Hexhood moderators' });
    expect(JSON.stringify(post.body)).not.toContain(modMitte.handle);
    await request(app.app).post('/api/auth/login').send({ login: 'hexhood_alerts', password: 'correct horse battery' }).expect(401);

    // only its author, a moderator of its region or an administrator end it
    await modPankow.agent.post(`/api/alerts/${alert.id}/end`).expect(403);
    const ended = await modMitte.agent.post(`/api/alerts/${alert.id}/end`).expect(200);
    expect(ended.body.active).toBe(false);
    await modMitte.agent.post(`/api/alerts/${alert.id}/end`).expect(409);
    expect(await pinnedAt(city.points.mitteA)).not.toContain(alert.id);
    const page = await request(app.app).get(`/api/alerts/${alert.id}`).expect(200);
    expect(page.body).toMatchObject({ id: alert.id, active: false });

    // and one that simply runs out
    const { body: short } = await modMitte.agent
      .post('/api/alerts')
      .send(alertBody({ region: city.mitteA.slug }))
      .expect(201);
    expect(await pinnedAt(city.points.mitteA)).toContain(short.id);
    await db('official_alerts')
      .where({ post_id: short.id })
      .update({ starts_at: db.raw(`now() - interval '1 hour'`), ends_at: db.raw(`now() - interval '1 second'`) });
    expect(await pinnedAt(city.points.mitteA)).not.toContain(short.id);
  });

  it('drops an alert a moderator hid from the pins (the audience policy decides)', async () => {
    const { body: alert } = await modMitte.agent
      .post('/api/alerts')
      .send(alertBody({ region: city.mitteB.slug }))
      .expect(201);
    const inMitteB = { lat: city.points.mitteA.lat, lon: city.points.mitteA.lon + 0.03 };
    expect(await pinnedAt(inMitteB)).toContain(alert.id);
    await admin.agent
      .post(`/api/moderation/items/post/${alert.id}/actions`)
      .send({ action: 'hide', ...REASON })
      .expect(201);
    expect(await pinnedAt(inMitteB)).not.toContain(alert.id);
    await request(app.app).get(`/api/alerts/${alert.id}`).expect(404);
  });
});

describe('"Seen"', () => {
  it('counts distinct people exactly under 50 concurrent presses, idempotently, shown only from 10 up', async () => {
    const { body: alert } = await modMitte.agent
      .post('/api/alerts')
      .send(alertBody({ region: city.mitteA.slug }))
      .expect(201);
    const people = await crowd(50);
    const seen = (cookie: string) => request(app.app).post(`/api/alerts/${alert.id}/seen`).set('cookie', cookie);
    // nine people: fewer than ten, so no number — for them or for the author
    for (const cookie of people.cookies.slice(0, 9)) await seen(cookie).expect(200);
    const nine = await seen(people.cookies[0]!).expect(200);
    expect(nine.body).toMatchObject({ seenCount: null, seenByMe: true });
    expect((await modMitte.agent.get(`/api/alerts/${alert.id}`).expect(200)).body.seenCount).toBeNull();
    // the tenth makes it a number
    await seen(people.cookies[9]!).expect(200);
    expect((await request(app.app).get(`/api/alerts/${alert.id}`).expect(200)).body.seenCount).toBe(10);
    // everyone at once, each twice: exactly 50
    const all = await Promise.all([...people.cookies, ...people.cookies].map((c) => seen(c)));
    expect(all.every((r) => r.status === 200)).toBe(true);
    const after = await modMitte.agent.get(`/api/alerts/${alert.id}`).expect(200);
    expect(after.body).toMatchObject({ seenCount: 50, seenByMe: false, isAuthor: true });
    expect((await db('alert_acks').where({ post_id: alert.id }).count<{ count: string }[]>('* as count'))[0]!.count).toBe('50');
    // signed-out: no
    await request(app.app).post(`/api/alerts/${alert.id}/seen`).expect(401);
  });
});

describe('reach', () => {
  it('notifies area subscribers and residents inside (urgent ones despite preferences), nobody else, once', async () => {
    const inside = await signUpLivingAt(t(), city.points.mitteA);
    const outside = await signUpLivingAt(t(), city.points.pankowA);
    const subscriber = await signUp(app.app);
    // a res-7 subscription around the area counts; so does a res-9 one inside it
    await subscriber.agent
      .post('/api/subscriptions')
      .send({ name: 'Around mitteA', cells: [cellAt(city.points.mitteA, 7)] })
      .expect(201);
    const fineSubscriber = await signUp(app.app);
    await fineSubscriber.agent
      .post('/api/subscriptions')
      .send({ name: 'My block', cells: [cellAt(city.points.mitteA, 9)] })
      .expect(201);
    const elsewhereSubscriber = await signUp(app.app);
    await elsewhereSubscriber.agent
      .post('/api/subscriptions')
      .send({ name: 'Pankow', cells: [cellAt(city.points.pankowA, 8)] })
      .expect(201);
    const quiet = await signUpLivingAt(t(), city.points.mitteA);
    await quiet.agent.patch('/api/notifications/preferences').send({ alert: false }).expect(200);

    const area = { cells: [cellAt(city.points.mitteA, 8)] };
    const { body: info } = await modMitte.agent
      .post('/api/alerts')
      .send(alertBody(area, { severity: 'info' }))
      .expect(201);
    const { body: urgent } = await modMitte.agent
      .post('/api/alerts')
      .send(alertBody(area, { severity: 'urgent', title: 'Lost child' }))
      .expect(201);
    await fanOut(info.id);
    await fanOut(urgent.id);

    for (const p of [inside, subscriber, fineSubscriber]) {
      expect((await alertNotes(p.agent, info.id)).length).toBe(1);
      expect((await alertNotes(p.agent, urgent.id)).length).toBe(1);
    }
    for (const p of [outside, elsewhereSubscriber, modMitte]) {
      expect(await alertNotes(p.agent, info.id)).toEqual([]);
      expect(await alertNotes(p.agent, urgent.id)).toEqual([]);
    }
    // switched off: no info alert, but the urgent one comes anyway
    expect(await alertNotes(quiet.agent, info.id)).toEqual([]);
    expect((await alertNotes(quiet.agent, urgent.id)).length).toBe(1);
    // running the worker again adds nothing
    await app.notificationWorker.runOnce();
    expect((await alertNotes(inside.agent, urgent.id)).length).toBe(1);
    const note = (await inside.agent.get('/api/notifications').expect(200)).body.items.find((n: { postId: string }) => n.postId === urgent.id);
    expect(note).toMatchObject({ kind: 'alert', postTitle: 'Lost child', actor: null });
  });

  it('reaches 5,000 homes in batches off the request (time printed)', async () => {
    const region = city.mitteB;
    const homes = region.cells.flatMap((c) => cellChildren(bigintToCell(c), 9));
    const people = await crowd(5000, homes);
    const started = performance.now();
    const { body: alert } = await admin.agent
      .post('/api/alerts')
      .send(alertBody({ region: region.slug }, { severity: 'urgent' }))
      .expect(201);
    const requestMs = performance.now() - started;
    const fanStart = performance.now();
    await fanOut(alert.id);
    const fanMs = performance.now() - fanStart;
    const got = await db('notifications')
      .where({ kind: 'alert', post_id: alert.id })
      .whereIn('user_id', people.ids)
      .count<{ count: string }[]>('* as count');
    expect(Number(got[0]!.count)).toBe(5000);
    console.info(`alerts: POST /api/alerts ${requestMs.toFixed(0)} ms; notifying 5,000 homes took ${fanMs.toFixed(0)} ms in the worker`);
  });
});

describe('live', () => {
  it('reaches SSE streams watching any of its cells and no others', async () => {
    const mitteCells = [cellAt(city.points.mitteA, 8), cellParent(cellAt(city.points.mitteA, 8), 7)].join(',');
    const pankowCells = cellAt(city.points.pankowA, 8);
    const watching = await openStream(`${url}/api/stream?cells=${mitteCells}`);
    const elsewhere = await openStream(`${url}/api/stream?cells=${pankowCells}`);
    streams.push(watching, elsewhere);
    for (const s of [watching, elsewhere]) await s.next((m) => m.event === 'ready');

    const { body: alert } = await modMitte.agent
      .post('/api/alerts')
      .send(alertBody({ region: city.mitteA.slug }, { title: 'Road closed' }))
      .expect(201);
    const got = await watching.next((m) => m.event === 'alert' && (m.data as { alertId: string }).alertId === alert.id);
    expect(got.data).toMatchObject({ alertId: alert.id, title: 'Road closed', severity: 'warning', endsAt: alert.endsAt });
    // a later Pankow alert reaches the Pankow stream; the Mitte one never did
    const { body: pankowAlert } = await modPankow.agent
      .post('/api/alerts')
      .send(alertBody({ region: city.pankowA.slug }))
      .expect(201);
    await elsewhere.next((m) => m.event === 'alert' && (m.data as { alertId: string }).alertId === pankowAlert.id);
    expect(elsewhere.messages.some((m) => m.event === 'alert' && (m.data as { alertId: string }).alertId === alert.id)).toBe(false);
  });
});
