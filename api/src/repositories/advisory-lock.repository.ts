import type { Db } from '../db/knex.ts';

/**
 * Session-level advisory locks: one process among several does a rare, long job (rebuilding the search index) while
 * the others wait for its result. The lock lives on one pooled connection for the job's duration, with no transaction
 * open, and PostgreSQL drops it by itself if the process dies and its connection closes.
 */
export function createAdvisoryLockRepository(db: Db) {
  return {
    /** Runs fn while holding the lock named `name`; returns `{ acquired: false }` at once when another session holds it. */
    async tryWithLock<T>(name: string, fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
      // knex types its pool's connections as any; this is a pg.Client pinned for the lock's lifetime
      const connection: unknown = await db.client.acquireConnection();
      try {
        const res = await db
          .raw<{ rows: { locked: boolean }[] }>(`SELECT pg_try_advisory_lock(hashtext(?)) AS locked`, [name])
          .connection(connection);
        if (!res.rows[0]?.locked) return { acquired: false };
        try {
          return { acquired: true, value: await fn() };
        } finally {
          await db
            .raw(`SELECT pg_advisory_unlock(hashtext(?))`, [name])
            .connection(connection)
            .catch(() => undefined);
        }
      } finally {
        await db.client.releaseConnection(connection);
      }
    },
  };
}

export type AdvisoryLockRepository = ReturnType<typeof createAdvisoryLockRepository>;
