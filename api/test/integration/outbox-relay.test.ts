import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxRepository, OUTBOX_CHANNEL } from '../../src/repositories/outbox.repository.ts';
import { OutboxRelay, type RelayOptions } from '../../src/search/outbox.relay.ts';
import type { PostsIndex } from '../../src/search/posts.index.ts';
import { postBody, randomPlace, signUp } from '../helpers.ts';
import { drainAll, eventually, makeSearchTestApp, searchIds, silentLogger, uniqueWord } from '../search.helpers.ts';

// The outbox relay's claim → send → mark loop against real PostgreSQL and Meilisearch: leases instead of held
// transactions, relays side by side, a post in flight in one place at a time, and a LISTEN connection that comes back.

const t = makeSearchTestApp();
const outbox = createOutboxRepository(t.db);

beforeAll(async () => {
  await drainAll(t); // what earlier files left in the shared outbox
});

afterAll(() => t.close());

/** A relay of its own over the same database and index, as a second API process would run one. */
function relayWith(index: PostsIndex, options: Partial<RelayOptions> = {}) {
  return new OutboxRelay({ db: t.db, index, repair: t.indexer.repair, healthy: () => t.conn.healthy(), logger: silentLogger, options });
}

/** The index, with a hook that runs while a send waits for Meilisearch (real index underneath). */
function indexPausingIn(onWait: (tasks: { taskUid: number }[]) => Promise<void>): PostsIndex {
  return {
    ...t.index,
    async waitFor(tasks) {
      await onWait(tasks);
      return t.index.waitFor(tasks);
    },
  };
}

async function writePosts(n: number, word = uniqueWord()) {
  const { agent } = await signUp(t.app);
  const here = randomPlace();
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push(
      (
        await agent
          .post('/api/posts')
          .send(postBody(here, { title: `${word} ${i}` }))
          .expect(201)
      ).body.id,
    );
  return { agent, here, word, ids };
}

const outboxRows = (postIds: string[]) => t.db('outbox').where({ entity: 'post' }).whereIn('entity_id', postIds).orderBy('id');

describe('outbox relay', () => {
  it('holds no transaction or row lock while Meilisearch works, and keeps every row of a post in flight away from other relays', async () => {
    const { agent, here, word, ids } = await writePosts(2);
    const [first] = ids;
    let during: { lockable: boolean; idleInTransaction: number; reclaimed: number } | undefined;
    let sends = 0;
    let firstMarkedBeforeSecondSent = false;
    const relay = relayWith(
      indexPausingIn(async () => {
        if (++sends > 1) {
          firstMarkedBeforeSecondSent = (await outboxRows(ids)).filter((r) => r.done_at !== null).length === 2;
          return;
        }
        // a newer state of the first post arrives while its older state is on its way
        await agent
          .patch(`/api/posts/${first}`)
          .send({ title: `${word} edited` })
          .expect(200);
        const leased = (await outboxRows(ids)).filter((r) => r.claimed_until !== null).map((r) => r.id);
        const lockable = await t.db
          .transaction(
            async (trx) => (await trx.raw(`SELECT id FROM outbox WHERE id = ANY(?) FOR UPDATE NOWAIT`, [leased])).rows.length === leased.length,
          )
          .catch(() => false);
        const idle = await t.db.raw(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
        );
        const reclaimed = await outbox.claimDue(100, 'post', 30);
        await outbox.release(reclaimed.map((r) => r.id));
        during = { lockable, idleInTransaction: idle.rows[0].n, reclaimed: reclaimed.filter((r) => ids.includes(r.entity_id)).length };
      }),
    );
    const drained = await relay.drainOnce();
    expect(during).toEqual({ lockable: true, idleInTransaction: 0, reclaimed: 0 });
    // the edit's row waited while its post was in flight, and went out in a send of its own after the first was marked
    expect(sends).toBe(2);
    expect(firstMarkedBeforeSecondSent).toBe(true);
    expect(drained.rowsDone).toBe(3);
    const rows = await outboxRows(ids);
    expect(rows.every((r) => r.done_at !== null && r.claimed_until === null)).toBe(true);
    expect(await searchIds(t.app, { q: 'edited', lat: here.lat, lon: here.lon })).toEqual([first]);
    expect((await searchIds(t.app, { q: word, lat: here.lat, lon: here.lon })).sort()).toEqual([...ids].sort());
  });

  it('claims the rows of a relay that died once its lease has run out', async () => {
    const { here, word, ids } = await writePosts(3);
    // a relay claims them and dies before marking anything
    const lost = await outbox.claimDue(100, 'post', 1);
    expect(lost.map((r) => r.entity_id)).toEqual(expect.arrayContaining(ids));
    expect((await t.relay.drainOnce()).rowsDone).toBe(0);
    expect(await searchIds(t.app, { q: word, lat: here.lat, lon: here.lon })).toEqual([]);

    await new Promise((r) => setTimeout(r, 1100));
    expect((await t.relay.drainOnce()).rowsDone).toBe(lost.length);
    expect((await searchIds(t.app, { q: word, lat: here.lat, lon: here.lon })).sort()).toEqual([...ids].sort());
    expect((await outboxRows(ids)).every((r) => r.done_at !== null)).toBe(true);
  });

  it('lets relays run side by side without sending any row twice', async () => {
    const { here, word, ids } = await writePosts(40);
    const sentBy: string[][] = [[], []];
    const relays = sentBy.map((sent) =>
      relayWith(
        {
          ...t.index,
          async enqueue(docs, deletes, name) {
            sent.push(...docs.map((d) => String(d.id)));
            await new Promise((r) => setTimeout(r, 20)); // keep both in flight at once
            return t.index.enqueue(docs, deletes, name);
          },
        },
        { batchSize: 4 },
      ),
    );
    const results = await Promise.all(relays.map((r) => r.drainOnce()));
    expect(results[0]!.rowsDone + results[1]!.rowsDone).toBe(ids.length);
    expect(results.every((r) => r.rowsDone > 0)).toBe(true);
    expect([...sentBy[0]!, ...sentBy[1]!].sort()).toEqual([...ids].sort());
    expect((await searchIds(t.app, { q: word, lat: here.lat, lon: here.lon, limit: 50 })).sort()).toEqual([...ids].sort());
  });
});

describe('outbox LISTEN connection', () => {
  const applicationName = `hexhood-listener-test-${randomBytes(4).toString('hex')}`;
  // The poll is an hour: whatever gets indexed within the test's deadlines was woken by a notification.
  const l = makeSearchTestApp({ listen: true, relay: { pollMs: 3_600_000, listener: { applicationName, baseDelayMs: 1500, maxDelayMs: 5000 } } });

  const listenerPid = async () =>
    (await l.db.raw(`SELECT pid FROM pg_stat_activity WHERE application_name = ? AND query ILIKE 'LISTEN%'`, [applicationName])).rows[0]?.pid as
      number | undefined;

  afterAll(async () => {
    await l.relay.stop();
    await l.close();
  });

  it('listens on the channel the outbox trigger notifies, and comes back after its backend is terminated', async () => {
    await l.relay.drainOnce();
    await l.relay.start();
    const pid = await eventually(listenerPid, 'the listener to connect');
    expect((await l.db.raw(`SELECT pg_get_functiondef('outbox_notify'::regproc) AS def`)).rows[0].def).toContain(`pg_notify('${OUTBOX_CHANNEL}'`);

    const before = await writePosts(1);
    await eventually(
      async () => (await searchIds(l.app, { q: before.word, lat: before.here.lat, lon: before.here.lon })).length === 1,
      'a post indexed via NOTIFY',
    );

    await l.db.raw(`SELECT pg_terminate_backend(?)`, [pid]);
    // written while the listener is away (it waits 1.5 s before reconnecting): its notification reaches nobody
    const during = await writePosts(1);
    const back = await eventually(async () => {
      const now = await listenerPid();
      return now !== undefined && now !== pid ? now : undefined;
    }, 'the listener to reconnect');
    expect(back).not.toBe(pid);
    // the reconnect itself triggers a look, so the post written meanwhile is not left for the hour-long poll
    await eventually(
      async () => (await searchIds(l.app, { q: during.word, lat: during.here.lat, lon: during.here.lon })).length === 1,
      'the post written while disconnected',
    );

    const after = await writePosts(1);
    await eventually(
      async () => (await searchIds(l.app, { q: after.word, lat: after.here.lat, lon: after.here.lon })).length === 1,
      'a post indexed via NOTIFY after the reconnect',
    );
  });
});
