import type { Db } from '../db/knex.ts';

export interface SubscriptionRow {
  id: string;
  user_id: string;
  name: string;
  cells: string[];
  kinds: string[];
  tags: string[];
  email: boolean; // issue 13: email
  created_at: Date;
}

/** A subscription whose area, kinds and tags match a post, with its owner's home (for the audience check). */
export interface SubscriptionMatch {
  id: string;
  user_id: string;
  home_h3_9: string | null;
  // issue 13: email — whether (one of) the subscriber's matching subscriptions mails, and where to
  email: boolean;
  name: string;
  to_address: string | null;
  display_name: string;
}

export function createSubscriptionRepository(db: Db) {
  return {
    async insert(userId: string, s: { name: string; cells: string[]; kinds: string[]; tags: string[]; email?: boolean }): Promise<SubscriptionRow> {
      const [row] = await db('area_subscriptions')
        .insert({ user_id: userId, name: s.name, cells: s.cells, kinds: s.kinds, tags: s.tags, email: s.email ?? false })
        .returning(['id', 'user_id', 'name', 'cells', 'kinds', 'tags', 'email', 'created_at']);
      return row as SubscriptionRow;
    },

    async listFor(userId: string): Promise<SubscriptionRow[]> {
      return db('area_subscriptions')
        .where({ user_id: userId })
        .orderBy('id')
        .select('id', 'user_id', 'name', 'cells', 'kinds', 'tags', 'email', 'created_at');
    },

    async countFor(userId: string): Promise<number> {
      const [row] = await db('area_subscriptions').where({ user_id: userId }).count<{ count: string }[]>('* as count');
      return Number(row?.count ?? 0);
    },

    /** issue 13: email — one of the user's own; undefined when there is none by that id. */
    async setEmail(userId: string, id: string, email: boolean): Promise<SubscriptionRow | undefined> {
      const [row] = await db('area_subscriptions')
        .where({ user_id: userId, id })
        .update({ email })
        .returning(['id', 'user_id', 'name', 'cells', 'kinds', 'tags', 'email', 'created_at']);
      return row as SubscriptionRow | undefined;
    },

    /** Deletes one of the user's own; false when there is none by that id (someone else's counts as none). */
    async remove(userId: string, id: string): Promise<boolean> {
      return (await db('area_subscriptions').where({ user_id: userId, id }).delete()) > 0;
    },

    /**
     * One subscription per subscriber (the oldest; issue 13: one that mails first) whose cells hold the post and whose
     * kinds/tags let it through. to_address is set only for a verified address.
     */
    async matching(postId: string, excludeUserId: string): Promise<SubscriptionMatch[]> {
      const res = await db.raw<{ rows: SubscriptionMatch[] }>(
        `SELECT DISTINCT ON (s.user_id) s.id, s.user_id, u.home_h3_9, s.email, s.name, u.display_name,
                CASE WHEN u.email_verified_at IS NOT NULL THEN u.email END AS to_address
           FROM posts p
           JOIN area_subscriptions s ON s.cells && ARRAY[p.h3_7, p.h3_8, p.h3_9]::bigint[]
           JOIN users u ON u.id = s.user_id
          WHERE p.id = ? AND s.user_id <> ?
            AND (cardinality(s.kinds) = 0 OR p.kind = ANY(s.kinds))
            AND (cardinality(s.tags) = 0 OR s.tags && p.tags)
          ORDER BY s.user_id, s.email DESC, s.id`,
        [postId, excludeUserId],
      );
      return res.rows;
    },
  };
}

export type SubscriptionRepository = ReturnType<typeof createSubscriptionRepository>;
