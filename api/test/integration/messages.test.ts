import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { createApp } from '../../src/app.ts';
import type { Db } from '../../src/db/knex.ts';
import { NEW_ACCOUNT_CONVERSATIONS_PER_DAY, MESSAGES_PER_MINUTE } from '../../src/contract/limits.ts';
import { offsetMeters, PASSWORD, randomPlace, testConfig, uniqueHandle } from '../helpers.ts';
import { offerBody } from '../merchants.helpers.ts';
import { openStream, startLiveServer, stopLiveServer, type LiveTestServer, type SseStream } from '../sse.helpers.ts';
import { appoint, createTestCity } from '../moderation.fixtures.ts';

// One-to-one messages (issue 13): person to person and person to shop (answered by the shop's team), who may message
// whom, blocks both ways, limits (429 + Retry-After), no oracle for outsiders, live delivery to the recipient only,
// notifications batched per conversation; offer claims notify the shop's team without naming the claimer.

let live: LiveTestServer | undefined;
let db: Db;
let url: string;
let app: ReturnType<typeof createApp>;
const streams: SseStream[] = [];

beforeAll(async () => {
  live = await startLiveServer(testConfig({ LIVE_HEARTBEAT_SECONDS: '5', LIVE_STREAMS_PER_CLIENT: '100' }), 5);
  ({ app, db, url } = live);
});

afterAll(() => stopLiveServer(live, streams));

/** A member; `old` backdates the account past the new-account window (so only the per-minute limit applies). */
async function person(home?: { lat: number; lon: number }, { old = true } = {}) {
  const handle = uniqueHandle('msg');
  const agent = request.agent(app.app);
  const res = await agent
    .post('/api/auth/register')
    .send({ handle, displayName: `M ${handle}`, email: `${handle}@example.test`, password: PASSWORD })
    .expect(201);
  const cookie = (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
  const id = res.body.user.id as string;
  if (old)
    await db('users')
      .where({ id })
      .update({ created_at: db.raw(`now() - interval '30 days'`) });
  if (home) await agent.put('/api/me/home').send(home).expect(200);
  return { agent, cookie, id, handle };
}
type Person = Awaited<ReturnType<typeof person>>;

async function shopOf(owner: Person, at: { lat: number; lon: number }) {
  const admin = await person();
  await db('users').where({ id: admin.id }).update({ is_admin: true });
  const created = await owner.agent
    .post('/api/merchants')
    .send({ name: `Bäckerei ${uniqueHandle('b')}`, category: 'bakery', location: at, openingHours: 'Mo-Su 00:00-24:00' })
    .expect(201);
  const shopId = created.body.id as string;
  const pending = await admin.agent.get('/api/admin/ownership-requests').expect(200);
  const req = (pending.body.items as { id: string; merchantId: string }[]).find((r) => r.merchantId === shopId)!;
  await admin.agent.post(`/api/admin/ownership-requests/${req.id}/decision`).send({ approve: true }).expect(204);
  return shopId;
}

const start = (from: Person, body: Record<string, unknown>) => from.agent.post('/api/conversations').send(body);
const everyone = (p: Person) => p.agent.put('/api/conversations/settings').send({ whoMayMessage: 'everyone' }).expect(200);

async function stream(cookie: string) {
  const s = await openStream(`${url}/api/stream?notifications=1`, { cookie });
  streams.push(s);
  await s.next((m) => m.event === 'ready');
  return s;
}

describe('messages between residents', () => {
  it('delivers a message to the recipient only: thread, list with unread, live event on their stream alone, batched notification', async () => {
    const place = randomPlace();
    const anna = await person(place);
    const ben = await person(offsetMeters(place, 300, 0));
    const bystander = await person(offsetMeters(place, 300, 0));
    const benStream = await stream(ben.cookie);
    const bystanderStream = await stream(bystander.cookie);
    const annaStream = await stream(anna.cookie);

    const first = await start(anna, { handle: ben.handle, body: 'Hallo Ben, bitte anrufen?' }).expect(201);
    const id = first.body.id as string;
    const live = await benStream.next((m) => m.event === 'message');
    expect(live.data).toEqual({ conversationId: id });

    const list = (await ben.agent.get('/api/conversations').expect(200)).body.items;
    expect(list[0]).toMatchObject({ id, with: { kind: 'person', handle: anna.handle }, unread: 1, lastMessage: 'Hallo Ben, bitte anrufen?' });
    expect((await ben.agent.get('/api/conversations/unread').expect(200)).body.unread).toBe(1);

    // starting again continues the same conversation
    const again = await start(anna, { handle: ben.handle, body: 'Noch da?' }).expect(201);
    expect(again.body.id).toBe(id);
    await app.notificationWorker.runOnce();
    const bell = (await ben.agent.get('/api/notifications').expect(200)).body.items.filter((n: { kind: string }) => n.kind === 'message');
    expect(bell).toHaveLength(1);
    expect(bell[0]).toMatchObject({ refId: id, count: 2, actor: { handle: anna.handle }, read: false });

    await ben.agent.post(`/api/conversations/${id}/messages`).send({ body: 'Ja, gleich!' }).expect(201);
    await annaStream.next((m) => m.event === 'message');
    const thread = (await ben.agent.get(`/api/conversations/${id}`).expect(200)).body;
    expect(thread.messages.map((m: { body: string; mine: boolean }) => [m.body, m.mine])).toEqual([
      ['Hallo Ben, bitte anrufen?', false],
      ['Noch da?', false],
      ['Ja, gleich!', true],
    ]);
    await ben.agent.post(`/api/conversations/${id}/read`).expect(204);
    expect((await ben.agent.get('/api/conversations/unread').expect(200)).body.unread).toBe(0);
    // reading the conversation reads its notification
    expect((await ben.agent.get('/api/notifications').expect(200)).body.items.find((n: { kind: string }) => n.kind === 'message').read).toBe(true);

    // nobody else hears of it, and an outsider gets exactly the 404 of a missing conversation
    expect(bystanderStream.messages.some((m) => m.event === 'message')).toBe(false);
    const outsider = await bystander.agent.get(`/api/conversations/${id}`).expect(404);
    const missing = await bystander.agent.get(`/api/conversations/999999999999`).expect(404);
    expect(outsider.body).toEqual({ ...missing.body, instance: outsider.body.instance });
    expect(outsider.headers['content-type']).toMatch(/application\/problem\+json/);
    await bystander.agent.post(`/api/conversations/${id}/messages`).send({ body: 'me too' }).expect(404);
    await bystander.agent.post(`/api/conversations/${id}/read`).expect(404);
  });

  it('honours who may message me: neighbours by default, everyone, nobody — one refusal for every reason', async () => {
    const place = randomPlace();
    const host = await person(place);
    const neighbour = await person(offsetMeters(place, 400, 0));
    const farAway = await person(offsetMeters(place, 40_000, 0));
    const homeless = await person();
    expect((await host.agent.get('/api/conversations/settings').expect(200)).body).toEqual({ whoMayMessage: 'neighbors' });
    await start(neighbour, { handle: host.handle, body: 'Hi neighbour' }).expect(201);
    const refusedFar = await start(farAway, { handle: host.handle, body: 'Hi' }).expect(403);
    await start(homeless, { handle: host.handle, body: 'Hi' }).expect(403);

    await everyone(host);
    await start(farAway, { handle: host.handle, body: 'Hi from afar' }).expect(201);

    await host.agent.put('/api/conversations/settings').send({ whoMayMessage: 'nobody' }).expect(200);
    const refusedNobody = await start(homeless, { handle: host.handle, body: 'Hi' }).expect(403);
    expect(refusedNobody.body.detail).toBe(refusedFar.body.detail);
    // an existing conversation the host took part in goes on; the host can always answer
    const conv = (await host.agent.get('/api/conversations').expect(200)).body.items.find(
      (c: { with: { handle: string } }) => c.with.handle === farAway.handle,
    );
    await host.agent.post(`/api/conversations/${conv.id}/messages`).send({ body: 'Thanks!' }).expect(201);
    await farAway.agent.post(`/api/conversations/${conv.id}/messages`).send({ body: 'You are welcome' }).expect(201);
    await host.agent.put('/api/conversations/settings').send({ whoMayMessage: 'sometimes' }).expect(422);
  });

  it('refuses both ways once either blocked the other, with the same answer as a closed inbox', async () => {
    const place = randomPlace();
    const a = await person(place);
    const b = await person(offsetMeters(place, 100, 0));
    const closed = await person(offsetMeters(place, 100, 0));
    await closed.agent.put('/api/conversations/settings').send({ whoMayMessage: 'nobody' }).expect(200);
    const { body: conv } = await start(a, { handle: b.handle, body: 'before the block' }).expect(201);
    await app.repositories.blocks.block(b.id, a.id);
    const blockedSender = await start(a, { handle: b.handle, body: 'again' }).expect(403);
    await a.agent.post(`/api/conversations/${conv.id}/messages`).send({ body: 'hello?' }).expect(403);
    await b.agent.post(`/api/conversations/${conv.id}/messages`).send({ body: 'bye' }).expect(403);
    const closedInbox = await start(a, { handle: closed.handle, body: 'hi' }).expect(403);
    expect(blockedSender.body.detail).toBe(closedInbox.body.detail);
    expect(blockedSender.body.title).toBe(closedInbox.body.title);
  });

  it('limits messages per minute and new accounts’ new conversations per day (429 + Retry-After); hostile input is a 4xx problem', async () => {
    const place = randomPlace();
    const chatty = await person(place);
    const friend = await person(offsetMeters(place, 100, 0));
    const { body: conv } = await start(chatty, { handle: friend.handle, body: 'one' }).expect(201);
    for (let i = 1; i < MESSAGES_PER_MINUTE; i++)
      await chatty.agent
        .post(`/api/conversations/${conv.id}/messages`)
        .send({ body: `m${i}` })
        .expect(201);
    const limited = await chatty.agent.post(`/api/conversations/${conv.id}/messages`).send({ body: 'too many' }).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);

    const newcomer = await person(place, { old: false });
    const targets = await Promise.all(Array.from({ length: NEW_ACCOUNT_CONVERSATIONS_PER_DAY + 1 }, () => person(offsetMeters(place, 200, 0))));
    for (const t of targets.slice(0, -1)) await start(newcomer, { handle: t.handle, body: 'Hallo!' }).expect(201);
    const capped = await start(newcomer, { handle: targets.at(-1)!.handle, body: 'Hallo!' }).expect(429);
    expect(Number(capped.headers['retry-after'])).toBeGreaterThan(3600);
    // links: as posts, new accounts may not fill a message with them
    const { body: open } = await start(targets[0]!, { handle: newcomer.handle, body: 'hi' }).expect(201);
    await newcomer.agent
      .post(`/api/conversations/${open.id}/messages`)
      .send({ body: 'https://a.example https://b.example https://c.example' })
      .expect(422);

    for (const bad of [
      {},
      { handle: friend.handle },
      { handle: friend.handle, body: '' },
      { handle: friend.handle, body: 'x'.repeat(2001) },
      { handle: friend.handle, merchantId: '1', body: 'x' },
      { handle: friend.handle, body: 'a\u0000b' },
      { handle: '../etc', body: 'x' },
    ]) {
      const res = await start(chatty, bad);
      expect(res.status, JSON.stringify(bad)).toBe(422);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    await chatty.agent.get('/api/conversations/abc').expect(400);
    await chatty.agent.get('/api/conversations/99999999999999999999').expect(400);
    await request(app.app).get('/api/conversations').expect(401);
  });
});

describe('messages with a shop', () => {
  it('a resident writes to a shop; its owner and staff read the inbox and answer as the shop; the resident sees the answer', async () => {
    const place = randomPlace();
    const owner = await person(place);
    const staff = await person(place);
    const resident = await person(offsetMeters(place, 200, 0));
    const stranger = await person(place);
    const shopId = await shopOf(owner, place);
    await owner.agent
      .post(`/api/merchants/${shopId}/staff`)
      .send({ handle: staff.handle })
      .expect((r) => expect(r.status).toBeLessThan(300));
    const ownerStream = await stream(owner.cookie);
    const staffStream = await stream(staff.cookie);
    const residentStream = await stream(resident.cookie);

    const { body: conv } = await start(resident, { merchantId: shopId, body: 'Habt ihr Roggenbrot?' }).expect(201);
    await ownerStream.next((m) => m.event === 'message' && (m.data as { conversationId: string }).conversationId === conv.id);
    await staffStream.next((m) => m.event === 'message');

    const inbox = (await staff.agent.get(`/api/merchants/${shopId}/conversations`).expect(200)).body.items;
    expect(inbox[0]).toMatchObject({ id: conv.id, with: { kind: 'person', handle: resident.handle }, unread: 1 });
    await stranger.agent.get(`/api/merchants/${shopId}/conversations`).expect(404);
    await stranger.agent.get(`/api/conversations/${conv.id}`).expect(404);

    await staff.agent.post(`/api/conversations/${conv.id}/messages`).send({ body: 'Ja, bis 18 Uhr.' }).expect(201);
    await residentStream.next((m) => m.event === 'message');
    const seen = (await resident.agent.get(`/api/conversations/${conv.id}`).expect(200)).body;
    expect(seen.with).toMatchObject({ kind: 'shop', merchantId: shopId });
    expect(seen.messages.at(-1)).toMatchObject({ body: 'Ja, bis 18 Uhr.', mine: false, from: seen.with.displayName });
    // the staff member's name reaches the resident nowhere
    expect(JSON.stringify(seen)).not.toContain(staff.handle);
    const asOwner = (await owner.agent.get(`/api/conversations/${conv.id}`).expect(200)).body;
    expect(asOwner.asShop).toMatchObject({ merchantId: shopId });
    expect(asOwner.messages.at(-1)).toMatchObject({ mine: true });
    // the shop's read marker is shared by its team: the staff answer read the resident's message for the owner too
    expect((await owner.agent.get(`/api/merchants/${shopId}/conversations`).expect(200)).body.items[0].unread).toBe(0);
    expect((await resident.agent.get('/api/conversations/unread').expect(200)).body.unread).toBe(1);

    // the team answers but never starts: no conversation to oneself's own shop either
    await owner.agent.post('/api/conversations').send({ merchantId: shopId, body: 'hi me' }).expect(422);
    await app.notificationWorker.runOnce();
    const residentBell = (await resident.agent.get('/api/notifications').expect(200)).body.items.find((n: { kind: string }) => n.kind === 'message');
    expect(residentBell).toMatchObject({ refId: conv.id, actor: null });
  });

  it('tells the shop’s team about claims, batched per offer, without naming who claimed', async () => {
    const place = randomPlace();
    const owner = await person(place);
    const staff = await person(place);
    const shopId = await shopOf(owner, place);
    await owner.agent
      .post(`/api/merchants/${shopId}/staff`)
      .send({ handle: staff.handle })
      .expect((r) => expect(r.status).toBeLessThan(300));
    const { body: offer } = await owner.agent
      .post(`/api/merchants/${shopId}/offers`)
      .send(offerBody({ title: 'Free coffee' }))
      .expect(201);
    const claimers = await Promise.all([1, 2, 3].map((i) => person(offsetMeters(place, 50 * i, 0))));
    const ownerStream = await stream(owner.cookie);
    const claimerStream = await stream(claimers[0]!.cookie);
    for (const c of claimers) await c.agent.post(`/api/offers/${offer.id}/claims`).expect(201);
    await ownerStream.next((m) => m.event === 'claim' && (m.data as { offerId: string }).offerId === String(offer.id));
    await app.notificationWorker.runOnce();
    for (const member of [owner, staff]) {
      const claims = (await member.agent.get('/api/notifications').expect(200)).body.items.filter((n: { kind: string }) => n.kind === 'claim');
      expect(claims).toHaveLength(1);
      expect(claims[0]).toMatchObject({ refId: String(offer.id), count: 3, actor: null, postTitle: 'Free coffee' });
      expect(JSON.stringify(claims)).not.toMatch(new RegExp(claimers.map((c) => c.handle).join('|')));
    }
    // a claimer hears nothing of it
    expect(claimerStream.messages.some((m) => m.event === 'claim')).toBe(false);
    expect((await claimers[0]!.agent.get('/api/notifications').expect(200)).body.items.filter((n: { kind: string }) => n.kind === 'claim')).toEqual(
      [],
    );
    // a later claim joins the unread row; once read, the next one opens a new row
    await owner.agent.post('/api/notifications/read').send({}).expect(200);
    const late = await person(offsetMeters(place, 20, 0));
    await late.agent.post(`/api/offers/${offer.id}/claims`).expect(201);
    await app.notificationWorker.runOnce();
    const after = (await owner.agent.get('/api/notifications').expect(200)).body.items.filter((n: { kind: string }) => n.kind === 'claim');
    expect(after.map((n: { count: number; read: boolean }) => [n.count, n.read])).toEqual([
      [1, false],
      [3, true],
    ]);
  });
});

describe('reporting a message', () => {
  it('puts a received message in the queue of the moderators where its sender lives, showing that message only', async () => {
    const city = await createTestCity(db);
    const admin = await person();
    await db('users').where({ id: admin.id }).update({ is_admin: true });
    const mitteMod = await person();
    const pankowMod = await person();
    await appoint(admin.agent, city.mitte, mitteMod.handle);
    await appoint(admin.agent, city.pankow, pankowMod.handle);
    const sender = await person(city.points.mitteA);
    const recipient = await person(city.points.pankowA);
    await everyone(recipient);
    const { body: conv } = await start(sender, { handle: recipient.handle, body: 'A harmless hello' }).expect(201);
    const { body: bad } = await sender.agent
      .post(`/api/conversations/${conv.id}/messages`)
      .send({ body: 'You idiot, I know where you live' })
      .expect(201);

    // only the recipient can report it: the sender, a stranger and a missing id get one 404
    for (const who of [sender, mitteMod]) {
      await who.agent.post('/api/reports').send({ targetKind: 'message', targetId: bad.messageId, reason: 'harassment' }).expect(404);
    }
    await recipient.agent.post('/api/reports').send({ targetKind: 'message', targetId: '999999999999', reason: 'harassment' }).expect(404);
    await recipient.agent
      .post('/api/reports')
      .send({ targetKind: 'message', targetId: bad.messageId, reason: 'harassment', text: 'threat' })
      .expect(201);

    const queue = (await mitteMod.agent.get('/api/moderation/queue').expect(200)).body.items;
    const entry = queue.find((i: { targetKind: string; targetId: string }) => i.targetKind === 'message' && i.targetId === bad.messageId);
    expect(entry).toMatchObject({ excerpt: 'You idiot, I know where you live', author: sender.handle, postId: null, reasons: ['harassment'] });
    const elsewhere = (await pankowMod.agent.get('/api/moderation/queue').expect(200)).body.items;
    expect(elsewhere.some((i: { targetKind: string }) => i.targetKind === 'message')).toBe(false);
    await pankowMod.agent.get(`/api/moderation/items/message/${bad.messageId}`).expect(404);

    const item = (await mitteMod.agent.get(`/api/moderation/items/message/${bad.messageId}`).expect(200)).body;
    expect(item).toMatchObject({ targetKind: 'message', body: 'You idiot, I know where you live', postId: null, slowModeCell: null });
    expect(JSON.stringify(item)).not.toContain('A harmless hello');

    // removing it: the recipient's thread says so instead of the text
    await mitteMod.agent
      .post(`/api/moderation/items/message/${bad.messageId}/actions`)
      .send({ action: 'remove', reasonCategory: 'harassment', reasonText: 'Threatens the recipient.' })
      .expect(201);
    const thread = (await recipient.agent.get(`/api/conversations/${conv.id}`).expect(200)).body;
    expect(thread.messages.map((m: { body: string }) => m.body)).toEqual(['A harmless hello', 'This message was removed by a moderator.']);
  });
});
