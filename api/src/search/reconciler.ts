import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import { createOutboxRepository } from '../repositories/outbox.repository.ts';
import { createSearchDocumentRepository } from '../repositories/search-document.repository.ts';
import type { IndexRepair } from './index-repair.ts';
import { isSearchUnavailable, type PostsIndex } from './posts.index.ts';

/**
 * Finds drift between PostgreSQL and the posts index and repairs it through the outbox (the relay stays the only
 * writer). Works on id ranges: for each range it compares the (id, version) pairs of indexable posts with the indexed
 * copies — version is updated_at in µs — and enqueues an upsert for missing or stale documents and a delete for
 * documents that should not be there. A periodic step checks one range and moves on, so a full sweep of a big table
 * costs a little at a time; runOnce sweeps everything (tests, operators). Each step first checks that the index
 * exists with our settings and has the IndexRepair rebuild it if not — comparing documents with a lost index would
 * only queue every post through the outbox into an index that no longer has its settings.
 */

const ENTITY = 'post';

export interface ReconcileResult {
  checked: number;
  missing: number;
  stale: number;
  extra: number;
}

export interface ReconcilerDeps {
  db: Db;
  index: PostsIndex;
  repair: IndexRepair;
  logger: Pick<Logger, 'info' | 'warn' | 'debug'>;
  /** ids per range (default 20 000) */
  rangeSize?: number;
  /** drop outbox rows done longer ago than this (default one day) */
  keepDoneSeconds?: number;
}

const NOTHING: ReconcileResult = { checked: 0, missing: 0, stale: 0, extra: 0 };

export function createReconciler({ db, index, repair, logger, rangeSize = 20_000, keepDoneSeconds = 86_400 }: ReconcilerDeps) {
  const documents = createSearchDocumentRepository(db);
  const outbox = createOutboxRepository(db);
  let cursor = 1;
  let timer: NodeJS.Timeout | undefined;
  let active = false;
  let running: Promise<void> | undefined;
  let lastPurge = 0;

  async function checkRange(fromId: number, toId: number): Promise<ReconcileResult> {
    const [pgRows, indexed, pending] = await Promise.all([
      documents.versionsInRange(String(fromId), String(toId)),
      index.versionsInRange(fromId, toId),
      outbox.pendingEntityIds(ENTITY, String(fromId), String(toId)),
    ]);
    const inIndex = new Map(indexed.map((d) => [String(d.id), d.version]));
    const upserts: string[] = [];
    let missing = 0;
    let stale = 0;
    for (const row of pgRows) {
      const version = inIndex.get(row.id);
      inIndex.delete(row.id);
      if (pending.has(row.id)) continue;
      if (version === undefined) missing++;
      else if (version !== Number(row.version)) stale++;
      else continue;
      upserts.push(row.id);
    }
    // what is left in the index has no indexable post behind it
    const deletes = [...inIndex.keys()].filter((id) => !pending.has(id));
    await outbox.enqueueMany(ENTITY, upserts, 'upsert');
    await outbox.enqueueMany(ENTITY, deletes, 'delete');
    if (upserts.length || deletes.length) {
      logger.info({ fromId, toId, missing, stale, extra: deletes.length }, 'search drift repaired via outbox');
    }
    return { checked: pgRows.length, missing, stale, extra: deletes.length };
  }

  async function upperBound(): Promise<number> {
    const [pgMax, indexMax] = await Promise.all([documents.maxPostId(), index.maxId()]);
    return Math.max(Number(pgMax), indexMax) + 1;
  }

  async function housekeeping(): Promise<void> {
    if (Date.now() - lastPurge < 3_600_000) return;
    lastPurge = Date.now();
    const purged = await outbox.purgeDone(keepDoneSeconds);
    if (purged) logger.debug({ purged }, 'old outbox rows purged');
  }

  /** Checks the next range, wrapping around at the end of the table. */
  async function step(): Promise<ReconcileResult> {
    // false: another process is rebuilding the index; compare once it is back
    if (!(await repair.verify())) return { ...NOTHING };
    const end = await upperBound();
    if (cursor >= end) cursor = 1;
    const from = cursor;
    cursor = Math.min(from + rangeSize, end);
    const result = await checkRange(from, cursor);
    await housekeeping();
    return result;
  }

  return {
    step,

    /** A full sweep over every id. */
    async runOnce(): Promise<ReconcileResult> {
      const total: ReconcileResult = { ...NOTHING };
      if (!(await repair.verify())) return total;
      const end = await upperBound();
      for (let from = 1; from < end; from += rangeSize) {
        const r = await checkRange(from, Math.min(from + rangeSize, end));
        total.checked += r.checked;
        total.missing += r.missing;
        total.stale += r.stale;
        total.extra += r.extra;
      }
      return total;
    },

    start(intervalMs: number): void {
      active = true;
      const loop = async () => {
        try {
          await step();
        } catch (error) {
          // unreachable Meilisearch is the relay's business (it probes for its return); the sweep resumes then
          if (active && !isSearchUnavailable(error))
            logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'search reconcile step failed');
        }
        if (!active) return;
        timer = setTimeout(() => (running = loop()), intervalMs);
        timer.unref();
      };
      timer = setTimeout(() => (running = loop()), intervalMs);
      timer.unref();
    },

    /** Stops the periodic steps; resolves when the step in progress has finished. */
    async stop(): Promise<void> {
      active = false;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
