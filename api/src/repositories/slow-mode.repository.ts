import type { Db } from '../db/knex.ts';
import type { SqlCondition } from '../policy/policy.ts';

export interface WriteGateRow {
  minutes: number | null;
  last_post_at: Date | null;
  joined_at: Date;
}

export interface SlowModeRow {
  h3_7: string;
  minutes: number;
  automatic: boolean;
  reason: string;
  started_at: Date;
  ends_at: Date;
}

/**
 * Slow mode per res-7 cell (issue 11). `writeGate` is the one statement a post pays for: it arms automatic slow mode
 * when today's count in the cell (cell_day, UTC days) is at least `minPosts` and above `factor` × the cell's own mean
 * of the previous 28 days, and returns the cell's active slow mode, the writer's last post there and when they joined.
 */
export function createSlowModeRepository(db: Db) {
  return {
    async writeGate(userId: string, h3_7: string, auto: { factor: number; minPosts: number; minutes: number; hours: number }): Promise<WriteGateRow> {
      const res = await db.raw<{ rows: WriteGateRow[] }>(
        `WITH usual AS (
           SELECT coalesce(sum(posts) FILTER (WHERE day < (now() AT TIME ZONE 'UTC')::date), 0) / 28.0 AS per_day,
                  coalesce(sum(posts) FILTER (WHERE day = (now() AT TIME ZONE 'UTC')::date), 0) AS today
             FROM cell_day WHERE h3_7 = ?::bigint AND day >= (now() AT TIME ZONE 'UTC')::date - 28
         ),
         armed AS (
           INSERT INTO cell_slow_mode (h3_7, minutes, automatic, reason, ends_at)
           SELECT ?::bigint, ?::smallint, true, format('%s posts today, usually %s a day', today, round(per_day, 1)),
                  now() + make_interval(hours => ?::int)
             FROM usual WHERE today >= ?::int AND today > ?::float8 * per_day
           ON CONFLICT (h3_7) DO UPDATE SET minutes = EXCLUDED.minutes, automatic = true, set_by = NULL, reason = EXCLUDED.reason,
                                            started_at = now(), ends_at = EXCLUDED.ends_at
             WHERE cell_slow_mode.ends_at <= now()
           RETURNING minutes
         )
         SELECT coalesce((SELECT minutes FROM armed), (SELECT minutes FROM cell_slow_mode WHERE h3_7 = ?::bigint AND ends_at > now())) AS minutes,
                (SELECT max(created_at) FROM posts WHERE author_id = ?::bigint AND h3_7 = ?::bigint AND deleted_at IS NULL) AS last_post_at,
                (SELECT created_at FROM users WHERE id = ?::bigint) AS joined_at`,
        [h3_7, h3_7, auto.minutes, auto.hours, auto.minPosts, auto.factor, h3_7, userId, h3_7, userId],
      );
      return res.rows[0]!;
    },

    async active(h3_7: string): Promise<SlowModeRow | undefined> {
      const res = await db.raw<{ rows: SlowModeRow[] }>(`SELECT * FROM cell_slow_mode WHERE h3_7 = ? AND ends_at > now()`, [h3_7]);
      return res.rows[0];
    },

    /** The regions a res-7 cell touches, if `scope` (the moderation policy's condition) admits the cell. */
    async cellInScope(h3_7: string, scope: SqlCondition): Promise<boolean> {
      const res = await db.raw<{ rows: unknown[] }>(
        `SELECT 1 FROM (SELECT ARRAY(SELECT DISTINCT region_id FROM region_cells WHERE h3_7 = ?::bigint) AS region_ids) cell WHERE ${scope.sql}`,
        [h3_7, ...scope.bindings],
      );
      return res.rows.length > 0;
    },

    async set(h3_7: string, minutes: number, hours: number, userId: string, reason: string): Promise<void> {
      await db.raw(
        `INSERT INTO cell_slow_mode (h3_7, minutes, automatic, set_by, reason, ends_at) VALUES (?, ?, false, ?, ?, now() + make_interval(hours => ?::int))
         ON CONFLICT (h3_7) DO UPDATE SET minutes = EXCLUDED.minutes, automatic = false, set_by = EXCLUDED.set_by, reason = EXCLUDED.reason,
                                          started_at = now(), ends_at = EXCLUDED.ends_at`,
        [h3_7, minutes, userId, reason, hours],
      );
    },

    async lift(h3_7: string): Promise<boolean> {
      return (await db('cell_slow_mode').where({ h3_7 }).where('ends_at', '>', db.fn.now()).update({ ends_at: db.fn.now() })) > 0;
    },
  };
}

export type SlowModeRepository = ReturnType<typeof createSlowModeRepository>;
