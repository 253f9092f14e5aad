import type { Db } from '../db/knex.ts';
import { ANONYMOUS, audiencePolicy } from '../policy/audience.policy.ts';

/** Reads of the activity rollups for heat maps and trends. Cells are bigint strings; days are UTC 'YYYY-MM-DD'. */

export interface CellActivity {
  cell: string;
  posts: number;
  /** the largest single day's distinct authors: a lower bound of the window's distinct authors */
  maxDailyAuthors: number;
  /** the sum of daily distinct authors: an upper bound of the window's distinct authors */
  sumDailyAuthors: number;
}

const DAY_TABLES = {
  7: { table: 'cell_day', column: 'h3_7' },
  8: { table: 'cell8_day', column: 'h3_8' },
} as const;

export function createActivityRepository(db: Db) {
  return {
    async cellActivity(res: 7 | 8, cells: string[], sinceDay: string): Promise<CellActivity[]> {
      if (!cells.length) return [];
      const { table, column } = DAY_TABLES[res];
      const result = await db.raw<{ rows: { cell: string; posts: string; max_daily: number; sum_daily: string }[] }>(
        `SELECT ${column} AS cell, sum(posts) AS posts, max(authors) AS max_daily, sum(authors) AS sum_daily
           FROM ${table} WHERE ${column} = ANY(?::bigint[]) AND day >= ?::date
          GROUP BY ${column} HAVING sum(posts) > 0`,
        [cells, sinceDay],
      );
      return result.rows.map((r) => ({
        cell: r.cell,
        posts: Number(r.posts),
        maxDailyAuthors: Number(r.max_daily),
        sumDailyAuthors: Number(r.sum_daily),
      }));
    },

    /** Exact distinct people per cell (res 7 or 8) since a day. */
    async distinctPeople(cells: string[], sinceDay: string): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      if (!cells.length) return out;
      const result = await db.raw<{ rows: { cell: string; people: string }[] }>(
        `SELECT cell, count(DISTINCT user_id) AS people FROM cell_user_day
          WHERE cell = ANY(?::bigint[]) AND day >= ?::date AND posts > 0 GROUP BY cell`,
        [cells, sinceDay],
      );
      for (const r of result.rows) out.set(r.cell, Number(r.people));
      return out;
    },

    /** Exact distinct people across a whole area (cells of one resolution) since a day. */
    async areaPeople(cells: string[], sinceDay: string): Promise<number> {
      if (!cells.length) return 0;
      const result = await db.raw<{ rows: { people: string }[] }>(
        `SELECT count(DISTINCT user_id) AS people FROM cell_user_day
          WHERE cell = ANY(?::bigint[]) AND day >= ?::date AND posts > 0`,
        [cells, sinceDay],
      );
      return Number(result.rows[0]?.people ?? 0);
    },

    /** Posts carrying a tag per res-7 cell since a day. */
    async tagCounts(tag: string, cells7: string[], sinceDay: string): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      if (!cells7.length) return out;
      const result = await db.raw<{ rows: { cell: string; n: string }[] }>(
        `SELECT h3_7 AS cell, sum(n) AS n FROM tag_cell_day
          WHERE h3_7 = ANY(?::bigint[]) AND day >= ?::date AND tag = ? GROUP BY h3_7 HAVING sum(n) > 0`,
        [cells7, sinceDay, tag],
      );
      for (const r of result.rows) out.set(r.cell, Number(r.n));
      return out;
    },

    /**
     * A tag's daily totals over an area, as the sum and the sum of squares of its per-day counts over [fromDay, toDay]
     * (days without posts are zeros the caller accounts for). The trends baseline: history, so callers may cache it.
     */
    async tagDailyMoments(cells7: string[], fromDay: string, toDay: string): Promise<Map<string, { sum: number; sumSquares: number }>> {
      const out = new Map<string, { sum: number; sumSquares: number }>();
      if (!cells7.length) return out;
      const result = await db.raw<{ rows: { tag: string; sum: number; sum_sq: number }[] }>(
        `SELECT tag, sum(n)::float8 AS sum, sum(n * n)::float8 AS sum_sq
           FROM (SELECT tag, sum(n)::float8 AS n FROM tag_cell_day
                  WHERE h3_7 = ANY(?::bigint[]) AND day BETWEEN ?::date AND ?::date
                  GROUP BY tag, day) daily
          GROUP BY tag`,
        [cells7, fromDay, toDay],
      );
      for (const r of result.rows) out.set(r.tag, { sum: Number(r.sum), sumSquares: Number(r.sum_sq) });
      return out;
    },

    /**
     * Posts per tag in a trailing window of whole UTC days: every day after firstDay counts fully, firstDay with the
     * given weight (the share of it that lies within the window). Tags below minCount are left out.
     */
    async tagWindowCounts(cells7: string[], firstDay: string, firstDayWeight: number, minCount: number): Promise<{ tag: string; count: number }[]> {
      if (!cells7.length) return [];
      const result = await db.raw<{ rows: { tag: string; n: number }[] }>(
        `SELECT tag, sum(CASE WHEN day = ?::date THEN n * ?::float8 ELSE n END)::float8 AS n
           FROM tag_cell_day WHERE h3_7 = ANY(?::bigint[]) AND day >= ?::date
          GROUP BY tag HAVING sum(CASE WHEN day = ?::date THEN n * ?::float8 ELSE n END) >= ?`,
        [firstDay, firstDayWeight, cells7, firstDay, firstDay, firstDayWeight, minCount],
      );
      return result.rows.map((r) => ({ tag: r.tag, count: Number(r.n) }));
    },

    /**
     * Bounds on the distinct authors of an area since a day, from the per-day counts alone: the busiest cell-day is a
     * lower bound, the sum of all cell-days an upper bound. Often enough to decide k-anonymity without the exact count.
     */
    async authorBounds(res: 7 | 8, cells: string[], sinceDay: string): Promise<{ lower: number; upper: number }> {
      if (!cells.length) return { lower: 0, upper: 0 };
      const { table, column } = DAY_TABLES[res];
      const result = await db.raw<{ rows: { lower: number | null; upper: string | null }[] }>(
        `SELECT max(authors) AS lower, sum(authors) AS upper FROM ${table} WHERE ${column} = ANY(?::bigint[]) AND day >= ?::date`,
        [cells, sinceDay],
      );
      return { lower: Number(result.rows[0]?.lower ?? 0), upper: Number(result.rows[0]?.upper ?? 0) };
    },

    /**
     * Households per m² for res-8 cells, from the neighbourhoods covering them (a border cell averages the
     * neighbourhoods it touches). Cells outside any neighbourhood with a household figure are absent.
     */
    async householdDensity(cells8: string[]): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      if (!cells8.length) return out;
      const result = await db.raw<{ rows: { cell: string; density: number }[] }>(
        `SELECT rc.h3_8 AS cell, avg(r.households / r.area_m2) AS density
           FROM region_cells rc JOIN regions r ON r.id = rc.region_id
          WHERE rc.h3_8 = ANY(?::bigint[]) AND r.kind = 'neighborhood' AND r.households IS NOT NULL AND r.area_m2 > 0
          GROUP BY rc.h3_8`,
        [cells8],
      );
      for (const r of result.rows) out.set(r.cell, Number(r.density));
      return out;
    },

    /** The res-8 cover of a region (region_cells). */
    async regionCells8(regionId: string): Promise<string[]> {
      const result = await db.raw<{ rows: { h3_8: string }[] }>(`SELECT h3_8 FROM region_cells WHERE region_id = ?`, [regionId]);
      return result.rows.map((r) => r.h3_8);
    },

    // --- security (issue 9): inputs of the differencing guard (services/aggregate-guard.ts) ---

    /**
     * Distinct people per cell by band mask: `starts` are the first days of bands 0 (newest) … n; a person's mask has
     * bit i set when they posted in the cell during band i. The oldest start bounds the read.
     */
    async peopleByBand(cells: string[], starts: string[]): Promise<Map<string, Map<number, number>>> {
      const out = new Map<string, Map<number, number>>();
      if (!cells.length) return out;
      const cases = starts.map((_, i) => `WHEN day >= ?::date THEN ${1 << i}`).join(' ');
      const result = await db.raw<{ rows: { cell: string; mask: number; people: number }[] }>(
        `SELECT cell, mask, count(*)::int AS people
           FROM (SELECT cell, user_id, bit_or(CASE ${cases} ELSE 0 END) AS mask FROM cell_user_day
                  WHERE cell = ANY(?::bigint[]) AND day >= ?::date AND posts > 0 GROUP BY cell, user_id) u
          GROUP BY cell, mask`,
        [...starts, cells, starts[starts.length - 1]!],
      );
      for (const r of result.rows) {
        const masks = out.get(r.cell) ?? new Map<number, number>();
        masks.set(Number(r.mask), Number(r.people));
        out.set(r.cell, masks);
      }
      return out;
    },

    /** As peopleByBand, for the people who used one tag in public posts of each res-7 cell. */
    async tagPeopleByBand(tag: string, cells7: string[], starts: string[]): Promise<Map<string, Map<number, number>>> {
      const out = new Map<string, Map<number, number>>();
      if (!cells7.length) return out;
      const counted = audiencePolicy.listSql(ANONYMOUS);
      const day = `(created_at AT TIME ZONE 'UTC')::date`;
      const cases = starts.map((_, i) => `WHEN ${day} >= ?::date THEN ${1 << i}`).join(' ');
      const result = await db.raw<{ rows: { cell: string; mask: number; people: number }[] }>(
        `SELECT cell, mask, count(*)::int AS people
           FROM (SELECT h3_7 AS cell, author_id, bit_or(CASE ${cases} ELSE 0 END) AS mask FROM posts
                  WHERE h3_7 = ANY(?::bigint[]) AND tags @> ARRAY[?]::text[] AND created_at >= ?::date AND ${counted.sql}
                  GROUP BY h3_7, author_id) u
          GROUP BY cell, mask`,
        [...starts, cells7, tag, starts[starts.length - 1]!, ...counted.bindings],
      );
      for (const r of result.rows) {
        const masks = out.get(r.cell) ?? new Map<number, number>();
        masks.set(Number(r.mask), Number(r.people));
        out.set(r.cell, masks);
      }
      return out;
    },

    /**
     * People behind each res-7 cell's count minus its shown res-8 children (`kids`: child → parent): those with more
     * posts in the res-7 cell than in its shown children (precision-7 posts, posts in hidden children).
     */
    async remainderPeople(cells7: string[], kids: { child: string; parent: string }[], sinceDay: string): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      if (!cells7.length) return out;
      const result = await db.raw<{ rows: { cell: string; people: number }[] }>(
        `WITH kids AS (SELECT * FROM unnest(?::bigint[], ?::bigint[]) AS k(child, parent)),
              p7 AS (SELECT cell, user_id, sum(posts) AS n FROM cell_user_day
                      WHERE cell = ANY(?::bigint[]) AND day >= ?::date GROUP BY cell, user_id),
              p8 AS (SELECT k.parent AS cell, c.user_id, sum(c.posts) AS n FROM cell_user_day c JOIN kids k ON k.child = c.cell
                      WHERE c.day >= ?::date GROUP BY k.parent, c.user_id)
         SELECT p7.cell, count(*)::int AS people FROM p7 LEFT JOIN p8 USING (cell, user_id)
          WHERE p7.n > coalesce(p8.n, 0) GROUP BY p7.cell`,
        [kids.map((k) => k.child), kids.map((k) => k.parent), cells7, sinceDay, sinceDay],
      );
      for (const r of result.rows) out.set(r.cell, Number(r.people));
      return out;
    },

    /** Distinct people who used each tag in public posts of an area since an instant (trends: one person is no trend). */
    async tagPeople(tags: string[], cells7: string[], since: Date): Promise<Map<string, number>> {
      const out = new Map<string, number>();
      if (!tags.length || !cells7.length) return out;
      const counted = audiencePolicy.listSql(ANONYMOUS);
      const result = await db.raw<{ rows: { tag: string; people: number }[] }>(
        `SELECT tag, count(DISTINCT author_id)::int AS people
           FROM posts CROSS JOIN unnest(tags) AS tag
          WHERE h3_7 = ANY(?::bigint[]) AND tags && ?::text[] AND created_at >= ? AND ${counted.sql} AND tag = ANY(?::text[])
          GROUP BY tag`,
        [cells7, tags, since, ...counted.bindings, tags],
      );
      for (const r of result.rows) out.set(r.tag, Number(r.people));
      return out;
    },
  };
}

export type ActivityRepository = ReturnType<typeof createActivityRepository>;
