import type { Db } from '../db/knex.ts';

export function createHealthRepository(db: Db) {
  return {
    /** Whether the database answers at all (for /ready); never throws. */
    async reachable(): Promise<boolean> {
      return db.raw('SELECT 1').then(
        () => true,
        () => false,
      );
    },
  };
}

export type HealthRepository = ReturnType<typeof createHealthRepository>;
