import type { Db } from '../db/knex.ts';

/**
 * Blocks (migration 20261206700001). A block hides both ways: neither user sees the other's posts, comments, profile or
 * messages. Only the blocker can lift it.
 */
export function createBlockRepository(db: Db) {
  return {
    async block(blockerId: string, blockedId: string): Promise<void> {
      await db('user_blocks').insert({ blocker_id: blockerId, blocked_id: blockedId }).onConflict(['blocker_id', 'blocked_id']).ignore();
    },

    async unblock(blockerId: string, blockedId: string): Promise<void> {
      await db('user_blocks').where({ blocker_id: blockerId, blocked_id: blockedId }).delete();
    },

    /** Whether either of the two has blocked the other. */
    async eitherBlocked(a: string, b: string): Promise<boolean> {
      const res = await db.raw<{ rows: unknown[] }>(
        `SELECT 1 FROM user_blocks WHERE (blocker_id = ? AND blocked_id = ?) OR (blocker_id = ? AND blocked_id = ?) LIMIT 1`,
        [a, b, b, a],
      );
      return res.rows.length > 0;
    },

    /** Everyone hidden from this user and from whom this user is hidden (both directions). */
    async hiddenFrom(userId: string): Promise<string[]> {
      const res = await db.raw<{ rows: { id: string }[] }>(
        `SELECT blocked_id AS id FROM user_blocks WHERE blocker_id = ? UNION SELECT blocker_id FROM user_blocks WHERE blocked_id = ?`,
        [userId, userId],
      );
      return res.rows.map((r) => String(r.id));
    },

    /** The people this user blocked, newest first (their settings page). */
    async blockedBy(userId: string): Promise<{ id: string; handle: string; display_name: string; created_at: Date }[]> {
      const res = await db.raw<{ rows: { id: string; handle: string; display_name: string; created_at: Date }[] }>(
        `SELECT u.id, u.handle, u.display_name, b.created_at FROM user_blocks b JOIN users u ON u.id = b.blocked_id
          WHERE b.blocker_id = ? ORDER BY b.created_at DESC`,
        [userId],
      );
      return res.rows;
    },
  };
}

export type BlockRepository = ReturnType<typeof createBlockRepository>;
