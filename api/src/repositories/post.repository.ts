import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { audiencePolicy, type AudienceScope } from '../policy/audience.policy.ts';
import { readSql, statementName } from './sql-file.ts';

const CREATE_SQL = readSql('post-create.sql');

export interface PostRow {
  id: string;
  author_id: string;
  kind: string;
  title: string;
  body: string;
  tags: string[];
  lat: number;
  lon: number;
  precision: 7 | 8 | 9;
  display_cell: string;
  h3_9: string;
  h3_8: string;
  h3_7: string;
  audience: 'public' | 'neighbors' | 'region' | 'area';
  /** offers (audience 'area'): the res-8 cells residents must live in to see it */
  target_cells8: string[] | null;
  /** kind 'offer': the offer it announces */
  offer_id?: string | null;
  /** kind 'offer': the shop behind it (issue 13: following a shop marks its offers) */
  offer_merchant_id?: string | null;
  region_id: string | null;
  status: 'visible' | 'hidden' | 'removed';
  event_starts_at: Date | null;
  poll_options: string[] | null;
  poll_closes_at: Date | null;
  event_ends_at: Date | null;
  event_place: string | null;
  event_capacity: number | null;
  sale_price_cents: number | null;
  sale_condition: string | null;
  comment_count: number;
  created_at: Date;
  updated_at: Date;
  /** when the author last edited it (moderation changes are not edits) */
  edited_at: Date | null;
  deleted_at: Date | null;
  author_handle: string;
  author_display_name: string;
  region_slug: string | null;
  region_name: string | null;
}

/** Columns that place a post; always computed together by geo/ from the exact point and precision. */
export interface PostPoint {
  lat: number;
  lon: number;
  precision: number;
  display_cell: string;
  h3_9: string;
  h3_8: string;
  h3_7: string;
  h3_5: string;
  centroidLat: number;
  centroidLon: number;
}

/** A point plus the neighbourhood its display centroid lies in. */
export interface PostPlacement extends PostPoint {
  region_id: string | null;
}

/** A post to create; its neighbourhood is looked up in the creating statement. */
export interface NewPost extends PostPoint {
  author_id: string;
  kind: string;
  title: string;
  body: string;
  tags: string[];
  audience: string;
  event_starts_at: string | null;
  poll_options: string[] | null;
  poll_closes_at: string | null;
  event_ends_at: string | null;
  event_place: string | null;
  event_capacity: number | null;
  sale_price_cents: number | null;
  sale_condition: string | null;
}

/** Columns an edit may change besides the placement. */
export type PostPatch = Partial<{
  title: string;
  body: string;
  tags: string[];
  audience: string;
  event_starts_at: string;
  event_ends_at: string | null;
  event_place: string | null;
  event_capacity: number | null;
  poll_closes_at: string | null;
  sale_price_cents: number;
  sale_condition: string;
}>;

export interface PageFilter {
  kind?: string;
  /** only for-sale posts given away for free */
  freeOnly?: boolean;
  before?: { createdAt: string; id: string };
  limit: number;
  scope: AudienceScope;
  /** issue 13: only posts by these people or these shops' offers (the viewer's follows) */
  following?: { userIds: string[]; merchantIds: string[] };
}

export interface FeedCells {
  res7: string[];
  res8: string[];
  res9: string[];
}

const HYDRATE_SELECT = `
  p.id, p.author_id, p.kind, p.title, p.body, p.tags, p.lat, p.lon, p.precision, p.display_cell, p.h3_9, p.h3_8, p.h3_7,
  p.audience, p.target_cells8, p.region_id, p.status, p.event_starts_at, p.poll_options, p.poll_closes_at, p.event_ends_at, p.event_place,
  p.event_capacity, p.sale_price_cents, p.sale_condition, p.comment_count, p.created_at, p.updated_at,
  p.edited_at, p.deleted_at, CASE WHEN p.kind = 'offer' THEN (SELECT o.id FROM offers o WHERE o.post_id = p.id) END AS offer_id,
  CASE WHEN p.kind = 'offer' THEN (SELECT o.merchant_id FROM offers o WHERE o.post_id = p.id) END AS offer_merchant_id,
  u.handle AS author_handle, u.display_name AS author_display_name, r.slug AS region_slug, r.name AS region_name`;

const HYDRATE_SQL = `SELECT ${HYDRATE_SELECT} FROM unnest(?::bigint[]) WITH ORDINALITY AS k(id, ord)
  JOIN posts p ON p.id = k.id JOIN users u ON u.id = p.author_id LEFT JOIN regions r ON r.id = p.region_id
  ORDER BY k.ord`;

function placementColumns(p: PostPlacement, db: Db) {
  return {
    lat: p.lat,
    lon: p.lon,
    precision: p.precision,
    display_cell: p.display_cell,
    h3_9: p.h3_9,
    h3_8: p.h3_8,
    h3_7: p.h3_7,
    h3_5: p.h3_5,
    geom: db.raw('ST_SetSRID(ST_MakePoint(?, ?), 4326)', [p.centroidLon, p.centroidLat]),
    region_id: p.region_id,
  };
}

/**
 * The audience policy's list condition (visible, undeleted, in the viewer's audience) plus kind and keyset, as SQL on
 * alias-free columns with bindings. The visible-only part matches the partial feed indexes; the audience columns are
 * INCLUDEd in them, so this runs index-only.
 */
function pageConditions(filter: PageFilter): { sql: string; bindings: Knex.RawBinding[] } {
  const audience = audiencePolicy.listSql(filter.scope);
  const parts = [audience.sql];
  const bindings: Knex.RawBinding[] = [...audience.bindings];
  if (filter.kind) {
    parts.push('kind = ?');
    bindings.push(filter.kind);
  }
  if (filter.freeOnly) parts.push(`kind = 'for_sale' AND sale_price_cents = 0`);
  if (filter.following) {
    // issue 13: author_id is INCLUDEd in the feed indexes; a shop's offers are found through offers.post_id (unique)
    parts.push(`(author_id = ANY(?::bigint[]) OR (kind = 'offer' AND EXISTS (
      SELECT 1 FROM offers o WHERE o.post_id = posts.id AND o.merchant_id = ANY(?::bigint[]))))`);
    bindings.push(filter.following.userIds, filter.following.merchantIds);
  }
  if (filter.before) {
    parts.push('(created_at, id) < (?::timestamptz, ?::bigint)');
    bindings.push(filter.before.createdAt, filter.before.id);
  }
  return { sql: parts.join(' AND '), bindings };
}

/** What post-create.sql returns: the columns the database fills in, and the joined names. */
type CreatedColumns = Pick<
  PostRow,
  | 'id'
  | 'region_id'
  | 'status'
  | 'comment_count'
  | 'event_starts_at'
  | 'poll_closes_at'
  | 'event_ends_at'
  | 'created_at'
  | 'updated_at'
  | 'deleted_at'
  | 'author_handle'
  | 'author_display_name'
  | 'region_slug'
  | 'region_name'
>;

export interface PageKey {
  id: string;
  created_key: string;
}

export function createPostRepository(db: Db) {
  return {
    /**
     * Creates a visible post together with its neighbourhood, activity-rollup counts and outbox row, in one statement
     * (post-create.sql): atomic without a transaction block, one round trip instead of six. Returns the new row as
     * findById would; the columns written verbatim come from `post` rather than back over the wire (measured: reading
     * the whole row back, body and all, cost a tenth of the insert).
     */
    async create(post: NewPost): Promise<PostRow> {
      const res = await db
        .raw<{ rows: CreatedColumns[] }>(CREATE_SQL, [
          post.centroidLon,
          post.centroidLat,
          post.author_id,
          post.kind,
          post.title,
          post.body,
          post.tags,
          post.audience,
          post.event_starts_at,
          post.poll_options,
          post.poll_closes_at,
          post.event_ends_at,
          post.event_place,
          post.event_capacity,
          post.sale_price_cents,
          post.sale_condition,
          post.lat,
          post.lon,
          post.precision,
          post.display_cell,
          post.h3_9,
          post.h3_8,
          post.h3_7,
          post.h3_5,
        ])
        // a named (prepared) statement: planning these CTEs took longer than executing them
        .options({ name: 'post-create' });
      const created = res.rows[0]!;
      return {
        ...created,
        author_id: post.author_id,
        kind: post.kind,
        title: post.title,
        body: post.body,
        tags: post.tags,
        lat: post.lat,
        lon: post.lon,
        precision: post.precision as PostRow['precision'],
        display_cell: post.display_cell,
        h3_9: post.h3_9,
        h3_8: post.h3_8,
        h3_7: post.h3_7,
        audience: post.audience as PostRow['audience'],
        target_cells8: null,
        poll_options: post.poll_options,
        event_place: post.event_place,
        event_capacity: post.event_capacity,
        sale_price_cents: post.sale_price_cents,
        sale_condition: post.sale_condition,
        edited_at: null,
      };
    },

    async update(id: string, patch: PostPatch, placement?: PostPlacement): Promise<void> {
      await db('posts')
        .where({ id })
        .update({ ...patch, ...(placement ? placementColumns(placement, db) : {}), updated_at: db.fn.now(), edited_at: db.fn.now() });
    },

    /** Keeps the state an edit is about to replace (post_revisions); call in the edit's transaction, before update. */
    async recordRevision(id: string, editorId: string): Promise<void> {
      await db.raw(
        `INSERT INTO post_revisions (post_id, editor_id, kind, title, body, tags, precision, display_cell, audience)
         SELECT id, ?, kind, title, body, tags, precision, display_cell, audience FROM posts WHERE id = ?`,
        [editorId, id],
      );
    },

    async softDelete(id: string): Promise<void> {
      await db('posts').where({ id }).update({ deleted_at: db.fn.now(), updated_at: db.fn.now() });
    },

    /** Row lock for read-modify-write by the author. */
    async lockForUpdate(id: string): Promise<{ id: string; author_id: string; kind: string; deleted_at: Date | null } | undefined> {
      return db('posts').where({ id }).forUpdate().first('id', 'author_id', 'kind', 'deleted_at');
    },

    async findById(id: string): Promise<PostRow | undefined> {
      const res = await db.raw<{ rows: PostRow[] }>(
        `SELECT ${HYDRATE_SELECT} FROM posts p JOIN users u ON u.id = p.author_id LEFT JOIN regions r ON r.id = p.region_id
          WHERE p.id = ?`,
        [id],
      );
      return res.rows[0];
    },

    /** Full rows for ids, in the given order. */
    async hydrate(ids: string[]): Promise<PostRow[]> {
      if (!ids.length) return [];
      const res = await db.raw<{ rows: PostRow[] }>(HYDRATE_SQL, [ids]).options({ name: statementName('hydrate', HYDRATE_SQL) });
      return res.rows;
    },

    /**
     * Newest posts whose display cell lies in the cover. Each cover cell is read newest-first from its own covering
     * index (LATERAL ... LIMIT n), so a page touches at most n rows per cell instead of every post in the radius.
     */
    async feedPage(cells: FeedCells, filter: PageFilter): Promise<PageKey[]> {
      const cond = pageConditions(filter);
      const branches: string[] = [];
      const bindings: Knex.RawBinding[] = [];
      for (const [column, list] of [
        ['h3_9', cells.res9],
        ['h3_8', cells.res8],
        ['h3_7', cells.res7],
      ] as const) {
        if (!list.length) continue;
        branches.push(`SELECT f.id, f.created_at FROM unnest(?::bigint[]) AS c(cell) CROSS JOIN LATERAL (
            SELECT id, created_at FROM posts WHERE ${column} = c.cell AND ${cond.sql}
            ORDER BY created_at DESC, id DESC LIMIT ?) f`);
        bindings.push(list, ...cond.bindings, filter.limit);
      }
      if (!branches.length) return [];
      const sql = `SELECT id, created_at::text AS created_key FROM (${branches.join(' UNION ALL ')}) hits
          ORDER BY created_at DESC, id DESC LIMIT ?`;
      const res = await db.raw<{ rows: PageKey[] }>(sql, [...bindings, filter.limit]).options({ name: statementName('feed', sql) });
      return res.rows;
    },

    /** Board of one cell at resolution 7, 8 or 9. */
    async cellPage(column: 'h3_7' | 'h3_8' | 'h3_9', cell: string, filter: PageFilter): Promise<PageKey[]> {
      const cond = pageConditions(filter);
      const res = await db.raw<{ rows: PageKey[] }>(
        `SELECT id, created_at::text AS created_key FROM posts WHERE ${column} = ? AND ${cond.sql}
          ORDER BY created_at DESC, id DESC LIMIT ?`,
        [cell, ...cond.bindings, filter.limit],
      );
      return res.rows;
    },

    async incrementCommentCount(id: string, by: number): Promise<void> {
      await db('posts').where({ id }).increment('comment_count', by);
    },
  };
}

export type PostRepository = ReturnType<typeof createPostRepository>;
