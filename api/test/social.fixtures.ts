import type { Server } from 'node:http';
import request from 'supertest';
import { createApp } from '../src/app.ts';
import { createDb } from '../src/db/knex.ts';
import type { LatLon } from '../src/geo/h3.ts';
import { createSearchConnection } from '../src/search/meili.client.ts';
import { createSearchIndexer } from '../src/search/indexer.ts';
import { PASSWORD, postBody, testConfig, uniqueHandle } from './helpers.ts';
import { drainAll, silentLogger } from './search.helpers.ts';
import { baseUrl, openStream, type SseStream } from './sse.helpers.ts';

// Follow, mute, block tests (issue 13): one app with real search (a relay driven by hand), a listening server for
// live streams, and people made through the API.

export function makeSocialTestApp() {
  const config = testConfig({ ARGON2_MEMORY_KIB: '1024', LIVE_STREAMS_PER_CLIENT: '100', LIVE_HEARTBEAT_SECONDS: '0.5' });
  const db = createDb(config.DATABASE_URL, 6);
  const conn = createSearchConnection(config.MEILI_URL, config.MEILI_MASTER_KEY, config.MEILI_INDEX_PREFIX);
  const hx = createApp({ config, db, logger: silentLogger, search: conn });
  const indexer = createSearchIndexer(db, conn, silentLogger, {
    reconcileIntervalMs: 0,
    relay: { pollMs: 100, healthProbeMs: 200 },
    taskTimeoutMs: 60_000,
  });
  let server: Server | undefined;
  let url = '';
  const streams: SseStream[] = [];

  async function person(home?: LatLon) {
    const handle = uniqueHandle('so');
    const agent = request.agent(hx.app);
    const res = await agent
      .post('/api/auth/register')
      .send({ handle, displayName: `Social ${handle}`, email: `${handle}@example.test`, password: PASSWORD })
      .expect(201);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
    if (home) await agent.put('/api/me/home').send(home).expect(200);
    return { agent, cookie, handle, id: String(res.body.user.id) };
  }
  type Person = Awaited<ReturnType<typeof person>>;

  return {
    hx,
    db,
    config,
    person,
    async post(who: Person, at: LatLon, extra: Record<string, unknown> = {}): Promise<{ id: string; cell: string }> {
      return (await who.agent.post('/api/posts').send(postBody(at, extra)).expect(201)).body;
    },
    /** feed item ids for a person (or anonymous) around a place */
    async feed(who: Person | undefined, at: LatLon, extra = '') {
      const res = await (who?.agent ?? request(hx.app)).get(`/api/feed?lat=${at.lat}&lon=${at.lon}&radius=2000&limit=100${extra}`).expect(200);
      return res.body.items as { id: string; following?: boolean }[];
    },
    async board(who: Person | undefined, cell: string) {
      const res = await (who?.agent ?? request(hx.app)).get(`/api/cells/${cell}/posts?limit=100`).expect(200);
      return (res.body.items as { id: string }[]).map((i) => i.id);
    },
    async search(who: Person | undefined, word: string, at: LatLon) {
      const res = await (who?.agent ?? request(hx.app)).get(`/api/search?q=${word}&lat=${at.lat}&lon=${at.lon}&radius=2000`).expect(200);
      return (res.body.items as { id: string }[]).map((i) => i.id);
    },
    async comments(who: Person, postId: string) {
      const res = await who.agent.get(`/api/posts/${postId}/comments?limit=100`).expect(200);
      return (res.body.items as { body: string }[]).map((c) => c.body);
    },
    async inbox(who: Person) {
      return (await who.agent.get('/api/notifications').expect(200)).body.items as {
        kind: string;
        postId: string;
        actor: { handle: string } | null;
      }[];
    },
    drain: () => drainAll({ relay: indexer.relay, db }),
    async listen() {
      server = hx.app.listen(0, '127.0.0.1');
      await new Promise((r) => server!.once('listening', r));
      url = baseUrl(server);
    },
    async stream(query: string, cookie?: string) {
      const s = await openStream(`${url}/api/stream?${query}`, cookie ? { cookie } : {});
      streams.push(s);
      await s.next((m) => m.event === 'ready');
      return s;
    },
    async close() {
      for (const s of streams) s.close();
      await hx.live.stop();
      if (server) {
        server.closeAllConnections();
        await new Promise((r) => server!.close(r));
      }
      await db.destroy();
    },
  };
}
