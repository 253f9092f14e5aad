import pg from 'pg';
import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import { createOutboxRepository, type OutboxRow } from '../repositories/outbox.repository.ts';
import { createSearchDocumentRepository } from '../repositories/search-document.repository.ts';
import { toPostDocument, type PostDocument } from './post-document.ts';
import { isSearchUnavailable, SearchTaskFailedError, type PostsIndex } from './posts.index.ts';

/**
 * Drains the outbox into the posts index. Each batch is claimed with FOR UPDATE SKIP LOCKED inside a transaction (so
 * several API processes can run relays side by side), the posts' CURRENT rows are read — whatever the outbox op said,
 * a post that is gone, hidden or deleted is removed from the index — and the rows are marked done only after
 * Meilisearch reports the task succeeded. Failures back off exponentially; when Meilisearch was unreachable and
 * answers again, backed-off rows are released at once so an outage heals without anyone stepping in.
 */

const ENTITY = 'post';

export interface RelayOptions {
  batchSize: number;
  /** batches in flight at once: while Meilisearch indexes one, the next is read and queued */
  concurrency: number;
  /** fallback poll for rows that became due by backoff or whose notification was missed */
  pollMs: number;
  /** how often to ask Meilisearch whether it is back, while it is unreachable */
  healthProbeMs: number;
  backoff: { baseSeconds: number; maxSeconds: number };
  /** LISTEN for outbox inserts on this database (omit to poll only) */
  listenUrl?: string;
}

export const DEFAULT_RELAY_OPTIONS: RelayOptions = {
  batchSize: 2000,
  concurrency: 2,
  pollMs: 500,
  healthProbeMs: 1000,
  backoff: { baseSeconds: 0.5, maxSeconds: 60 },
};

export interface DrainResult {
  rowsDone: number;
  rowsFailed: number;
  upserted: number;
  deleted: number;
}

export interface RelayDeps {
  db: Db;
  index: PostsIndex;
  healthy: () => Promise<boolean>;
  logger: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  options?: Partial<RelayOptions>;
}

const emptyResult = (): DrainResult => ({ rowsDone: 0, rowsFailed: 0, upserted: 0, deleted: 0 });
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function createOutboxRelay({ db, index, healthy, logger, options }: RelayDeps) {
  const opts: RelayOptions = { ...DEFAULT_RELAY_OPTIONS, ...options };
  let unreachable = false;
  let indexReady = false;
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let listener: pg.Client | undefined;
  let running = false;
  let lastProbe = 0;
  // Reading posts and queueing their tasks happens one batch at a time, so Meilisearch receives states in the order
  // they were read and a fresher state of a post is never overtaken by an older one; only the waiting overlaps.
  let readAndQueue: Promise<unknown> = Promise.resolve();
  function serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = readAndQueue.then(fn, fn);
    readAndQueue = run.catch(() => undefined);
    return run;
  }

  async function ensureIndex(): Promise<void> {
    if (indexReady) return;
    await index.ensure();
    indexReady = true;
  }

  /** Sends one claimed batch; on a failed task with several posts, retries them one by one so one bad post can't block the rest. */
  async function send(trx: Db, rows: OutboxRow[], result: DrainResult, split = true): Promise<void> {
    const outbox = createOutboxRepository(trx);
    const ids = [...new Set(rows.map((r) => r.entity_id))];
    let docs: PostDocument[] = [];
    let deletes: number[] = [];
    try {
      const tasks = await serialized(async () => {
        const sources = await createSearchDocumentRepository(trx).load(ids);
        docs = sources.filter((s) => s.indexable).map(toPostDocument);
        const kept = new Set(docs.map((d) => String(d.id)));
        deletes = ids.filter((id) => !kept.has(id)).map(Number);
        return index.enqueue(docs, deletes);
      });
      await index.waitFor(tasks);
      await outbox.markDone(rows.map((r) => r.id));
      result.rowsDone += rows.length;
      result.upserted += docs.length;
      result.deleted += deletes.length;
    } catch (error) {
      if (split && error instanceof SearchTaskFailedError && ids.length > 1) {
        for (const id of ids) await send(trx, rows.filter((r) => r.entity_id === id), result, false);
        return;
      }
      if (isSearchUnavailable(error)) unreachable = true;
      await outbox.markFailed(rows.map((r) => r.id), errorText(error), opts.backoff);
      result.rowsFailed += rows.length;
      logger.warn({ err: errorText(error), rows: rows.length, unreachable }, 'search relay batch failed; will retry');
    }
  }

  async function drainBatches(): Promise<DrainResult> {
    const result = emptyResult();
    try {
      await ensureIndex();
    } catch (error) {
      if (isSearchUnavailable(error)) unreachable = true;
      logger.warn({ err: errorText(error) }, 'search index not ready; outbox stays queued');
      return result;
    }
    const worker = async () => {
      for (;;) {
        const before = result.rowsFailed;
        const claimed = await db.transaction(async (trx) => {
          const rows = await createOutboxRepository(trx).claimDue(opts.batchSize, ENTITY);
          if (rows.length) await send(trx, rows, result);
          return rows.length;
        });
        // stop on an empty queue, and after a failure (what failed is backed off; the rest waits for the next round)
        if (claimed < opts.batchSize || result.rowsFailed > before) return;
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
    return result;
  }

  /**
   * Processes everything due now, one drain at a time per process; resolves with what it did. Calls made while a drain
   * waits its turn share it (it will see their rows too), so a burst of notifications costs one extra drain, not many.
   */
  let waiting: Promise<DrainResult> | undefined;
  function drainOnce(): Promise<DrainResult> {
    if (waiting) return waiting;
    const start = () => {
      waiting = undefined;
      return drainBatches();
    };
    const next = chain.then(start, start);
    waiting = next;
    chain = next.catch(() => undefined);
    return next;
  }

  async function recoverIfBack(): Promise<void> {
    if (Date.now() - lastProbe < opts.healthProbeMs) return;
    lastProbe = Date.now();
    if (!(await healthy())) return;
    indexReady = false; // a restarted Meilisearch may have lost the index; ensure() recreates it
    unreachable = false;
    const released = await createOutboxRepository(db).releaseBackoff(ENTITY);
    logger.info({ released }, 'search is reachable again; draining the outbox');
  }

  async function tick(): Promise<void> {
    try {
      if (unreachable) await recoverIfBack();
      const due = !unreachable && (await createOutboxRepository(db).hasDue(ENTITY));
      if (due && running) await drainOnce(); // stop() may have come while we looked
    } catch (error) {
      logger.error({ err: errorText(error) }, 'search relay tick failed');
    } finally {
      if (running) timer = setTimeout(() => void tick(), opts.pollMs);
    }
  }

  async function listen(url: string): Promise<void> {
    const client = new pg.Client({ connectionString: url });
    client.on('notification', () => {
      if (running && !unreachable) void drainOnce().catch((error) => logger.error({ err: errorText(error) }, 'search relay drain failed'));
    });
    client.on('error', (error) => {
      logger.warn({ err: errorText(error) }, 'outbox LISTEN connection lost; polling until it is back');
      listener = undefined;
      client.end().catch(() => undefined);
      if (running) setTimeout(() => void listen(url).catch(() => undefined), 1000).unref();
    });
    await client.connect();
    await client.query('LISTEN outbox');
    listener = client;
  }

  return {
    drainOnce,

    /** Whether the last attempt found Meilisearch unreachable. */
    get unreachable() {
      return unreachable;
    },

    async start(): Promise<void> {
      if (running) return;
      running = true;
      try {
        await ensureIndex();
      } catch (error) {
        unreachable = isSearchUnavailable(error) || unreachable;
        logger.warn({ err: errorText(error) }, 'search index settings not applied yet; the relay keeps trying');
      }
      if (opts.listenUrl) {
        await listen(opts.listenUrl).catch((error) => logger.warn({ err: errorText(error) }, 'outbox LISTEN failed; polling only'));
      }
      void tick();
    },

    async stop(): Promise<void> {
      running = false;
      if (timer) clearTimeout(timer);
      await listener?.end().catch(() => undefined);
      listener = undefined;
      await chain;
    },
  };
}

export type OutboxRelay = ReturnType<typeof createOutboxRelay>;
