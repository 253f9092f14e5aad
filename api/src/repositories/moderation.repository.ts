import type { Db } from '../db/knex.ts';
import type { SqlCondition } from '../policy/policy.ts';
import { readSql } from './sql-file.ts';

const ITEM_SQL = readSql('moderation-item.sql');

export type TargetKind = 'post' | 'comment' | 'message';
export type ItemStatus = 'visible' | 'hidden' | 'removed';

export interface ModerationItemRow {
  target_kind: TargetKind;
  target_id: string;
  /** null for a message (issue 13): the post columns below are null too */
  post_id: string | null;
  author_id: string;
  body: string;
  status: ItemStatus;
  created_at: Date;
  post_title: string | null;
  post_kind: string | null;
  post_status: ItemStatus | null;
  comments_locked_at: Date | null;
  edited_at: Date | null;
  home_region_id: string | null;
  post_h3_7: string | null;
  author_handle: string;
  author_display_name: string;
  region_ids: string[];
}

export interface QueueRow {
  case_id: string;
  target_kind: TargetKind;
  target_id: string;
  post_id: string | null;
  weight: number;
  reporter_count: number;
  opened_at: Date;
  escalated: boolean;
  excerpt: string;
  post_title: string | null;
  status: ItemStatus;
  author_handle: string;
  revision_count: number;
  prior_action_count: number;
  reasons: string[];
}

export interface OpenReportRow {
  reason: string;
  text: string | null;
  weight: number;
  created_at: Date;
}

/** Reported items, their cases and open reports, and the moderation view of an item. All reads take the policy's SQL. */
export function createModerationRepository(db: Db) {
  return {
    /** The item if it exists, is not deleted and `scope` (the moderation policy's condition on `item`) admits it. */
    async findItem(kind: TargetKind, id: string, scope: SqlCondition): Promise<ModerationItemRow | undefined> {
      const res = await db.raw<{ rows: ModerationItemRow[] }>(`${ITEM_SQL} WHERE ${scope.sql}`, [kind, id, kind, id, kind, id, ...scope.bindings]);
      return res.rows[0];
    },

    /** Opens (or reopens) the case of an item and returns its id. */
    async openCase(item: Pick<ModerationItemRow, 'target_kind' | 'target_id' | 'post_id' | 'author_id' | 'region_ids'>): Promise<string> {
      const res = await db.raw<{ rows: { id: string }[] }>(
        `INSERT INTO moderation_cases (target_kind, target_id, post_id, author_id, region_ids)
         VALUES (?, ?, ?, ?, ?::bigint[])
         ON CONFLICT (target_kind, target_id) DO UPDATE
           SET region_ids = EXCLUDED.region_ids, status = 'open', resolved_at = NULL,
               opened_at = CASE WHEN moderation_cases.status = 'resolved' THEN now() ELSE moderation_cases.opened_at END
         RETURNING id`,
        [item.target_kind, item.target_id, item.post_id, item.author_id, item.region_ids],
      );
      return res.rows[0]!.id;
    },

    async caseOf(kind: TargetKind, id: string): Promise<{ id: string; status: 'open' | 'resolved' } | undefined> {
      return db('moderation_cases').where({ target_kind: kind, target_id: id }).first('id', 'status');
    },

    /** One open report per person and item: reporting again replaces the reason instead of adding weight. */
    async upsertReport(caseId: string, reporterId: string, report: { reason: string; text: string | null; weight: 1 | 2 }): Promise<void> {
      await db.raw(
        `INSERT INTO reports (case_id, reporter_id, reason, text, weight) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (case_id, reporter_id) WHERE resolved_at IS NULL
         DO UPDATE SET reason = EXCLUDED.reason, text = EXCLUDED.text, weight = EXCLUDED.weight, updated_at = now()`,
        [caseId, reporterId, report.reason, report.text, report.weight],
      );
      await db.raw(
        `UPDATE moderation_cases c SET weight = s.weight, reporter_count = s.n
           FROM (SELECT coalesce(sum(weight), 0)::int AS weight, count(*)::int AS n FROM reports WHERE case_id = ? AND resolved_at IS NULL) s
          WHERE c.id = ?`,
        [caseId, caseId],
      );
    },

    /** Whether a res-8 home cell lies in a district or neighbourhood among `regionIds` (reports from residents weigh more). */
    async livesIn(homeCell8: string, regionIds: string[]): Promise<boolean> {
      const res = await db.raw<{ rows: { yes: boolean }[] }>(
        `SELECT EXISTS (SELECT 1 FROM region_cells rc JOIN regions r ON r.id = rc.region_id
                         WHERE rc.h3_8 = ?::bigint AND rc.region_id = ANY(?::bigint[]) AND r.kind <> 'city') AS yes`,
        [homeCell8, regionIds],
      );
      return res.rows[0]?.yes ?? false;
    },

    async resolveCase(caseId: string): Promise<void> {
      await db.raw(`UPDATE reports SET resolved_at = now() WHERE case_id = ? AND resolved_at IS NULL`, [caseId]);
      await db.raw(`UPDATE moderation_cases SET status = 'resolved', resolved_at = now(), weight = 0, reporter_count = 0 WHERE id = ?`, [caseId]);
    },

    async openReports(caseId: string): Promise<OpenReportRow[]> {
      return db('reports').where({ case_id: caseId }).whereNull('resolved_at').orderBy('created_at').select('reason', 'text', 'weight', 'created_at');
    },

    /**
     * Open cases in scope, escalated ones first (open longer than `escalateHours`: they reach the parent region's
     * moderators flagged), then by weight, oldest first. `regionId` narrows to one region the viewer moderates.
     */
    async queue(scope: SqlCondition, opts: { regionId?: string; escalateHours: number; limit: number }): Promise<QueueRow[]> {
      // Pick the page from moderation_cases alone (GIN on region_ids, then a top-N sort of the region's open cases),
      // and only then look up the 50 items, their counts and reasons: measured at 10k open cases, computing those for
      // every open case of a district before the sort cost ~60 ms at p50; this way they are paid for 50 rows.
      const res = await db.raw<{ rows: QueueRow[] }>(
        `WITH page AS (
           SELECT c.id, c.opened_at < now() - make_interval(hours => ?::int) AS escalated
             FROM moderation_cases c
            WHERE c.status = 'open' AND ${scope.sql}
              AND (?::bigint IS NULL OR c.region_ids @> ARRAY[?::bigint])
            ORDER BY escalated DESC, c.weight DESC, c.opened_at, c.id
            LIMIT ?
         )
         SELECT c.id AS case_id, c.target_kind, c.target_id, c.post_id, c.weight, c.reporter_count, c.opened_at, page.escalated,
                left(coalesce(cm.body, msg.body, p.body), 280) AS excerpt, p.title AS post_title,
                coalesce(cm.status, msg.status, p.status) AS status, u.handle AS author_handle,
                (SELECT count(*)::int FROM post_revisions r WHERE c.target_kind = 'post' AND r.post_id = c.post_id) AS revision_count,
                (SELECT count(*)::int FROM moderation_actions a WHERE a.target_kind = c.target_kind AND a.target_id = c.target_id) AS prior_action_count,
                ARRAY(SELECT DISTINCT r.reason FROM reports r WHERE r.case_id = c.id AND r.resolved_at IS NULL ORDER BY r.reason) AS reasons
           FROM page
           JOIN moderation_cases c ON c.id = page.id
           LEFT JOIN posts p ON p.id = c.post_id
           LEFT JOIN comments cm ON c.target_kind = 'comment' AND cm.id = c.target_id
           LEFT JOIN messages msg ON c.target_kind = 'message' AND msg.id = c.target_id
           JOIN users u ON u.id = c.author_id
          ORDER BY page.escalated DESC, c.weight DESC, c.opened_at, c.id`,
        [opts.escalateHours, ...scope.bindings, opts.regionId ?? null, opts.regionId ?? null, opts.limit],
      );
      return res.rows;
    },

    async revisions(postId: string): Promise<{ title: string; body: string; replaced_at: Date }[]> {
      return db('post_revisions').where({ post_id: postId }).orderBy('id').select('title', 'body', 'replaced_at');
    },

    async setStatus(kind: TargetKind, id: string, status: ItemStatus): Promise<void> {
      await db(kind === 'post' ? 'posts' : kind === 'comment' ? 'comments' : 'messages')
        .where({ id })
        .update({ status, ...(kind === 'post' ? { updated_at: db.fn.now() } : {}) });
    },

    async setCommentsLocked(postId: string, locked: boolean): Promise<void> {
      await db('posts')
        .where({ id: postId })
        .update({ comments_locked_at: locked ? db.fn.now() : null });
    },

    /** Whether the user is suspended (unlifted, unexpired) in any region a place touches. */
    async suspendedIn(userId: string, regionIds: string[]): Promise<boolean> {
      if (!regionIds.length) return false;
      const res = await db.raw<{ rows: { yes: boolean }[] }>(
        `SELECT EXISTS (SELECT 1 FROM region_suspensions WHERE user_id = ? AND region_id = ANY(?::bigint[])
                          AND lifted_at IS NULL AND until > now()) AS yes`,
        [userId, regionIds],
      );
      return res.rows[0]?.yes ?? false;
    },

    /** Whether the user is suspended in a region the res-8 cell (or, for a res-7 display cell, any child) touches. */
    async suspendedAtCell(userId: string, cell: { h3_8: string; h3_7: string; precision: number }): Promise<boolean> {
      const res = await db.raw<{ rows: { yes: boolean }[] }>(
        `SELECT EXISTS (
           SELECT 1 FROM region_suspensions s JOIN region_cells rc ON rc.region_id = s.region_id
            WHERE s.user_id = ? AND s.lifted_at IS NULL AND s.until > now()
              AND CASE WHEN ?::int = 7 THEN rc.h3_7 = ?::bigint ELSE rc.h3_8 = ?::bigint END) AS yes`,
        [userId, cell.precision, cell.h3_7, cell.h3_8],
      );
      return res.rows[0]?.yes ?? false;
    },

    async commentsLocked(postId: string): Promise<boolean> {
      const row = await db('posts').where({ id: postId }).first('comments_locked_at');
      return Boolean(row?.comments_locked_at);
    },

    async suspend(userId: string, regionId: string, until: Date, actionId: string): Promise<void> {
      await db('region_suspensions').insert({ user_id: userId, region_id: regionId, until, action_id: actionId });
    },

    async liftSuspensions(userId: string, regionIds: string[]): Promise<void> {
      await db('region_suspensions')
        .where({ user_id: userId })
        .whereIn('region_id', regionIds)
        .whereNull('lifted_at')
        .update({ lifted_at: db.fn.now() });
    },
  };
}

export type ModerationRepository = ReturnType<typeof createModerationRepository>;
