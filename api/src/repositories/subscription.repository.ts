import type { Db } from '../db/knex.ts';

export interface SubscriptionRow {
  id: string;
  user_id: string;
  name: string;
  cells: string[];
  kinds: string[];
  tags: string[];
  created_at: Date;
}

/** A subscription whose area, kinds and tags match a post, with its owner's home (for the audience check). */
export interface SubscriptionMatch {
  id: string;
  user_id: string;
  home_h3_9: string | null;
}

export function createSubscriptionRepository(db: Db) {
  return {
    async insert(userId: string, s: { name: string; cells: string[]; kinds: string[]; tags: string[] }): Promise<SubscriptionRow> {
      const [row] = await db('area_subscriptions')
        .insert({ user_id: userId, name: s.name, cells: s.cells, kinds: s.kinds, tags: s.tags })
        .returning(['id', 'user_id', 'name', 'cells', 'kinds', 'tags', 'created_at']);
      return row as SubscriptionRow;
    },

    async listFor(userId: string): Promise<SubscriptionRow[]> {
      return db('area_subscriptions')
        .where({ user_id: userId })
        .orderBy('id')
        .select('id', 'user_id', 'name', 'cells', 'kinds', 'tags', 'created_at');
    },

    async countFor(userId: string): Promise<number> {
      const [row] = await db('area_subscriptions').where({ user_id: userId }).count<{ count: string }[]>('* as count');
      return Number(row?.count ?? 0);
    },

    /** Deletes one of the user's own; false when there is none by that id (someone else's counts as none). */
    async remove(userId: string, id: string): Promise<boolean> {
      return (await db('area_subscriptions').where({ user_id: userId, id }).delete()) > 0;
    },

    /** One subscription per subscriber (the oldest) whose cells hold the post and whose kinds/tags let it through. */
    async matching(postId: string, excludeUserId: string): Promise<SubscriptionMatch[]> {
      const res = await db.raw<{ rows: SubscriptionMatch[] }>(
        `SELECT DISTINCT ON (s.user_id) s.id, s.user_id, u.home_h3_9
           FROM posts p
           JOIN area_subscriptions s ON s.cells && ARRAY[p.h3_7, p.h3_8, p.h3_9]::bigint[]
           JOIN users u ON u.id = s.user_id
          WHERE p.id = ? AND s.user_id <> ?
            AND (cardinality(s.kinds) = 0 OR p.kind = ANY(s.kinds))
            AND (cardinality(s.tags) = 0 OR s.tags && p.tags)
          ORDER BY s.user_id, s.id`,
        [postId, excludeUserId],
      );
      return res.rows;
    },
  };
}

export type SubscriptionRepository = ReturnType<typeof createSubscriptionRepository>;
