import type { Db } from '../db/knex.ts';
import { audiencePolicy } from '../policy/audience.policy.ts';

/** What the search index needs of a post, read fresh from PostgreSQL (never the exact point). */
export interface PostSearchSource {
  id: string;
  kind: string;
  title: string;
  body: string;
  tags: string[];
  precision: number;
  display_cell: string;
  h3_9: string;
  h3_8: string;
  h3_7: string;
  audience: 'public' | 'neighbors' | 'region' | 'area';
  /** offers: the res-8 cells of their target area */
  target_cells8: string[] | null;
  author_id: string;
  author_handle: string;
  region_id: string | null;
  /** the post's neighbourhood and its ancestors, nearest first */
  region_ids: string[];
  created_ms: string;
  /** updated_at in microseconds since the epoch: the reconciler compares it with the indexed copy */
  version: string;
  /** visible and undeleted; anything else must not be in the index */
  indexable: boolean;
}

export interface PostVersion {
  id: string;
  version: string;
}

// What belongs in the index comes from the audience policy (it has no bindings: constants and IS NULL only).
const INDEXABLE = audiencePolicy.indexableSql('p').sql;
const VERSION = `(extract(epoch FROM p.updated_at) * 1000000)::bigint`;

export function createSearchDocumentRepository(db: Db) {
  return {
    /** Current state of posts by id; ids that no longer exist are absent. */
    async load(ids: string[]): Promise<PostSearchSource[]> {
      if (!ids.length) return [];
      const res = await db.raw<{ rows: PostSearchSource[] }>(
        `SELECT p.id, p.kind, p.title, p.body, p.tags, p.precision, p.display_cell, p.h3_9, p.h3_8, p.h3_7, p.audience,
                p.target_cells8, p.author_id, u.handle AS author_handle, p.region_id,
                ARRAY(WITH RECURSIVE up AS (
                        SELECT r.id, r.parent_id, 0 AS depth FROM regions r WHERE r.id = p.region_id
                        UNION ALL
                        SELECT r.id, r.parent_id, up.depth + 1 FROM regions r JOIN up ON r.id = up.parent_id WHERE up.depth < 8)
                      SELECT id::text FROM up ORDER BY depth) AS region_ids,
                (extract(epoch FROM p.created_at) * 1000)::bigint AS created_ms,
                ${VERSION} AS version,
                (${INDEXABLE}) AS indexable
           FROM posts p JOIN users u ON u.id = p.author_id
          WHERE p.id = ANY(?::bigint[])`,
        [ids],
      );
      return res.rows;
    },

    /** Ids and versions of indexable posts in [fromId, toId). */
    async versionsInRange(fromId: string, toId: string): Promise<PostVersion[]> {
      const res = await db.raw<{ rows: PostVersion[] }>(
        `SELECT p.id, ${VERSION} AS version FROM posts p WHERE p.id >= ? AND p.id < ? AND ${INDEXABLE} ORDER BY p.id`,
        [fromId, toId],
      );
      return res.rows;
    },

    /** Indexable post ids after a given id, in order (keyset pages for a full rebuild). */
    async indexableIdsAfter(afterId: string, limit: number): Promise<string[]> {
      const res = await db.raw<{ rows: { id: string }[] }>(`SELECT p.id FROM posts p WHERE p.id > ? AND ${INDEXABLE} ORDER BY p.id LIMIT ?`, [
        afterId,
        limit,
      ]);
      return res.rows.map((r) => r.id);
    },

    async maxPostId(): Promise<string> {
      const res = await db.raw<{ rows: { id: string | null }[] }>(`SELECT max(id) AS id FROM posts`);
      return res.rows[0]?.id ?? '0';
    },
  };
}

export type SearchDocumentRepository = ReturnType<typeof createSearchDocumentRepository>;
