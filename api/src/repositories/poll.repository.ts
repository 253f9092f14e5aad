import type { Db } from '../db/knex.ts';

export function createPollRepository(db: Db) {
  return {
    /**
     * Casts or changes a vote in one statement: the poll must be open (checked against now() in the same statement,
     * so a vote cannot slip in after the closing time) and the option must exist. The primary key (post_id, user_id)
     * makes "one vote per person" a property of the table, not of the code. Returns false when nothing was written.
     */
    async vote(postId: string, userId: string, option: number): Promise<boolean> {
      const res = await db.raw<{ rowCount: number }>(
        `INSERT INTO poll_votes (post_id, user_id, option)
         SELECT id, ?, ? FROM posts
          WHERE id = ? AND kind = 'poll' AND ? < cardinality(poll_options) AND (poll_closes_at IS NULL OR poll_closes_at > now())
         ON CONFLICT (post_id, user_id) DO UPDATE SET option = EXCLUDED.option, voted_at = now()`,
        [userId, option, postId, option],
      );
      return res.rowCount > 0;
    },

    /** Takes a vote back while the poll is open. */
    async retract(postId: string, userId: string): Promise<void> {
      await db.raw(
        `DELETE FROM poll_votes v USING posts p
          WHERE v.post_id = ? AND v.user_id = ? AND p.id = v.post_id AND (p.poll_closes_at IS NULL OR p.poll_closes_at > now())`,
        [postId, userId],
      );
    },
  };
}

export type PollRepository = ReturnType<typeof createPollRepository>;
