import type { Db } from '../db/knex.ts';
import type { SqlCondition } from '../policy/policy.ts';
import type { TargetKind } from './moderation.repository.ts';

export interface ActionRow {
  id: string;
  case_id: string | null;
  target_kind: TargetKind;
  target_id: string;
  target_author_id: string;
  actor_id: string;
  actor_handle: string;
  action: string;
  reason_category: string;
  reason_text: string;
  region_ids: string[];
  suspended_region_id: string | null;
  suspended_until: Date | null;
  appeal_id: string | null;
  created_at: Date;
  target_author_handle: string;
  appeal_status: 'pending' | 'granted' | 'denied' | null;
}

export interface NewAction {
  case_id: string | null;
  target_kind: TargetKind;
  target_id: string;
  target_author_id: string;
  actor_id: string;
  action: string;
  reason_category: string;
  reason_text: string;
  region_ids: string[];
  suspended_region_id?: string | null;
  suspended_until?: Date | null;
  appeal_id?: string | null;
}

export interface AppealRow {
  id: string;
  action_id: string;
  appellant_id: string;
  text: string;
  status: 'pending' | 'granted' | 'denied';
  decided_by: string | null;
  decided_at: Date | null;
  created_at: Date;
  action: string;
  actor_id: string;
  target_kind: TargetKind;
  target_id: string;
  region_ids: string[];
  reason_category: string;
  reason_text: string;
  action_created_at: Date;
}

const ACTION_SELECT = `a.id, a.case_id, a.target_kind, a.target_id, a.target_author_id, a.actor_id, actor.handle AS actor_handle,
  a.action, a.reason_category, a.reason_text, a.region_ids, a.suspended_region_id, a.suspended_until, a.appeal_id, a.created_at,
  author.handle AS target_author_handle, ap.status AS appeal_status`;
const ACTION_FROM = `moderation_actions a JOIN users actor ON actor.id = a.actor_id JOIN users author ON author.id = a.target_author_id
  LEFT JOIN appeals ap ON ap.action_id = a.id`;

const APPEAL_SELECT = `ap.id, ap.action_id, ap.appellant_id, ap.text, ap.status, ap.decided_by, ap.decided_at, ap.created_at,
  a.action, a.actor_id, a.target_kind, a.target_id, a.region_ids, a.reason_category, a.reason_text, a.created_at AS action_created_at`;

/** The append-only action log (the database refuses UPDATE/DELETE on it) and appeals against its entries. */
export function createModerationLogRepository(db: Db) {
  return {
    async insert(action: NewAction): Promise<string> {
      const res = await db.raw<{ rows: { id: string }[] }>(
        `INSERT INTO moderation_actions (case_id, target_kind, target_id, target_author_id, actor_id, action, reason_category,
                                         reason_text, region_ids, suspended_region_id, suspended_until, appeal_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::bigint[], ?, ?, ?) RETURNING id`,
        [
          action.case_id,
          action.target_kind,
          action.target_id,
          action.target_author_id,
          action.actor_id,
          action.action,
          action.reason_category,
          action.reason_text,
          action.region_ids,
          action.suspended_region_id ?? null,
          action.suspended_until ?? null,
          action.appeal_id ?? null,
        ],
      );
      return res.rows[0]!.id;
    },

    async forTarget(kind: TargetKind, id: string): Promise<ActionRow[]> {
      const res = await db.raw<{ rows: ActionRow[] }>(
        `SELECT ${ACTION_SELECT} FROM ${ACTION_FROM} WHERE a.target_kind = ? AND a.target_id = ? ORDER BY a.id`,
        [kind, id],
      );
      return res.rows;
    },

    /** The newest action of the given kinds on an item (who hid it, to decide who may restore it). */
    async latestOf(kind: TargetKind, id: string, actions: readonly string[]): Promise<ActionRow | undefined> {
      const res = await db.raw<{ rows: ActionRow[] }>(
        `SELECT ${ACTION_SELECT} FROM ${ACTION_FROM} WHERE a.target_kind = ? AND a.target_id = ? AND a.action = ANY(?::text[])
          ORDER BY a.id DESC LIMIT 1`,
        [kind, id, [...actions]],
      );
      return res.rows[0];
    },

    /**
     * A region's log, newest first: every action on an item touching the region. `scope` confines the rows for the
     * moderators' full log (the moderation policy's condition on `a`); the public log passes none and shows less.
     */
    async forRegion(regionId: string, page: { beforeId?: string; limit: number }, scope?: SqlCondition): Promise<ActionRow[]> {
      const confine = scope ?? { sql: 'true', bindings: [] };
      const res = await db.raw<{ rows: ActionRow[] }>(
        `SELECT ${ACTION_SELECT} FROM ${ACTION_FROM}
          WHERE a.region_ids @> ARRAY[?::bigint] AND (?::bigint IS NULL OR a.id < ?::bigint) AND ${confine.sql}
          ORDER BY a.id DESC LIMIT ?`,
        [regionId, page.beforeId ?? null, page.beforeId ?? null, ...confine.bindings, page.limit],
      );
      return res.rows;
    },

    /** Actions on one author's items (what happened to my posts, with the appeal state). */
    async forAuthor(authorId: string, limit: number): Promise<ActionRow[]> {
      const res = await db.raw<{ rows: ActionRow[] }>(
        `SELECT ${ACTION_SELECT} FROM ${ACTION_FROM} WHERE a.target_author_id = ? ORDER BY a.id DESC LIMIT ?`,
        [authorId, limit],
      );
      return res.rows;
    },

    async byId(id: string): Promise<ActionRow | undefined> {
      const res = await db.raw<{ rows: ActionRow[] }>(`SELECT ${ACTION_SELECT} FROM ${ACTION_FROM} WHERE a.id = ?`, [id]);
      return res.rows[0];
    },

    /** Files an appeal; undefined when this action was appealed already (one appeal per action). */
    async insertAppeal(actionId: string, appellantId: string, text: string): Promise<string | undefined> {
      const res = await db.raw<{ rows: { id: string }[] }>(
        `INSERT INTO appeals (action_id, appellant_id, text) VALUES (?, ?, ?) ON CONFLICT (action_id) DO NOTHING RETURNING id`,
        [actionId, appellantId, text],
      );
      return res.rows[0]?.id;
    },

    /** One appeal, if the moderation policy's condition (on the appealed action's regions) admits it. */
    async findAppeal(id: string, scope: SqlCondition): Promise<AppealRow | undefined> {
      const res = await db.raw<{ rows: AppealRow[] }>(
        `SELECT ${APPEAL_SELECT} FROM appeals ap JOIN moderation_actions a ON a.id = ap.action_id WHERE ap.id = ? AND ${scope.sql}`,
        [id, ...scope.bindings],
      );
      return res.rows[0];
    },

    async appealsOf(appellantId: string): Promise<AppealRow[]> {
      const res = await db.raw<{ rows: AppealRow[] }>(
        `SELECT ${APPEAL_SELECT} FROM appeals ap JOIN moderation_actions a ON a.id = ap.action_id WHERE ap.appellant_id = ? ORDER BY ap.id DESC`,
        [appellantId],
      );
      return res.rows;
    },

    /** Pending appeals in scope that the viewer may decide (never against their own action), oldest first. */
    async pendingAppeals(scope: SqlCondition, viewerId: string, limit: number): Promise<AppealRow[]> {
      const res = await db.raw<{ rows: AppealRow[] }>(
        `SELECT ${APPEAL_SELECT} FROM appeals ap JOIN moderation_actions a ON a.id = ap.action_id
          WHERE ap.status = 'pending' AND a.actor_id <> ? AND ${scope.sql} ORDER BY ap.created_at, ap.id LIMIT ?`,
        [viewerId, ...scope.bindings, limit],
      );
      return res.rows;
    },

    /** Decides a pending appeal once; false when it was decided already (concurrent deciders: one wins). */
    async decideAppeal(id: string, deciderId: string, status: 'granted' | 'denied'): Promise<boolean> {
      const res = await db.raw<{ rowCount: number }>(
        `UPDATE appeals SET status = ?, decided_by = ?, decided_at = now() WHERE id = ? AND status = 'pending'`,
        [status, deciderId, id],
      );
      return res.rowCount === 1;
    },
  };
}

export type ModerationLogRepository = ReturnType<typeof createModerationLogRepository>;
