import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../src/app.ts';
import type { Config } from '../src/config.ts';
import { createDb, type Db } from '../src/db/knex.ts';
import { createLogger } from '../src/http/observability.ts';

// A minimal Server-Sent Events reader over fetch for tests: collects messages and lets a test wait for one.

export interface SseMessage {
  id: string | undefined;
  event: string;
  data: unknown;
}

export interface SseStream {
  status: number;
  messages: SseMessage[];
  /** raw text received (heartbeats are comments, visible only here) */
  raw(): string;
  /** resolves with the first message (already received or coming) matching; rejects after timeoutMs */
  next(match: (m: SseMessage) => boolean, timeoutMs?: number): Promise<SseMessage>;
  /** the id the stream was last brought up to, as EventSource would resend it */
  lastEventId(): string | undefined;
  close(): void;
}

export async function openStream(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  let raw = '';
  let lastId: string | undefined;
  let buffer = '';
  if (res.ok && res.body) {
    void (async () => {
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          const text = decoder.decode(chunk, { stream: true });
          raw += text;
          buffer += text;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let id: string | undefined;
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) continue;
              const [field, ...rest] = line.split(':');
              const value = rest.join(':').replace(/^ /, '');
              if (field === 'id') id = value;
              else if (field === 'event') event = value;
              else if (field === 'data') data.push(value);
            }
            if (id !== undefined) lastId = id;
            if (data.length) messages.push({ id, event, data: JSON.parse(data.join('\n')) });
          }
          for (const w of waiters) w();
        }
      } catch {
        // aborted
      }
      for (const w of waiters) w();
    })();
  }
  return {
    status: res.status,
    messages,
    raw: () => raw,
    lastEventId: () => lastId,
    next(match, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching SSE message within ${timeoutMs} ms; got ${JSON.stringify(messages.map((m) => m.event))}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => abort.abort(),
  };
}

export function baseUrl(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Posts of a stream's messages, by id, in the order received. */
export const postIds = (s: SseStream) => s.messages.filter((m) => m.event === 'post').map((m) => (m.data as { postId: string }).postId);

/** A real app listening on a free port (streams need a socket, not supertest), with its own pool. */
export interface LiveTestServer {
  app: ReturnType<typeof createApp>;
  db: Db;
  server: Server;
  url: string;
}

export async function startLiveServer(config: Config, poolSize = 5): Promise<LiveTestServer> {
  const db = createDb(config.DATABASE_URL, poolSize);
  const app = createApp({ config, db, logger: createLogger('silent') });
  const server = app.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { app, db, server, url: baseUrl(server) };
}

/** Closes the streams a test file opened, the live hub, the server (open streams included) and the pool. */
export async function stopLiveServer(live: LiveTestServer | undefined, streams: SseStream[]): Promise<void> {
  for (const s of streams) s.close();
  if (!live) return;
  await live.app.live.stop();
  live.server.closeAllConnections();
  await new Promise((r) => live.server.close(r));
  await live.db.destroy();
}
