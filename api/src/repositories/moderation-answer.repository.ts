import type { Db } from '../db/knex.ts';

/**
 * issue 13: telling people the answer to their reports and appeals. The notification names the report or appeal
 * (ref_id) and its outcome, never the moderator: actor_id stays null, so nothing in the notification centre or the
 * reporter's "my reports" list can show who decided.
 */

export interface MyReportRow {
  id: string;
  target_kind: 'post' | 'comment';
  target_id: string;
  post_id: string;
  reason: string;
  created_at: Date;
  resolved_at: Date | null;
  outcome: 'action_taken' | 'no_action' | null;
}

const ALLOWED = (kind: string) =>
  `NOT EXISTS (SELECT 1 FROM notification_prefs np WHERE np.user_id = r.user_id AND np.kind = '${kind}' AND NOT np.in_app)`;

export function createModerationAnswerRepository(db: Db) {
  return {
    /**
     * Records the outcome on a case's open reports and notifies their reporters (not the moderator acting, should they
     * have reported it themselves; not who switched answers off). Call before the case's reports are resolved.
     */
    async answerReports(caseId: string, outcome: 'action_taken' | 'no_action', actorId: string): Promise<string[]> {
      const res = await db.raw<{ rows: { user_id: string }[] }>(
        `WITH r AS (
           UPDATE reports SET outcome = ? WHERE case_id = ? AND resolved_at IS NULL RETURNING id, reporter_id AS user_id)
         INSERT INTO notifications (user_id, kind, ref_id)
         SELECT r.user_id, 'report', r.id FROM r WHERE r.user_id <> ? AND ${ALLOWED('report')}
         RETURNING user_id`,
        [outcome, caseId, actorId],
      );
      return res.rows.map((r) => String(r.user_id));
    },

    /** Notifies an appellant that their appeal was decided (the appeal row holds the outcome). */
    async answerAppeal(appealId: string): Promise<string[]> {
      const res = await db.raw<{ rows: { user_id: string }[] }>(
        `INSERT INTO notifications (user_id, kind, ref_id)
         SELECT r.user_id, 'appeal', r.id FROM (SELECT appellant_id AS user_id, id FROM appeals WHERE id = ? AND status <> 'pending') r
          WHERE ${ALLOWED('appeal')}
         RETURNING user_id`,
        [appealId],
      );
      return res.rows.map((r) => String(r.user_id));
    },

    /** The user's own reports, newest first, with what came of them. */
    async reportsOf(userId: string, limit: number): Promise<MyReportRow[]> {
      const res = await db.raw<{ rows: MyReportRow[] }>(
        `SELECT r.id, c.target_kind, c.target_id, c.post_id, r.reason, r.created_at, r.resolved_at, r.outcome
           FROM reports r JOIN moderation_cases c ON c.id = r.case_id
          WHERE r.reporter_id = ? ORDER BY r.created_at DESC, r.id DESC LIMIT ?`,
        [userId, limit],
      );
      return res.rows;
    },
  };
}

export type ModerationAnswerRepository = ReturnType<typeof createModerationAnswerRepository>;
