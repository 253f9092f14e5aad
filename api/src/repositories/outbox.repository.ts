import type { Db } from '../db/knex.ts';

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

    /** Claims due rows; other relays skip them (SKIP LOCKED). Must run inside a transaction. */
    async claimDue(limit: number): Promise<OutboxRow[]> {
      const res = await db.raw<{ rows: OutboxRow[] }>(
        `SELECT id, entity, entity_id, op, attempts FROM outbox
          WHERE done_at IS NULL AND next_attempt_at <= now()
          ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      return res.rows;
    },

    async markDone(ids: string[]): Promise<void> {
      if (ids.length) await db('outbox').whereIn('id', ids).update({ done_at: db.fn.now() });
    },

    async markFailed(ids: string[], error: string, backoffSeconds: number): Promise<void> {
      if (!ids.length) return;
      await db('outbox')
        .whereIn('id', ids)
        .update({
          attempts: db.raw('attempts + 1'),
          last_error: error.slice(0, 500),
          next_attempt_at: db.raw(`now() + make_interval(secs => ?)`, [backoffSeconds]),
        });
    },

    async pendingCount(): Promise<number> {
      const row = await db('outbox').whereNull('done_at').count<{ count: string }[]>('* as count').first();
      return Number(row?.count ?? 0);
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
