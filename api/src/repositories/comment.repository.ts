import type { Db } from '../db/knex.ts';
import { audiencePolicy, type AudienceScope } from '../policy/audience.policy.ts';

export interface CommentRow {
  id: string;
  post_id: string;
  author_id: string;
  body: string;
  created_at: Date;
  created_key: string;
  author_handle: string;
  author_display_name: string;
}

export function createCommentRepository(db: Db) {
  async function query(q: {
    id?: string;
    postId?: string;
    after?: { createdAt: string; id: string };
    limit?: number;
    scope?: AudienceScope;
  }): Promise<CommentRow[]> {
    // issue 13: comments by people the viewer blocked (either way) or muted are left out (nothing when there are none)
    const shown = q.scope ? audiencePolicy.authorShownSql(q.scope, 'c') : { sql: 'true', bindings: [] };
    const res = await db.raw<{ rows: CommentRow[] }>(
      `SELECT c.id, c.post_id, c.author_id, c.body, c.created_at, c.created_at::text AS created_key,
              u.handle AS author_handle, u.display_name AS author_display_name
         FROM comments c JOIN users u ON u.id = c.author_id
        WHERE c.deleted_at IS NULL AND c.status = 'visible'
          AND (?::bigint IS NULL OR c.id = ?::bigint)
          AND (?::bigint IS NULL OR c.post_id = ?::bigint)
          AND (?::timestamptz IS NULL OR (c.created_at, c.id) > (?::timestamptz, ?::bigint))
          AND ${shown.sql}
        ORDER BY c.created_at, c.id LIMIT ?`,
      [
        q.id ?? null,
        q.id ?? null,
        q.postId ?? null,
        q.postId ?? null,
        q.after?.createdAt ?? null,
        q.after?.createdAt ?? null,
        q.after?.id ?? null,
        ...shown.bindings,
        q.limit ?? 1,
      ],
    );
    return res.rows;
  }

  return {
    async insert(postId: string, authorId: string, body: string): Promise<string> {
      const [row] = await db('comments').insert({ post_id: postId, author_id: authorId, body }).returning('id');
      return String((row as { id: string }).id);
    },

    async findById(id: string): Promise<CommentRow | undefined> {
      return (await query({ id }))[0];
    },

    /** Oldest first, as a conversation reads; without the comments of people `scope` hides. */
    async page(postId: string, after: { createdAt: string; id: string } | undefined, limit: number, scope?: AudienceScope): Promise<CommentRow[]> {
      return query({ postId, after, limit, scope });
    },
  };
}

export type CommentRepository = ReturnType<typeof createCommentRepository>;
