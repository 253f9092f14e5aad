import type { Db } from '../db/knex.ts';
import { readSql } from './sql-file.ts';

const CLAIM_SQL = readSql('outbox-claim.sql');

/** The channel the outbox insert trigger NOTIFYs (migration 20261126000002) and the relay LISTENs on. */
export const OUTBOX_CHANNEL = 'outbox';

export interface OutboxRow {
  id: string;
  entity: string;
  entity_id: string;
  op: 'upsert' | 'delete';
  attempts: number;
}

export function createOutboxRepository(db: Db) {
  return {
    /** Call inside the transaction that changes the entity, so the change and its search update commit together. */
    async enqueue(entity: string, entityId: string, op: 'upsert' | 'delete'): Promise<void> {
      await db('outbox').insert({ entity, entity_id: entityId, op });
    },

    /** One row per id (the reconciler's repairs); a single statement however many. */
    async enqueueMany(entity: string, entityIds: string[], op: 'upsert' | 'delete'): Promise<void> {
      if (!entityIds.length) return;
      await db.raw(`INSERT INTO outbox (entity, entity_id, op) SELECT ?, id, ? FROM unnest(?::bigint[]) AS id`, [entity, op, entityIds]);
    },

    /**
     * Leases up to `limit` due rows of one entity for `leaseSeconds` (see outbox-claim.sql): other relays skip them,
     * and so every other row of the same posts, until they are marked or the lease runs out. Needs no transaction.
     */
    async claimDue(limit: number, entity: string, leaseSeconds: number): Promise<OutboxRow[]> {
      const res = await db.raw<{ rows: OutboxRow[] }>(CLAIM_SQL, [leaseSeconds, entity, entity, limit]);
      return res.rows.sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
    },

    async markDone(ids: string[]): Promise<void> {
      if (ids.length) await db('outbox').whereIn('id', ids).update({ done_at: db.fn.now(), claimed_until: null });
    },

    /** Exponential backoff per row: base · 2^attempts seconds, capped. Ends the lease. */
    async markFailed(ids: string[], error: string, backoff: { baseSeconds: number; maxSeconds: number }): Promise<void> {
      if (!ids.length) return;
      await db('outbox')
        .whereIn('id', ids)
        .update({
          attempts: db.raw('attempts + 1'),
          last_error: error.slice(0, 500),
          claimed_until: null,
          next_attempt_at: db.raw(`now() + make_interval(secs => least(?::float8, ?::float8 * power(2, least(attempts, 30))))`, [
            backoff.maxSeconds,
            backoff.baseSeconds,
          ]),
        });
    },

    /** Ends the lease without counting an attempt: the rows were not tried (the index is being rebuilt). */
    async release(ids: string[]): Promise<void> {
      if (ids.length) await db('outbox').whereIn('id', ids).update({ claimed_until: null });
    },

    /**
     * Makes every backed-off row due now. After an outage the relay calls this once the search engine answers again,
     * so what was written meanwhile is indexed within moments rather than after the longest backoff.
     */
    async releaseBackoff(entity: string): Promise<number> {
      return db('outbox')
        .whereNull('done_at')
        .where('entity', entity)
        .where('next_attempt_at', '>', db.fn.now())
        .update({ next_attempt_at: db.fn.now() });
    },

    async maxId(): Promise<string> {
      const res = await db.raw<{ rows: { id: string | null }[] }>(`SELECT max(id) AS id FROM outbox`);
      return res.rows[0]?.id ?? '0';
    },

    /** Distinct entity ids with outbox rows after a given outbox id (what changed since then). */
    async entityIdsAfter(entity: string, afterId: string): Promise<string[]> {
      const res = await db.raw<{ rows: { entity_id: string }[] }>(`SELECT DISTINCT entity_id FROM outbox WHERE id > ? AND entity = ?`, [
        afterId,
        entity,
      ]);
      return res.rows.map((r) => r.entity_id);
    },

    /** Entity ids in [fromId, toId) that still have undone rows: the relay will bring them up to date anyway. */
    async pendingEntityIds(entity: string, fromId: string, toId: string): Promise<Set<string>> {
      const res = await db.raw<{ rows: { entity_id: string }[] }>(
        `SELECT DISTINCT entity_id FROM outbox WHERE done_at IS NULL AND entity = ? AND entity_id >= ? AND entity_id < ?`,
        [entity, fromId, toId],
      );
      return new Set(res.rows.map((r) => r.entity_id));
    },

    /** Done rows are only history; keep a little for debugging and drop the rest. */
    async purgeDone(olderThanSeconds: number): Promise<number> {
      return db('outbox')
        .whereNotNull('done_at')
        .where('done_at', '<', db.raw(`now() - make_interval(secs => ?)`, [olderThanSeconds]))
        .delete();
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
