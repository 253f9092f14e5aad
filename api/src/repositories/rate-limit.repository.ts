import { RateLimiterPostgres } from 'rate-limiter-flexible';
import type { Db } from '../db/knex.ts';

export interface Budget {
  /** Takes one point from key's budget; resolves with how long until it refills, or rejects with RateLimiterRes. */
  consume(key: string): Promise<unknown>;
}

/**
 * Rate-limit budgets in the `rate_limits` table (migration 20261206100001), shared by every API process on the database.
 * `name` keeps budgets of different purposes apart.
 */
export function createRateLimitRepository(db: Db) {
  return {
    budget(name: string, points: number, durationSeconds: number): Budget {
      return new RateLimiterPostgres({
        storeClient: db,
        storeType: 'knex',
        tableName: 'rate_limits',
        tableCreated: true,
        keyPrefix: name,
        points,
        duration: durationSeconds,
      });
    },
  };
}

export type RateLimitRepository = ReturnType<typeof createRateLimitRepository>;
