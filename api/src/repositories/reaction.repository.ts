import type { Db } from '../db/knex.ts';

export function createReactionRepository(db: Db) {
  return {
    /** Returns whether a row was added (false when the user had already reacted that way). */
    async add(postId: string, userId: string, kind: string): Promise<boolean> {
      // with its live event (counts changed) in the same statement; none when nothing changed
      const res = await db.raw<{ rows: unknown[] }>(
        `WITH added AS (INSERT INTO reactions (post_id, user_id, kind) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING post_id, user_id),
              live AS (INSERT INTO events (kind, post_id, actor_id) SELECT 'reaction', post_id, user_id FROM added)
         SELECT 1 FROM added`,
        [postId, userId, kind],
      );
      return res.rows.length > 0;
    },

    async remove(postId: string, userId: string, kind: string): Promise<boolean> {
      const res = await db.raw<{ rows: unknown[] }>(
        `WITH removed AS (DELETE FROM reactions WHERE post_id = ? AND user_id = ? AND kind = ? RETURNING post_id),
              live AS (INSERT INTO events (kind, post_id) SELECT DISTINCT 'reaction', post_id FROM removed)
         SELECT 1 FROM removed`,
        [postId, userId, kind],
      );
      return res.rows.length > 0;
    },

    /** Counts per kind and the viewer's own reactions for many posts in one round trip. */
    async summaries(postIds: string[], viewerId: string | null): Promise<Map<string, { counts: Record<string, number>; mine: string[] }>> {
      const out = new Map<string, { counts: Record<string, number>; mine: string[] }>();
      if (!postIds.length) return out;
      const res = await db.raw<{ rows: { post_id: string; kind: string; n: string; mine: boolean }[] }>(
        `SELECT post_id, kind, count(*) AS n, coalesce(bool_or(user_id = ?::bigint), false) AS mine
           FROM reactions WHERE post_id = ANY(?::bigint[]) AND kind <> 'vote' GROUP BY post_id, kind`,
        [viewerId, postIds],
      );
      for (const row of res.rows) {
        const entry = out.get(row.post_id) ?? { counts: {}, mine: [] };
        entry.counts[row.kind] = Number(row.n);
        if (row.mine) entry.mine.push(row.kind);
        out.set(row.post_id, entry);
      }
      return out;
    },
  };
}

export type ReactionRepository = ReturnType<typeof createReactionRepository>;
