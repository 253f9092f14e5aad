import type { Db } from '../db/knex.ts';

/** One person's relations as the audience scope needs them, read in one statement per request. */
export interface Relations {
  /** blocked by me or blocking me */
  blocked: string[];
  muted: string[];
  followedUsers: string[];
  followedMerchants: string[];
}

export interface RelatedUserRow {
  id: string;
  handle: string;
  display_name: string;
  created_at: Date;
}

export interface FollowedMerchantRow {
  id: string;
  name: string;
  created_at: Date;
}

/**
 * Follows and mutes (migration 20261206830001); blocks are block.repository.ts. Writes are idempotent: following twice
 * or unmuting someone not muted leaves things as they are.
 */
export function createSocialRepository(db: Db) {
  return {
    /**
     * Everything the viewer's scope needs, one round trip: each list is a primary-key or index range scan (blocks both
     * ways use user_blocks' primary key and user_blocks_blocked). For a viewer with no relations it returns no rows.
     */
    async relationsOf(userId: string): Promise<Relations> {
      const res = await db.raw<{ rows: { rel: keyof Relations; id: string }[] }>(
        `SELECT 'blocked' AS rel, blocked_id AS id FROM user_blocks WHERE blocker_id = ?
         UNION SELECT 'blocked', blocker_id FROM user_blocks WHERE blocked_id = ?
         UNION ALL SELECT 'muted', muted_id FROM user_mutes WHERE muter_id = ?
         UNION ALL SELECT 'followedUsers', followee_id FROM user_follows WHERE follower_id = ?
         UNION ALL SELECT 'followedMerchants', merchant_id FROM merchant_follows WHERE user_id = ?`,
        [userId, userId, userId, userId, userId],
      );
      const out: Relations = { blocked: [], muted: [], followedUsers: [], followedMerchants: [] };
      for (const r of res.rows) out[r.rel].push(String(r.id));
      return out;
    },

    /** relationsOf for many people at once (open live streams refresh theirs with one statement). */
    async relationsOfMany(userIds: string[]): Promise<Map<string, Relations>> {
      const out = new Map<string, Relations>(userIds.map((id) => [String(id), { blocked: [], muted: [], followedUsers: [], followedMerchants: [] }]));
      if (!userIds.length) return out;
      const res = await db.raw<{ rows: { who: string; rel: keyof Relations; id: string }[] }>(
        `SELECT blocker_id AS who, 'blocked' AS rel, blocked_id AS id FROM user_blocks WHERE blocker_id = ANY(?::bigint[])
         UNION SELECT blocked_id, 'blocked', blocker_id FROM user_blocks WHERE blocked_id = ANY(?::bigint[])
         UNION ALL SELECT muter_id, 'muted', muted_id FROM user_mutes WHERE muter_id = ANY(?::bigint[])
         UNION ALL SELECT follower_id, 'followedUsers', followee_id FROM user_follows WHERE follower_id = ANY(?::bigint[])
         UNION ALL SELECT user_id, 'followedMerchants', merchant_id FROM merchant_follows WHERE user_id = ANY(?::bigint[])`,
        [userIds, userIds, userIds, userIds, userIds],
      );
      for (const r of res.rows) out.get(String(r.who))?.[r.rel].push(String(r.id));
      return out;
    },

    async follow(followerId: string, followeeId: string): Promise<void> {
      await db('user_follows').insert({ follower_id: followerId, followee_id: followeeId }).onConflict(['follower_id', 'followee_id']).ignore();
    },

    async unfollow(followerId: string, followeeId: string): Promise<void> {
      await db('user_follows').where({ follower_id: followerId, followee_id: followeeId }).delete();
    },

    /** A block ends following both ways. */
    async unfollowBothWays(a: string, b: string): Promise<void> {
      await db('user_follows').where({ follower_id: a, followee_id: b }).orWhere({ follower_id: b, followee_id: a }).delete();
    },

    async followMerchant(userId: string, merchantId: string): Promise<void> {
      await db('merchant_follows').insert({ user_id: userId, merchant_id: merchantId }).onConflict(['user_id', 'merchant_id']).ignore();
    },

    async unfollowMerchant(userId: string, merchantId: string): Promise<void> {
      await db('merchant_follows').where({ user_id: userId, merchant_id: merchantId }).delete();
    },

    async mute(muterId: string, mutedId: string): Promise<void> {
      await db('user_mutes').insert({ muter_id: muterId, muted_id: mutedId }).onConflict(['muter_id', 'muted_id']).ignore();
    },

    async unmute(muterId: string, mutedId: string): Promise<void> {
      await db('user_mutes').where({ muter_id: muterId, muted_id: mutedId }).delete();
    },

    /** Public counts (a social fact, like a shop's review count); who the followers are is never listed. */
    async followerCount(userId: string): Promise<number> {
      const row = await db('user_follows').where({ followee_id: userId }).count<{ n: string }[]>({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },

    async merchantFollowerCount(merchantId: string): Promise<number> {
      const row = await db('merchant_follows').where({ merchant_id: merchantId }).count<{ n: string }[]>({ n: '*' }).first();
      return Number(row?.n ?? 0);
    },

    /** The people I follow / muted, newest first (my settings page). */
    async followedBy(userId: string): Promise<RelatedUserRow[]> {
      const res = await db.raw<{ rows: RelatedUserRow[] }>(
        `SELECT u.id, u.handle, u.display_name, f.created_at FROM user_follows f JOIN users u ON u.id = f.followee_id
          WHERE f.follower_id = ? ORDER BY f.created_at DESC, u.id`,
        [userId],
      );
      return res.rows;
    },

    async mutedBy(userId: string): Promise<RelatedUserRow[]> {
      const res = await db.raw<{ rows: RelatedUserRow[] }>(
        `SELECT u.id, u.handle, u.display_name, m.created_at FROM user_mutes m JOIN users u ON u.id = m.muted_id
          WHERE m.muter_id = ? ORDER BY m.created_at DESC, u.id`,
        [userId],
      );
      return res.rows;
    },

    async merchantsFollowedBy(userId: string): Promise<FollowedMerchantRow[]> {
      const res = await db.raw<{ rows: FollowedMerchantRow[] }>(
        `SELECT m.id, m.name, f.created_at FROM merchant_follows f JOIN merchants m ON m.id = f.merchant_id
          WHERE f.user_id = ? ORDER BY f.created_at DESC, m.id`,
        [userId],
      );
      return res.rows;
    },
  };
}

export type SocialRepository = ReturnType<typeof createSocialRepository>;
