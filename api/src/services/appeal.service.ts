import type { z } from 'zod';
import type { DecisionBody, MyModeration } from '../contract/moderation.schema.ts';
import { APPEALABLE_ACTIONS } from '../contract/limits.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import { moderationPolicy } from '../policy/moderation.policy.ts';
import type { ModerationLogRepository } from '../repositories/moderation-log.repository.ts';
import type { WithTransaction } from '../repositories/repositories.ts';
import type { ModerationScopeService } from './moderation-scope.service.ts';
import { applyStatus } from './moderation.service.ts';
import { presentAction, presentAppeal } from './moderation.presenter.ts';
import type { ModerationAnswerRepository, MyReportRow } from '../repositories/moderation-answer.repository.ts';

/** issue 13: a report as its reporter sees it — what they reported, when, and what came of it; never who decided. */
function presentMyReport(r: MyReportRow) {
  return {
    id: String(r.id),
    targetKind: r.target_kind,
    targetId: String(r.target_id),
    postId: String(r.post_id),
    reason: r.reason,
    createdAt: r.created_at.toISOString(),
    status: r.resolved_at ? ('reviewed' as const) : ('open' as const),
    outcome: r.outcome,
  };
}

type Decision = z.output<typeof DecisionBody>;

/**
 * Appeals: the author of an actioned item appeals each action once; a moderator of the item's regions other than the
 * one who acted decides; the decision is a log entry of its own and the author sees it (GET /api/moderation/mine).
 */
export function createAppealService(deps: {
  moderationLog: ModerationLogRepository;
  /** issue 13: my reports, and telling appellants the outcome */
  answers: ModerationAnswerRepository;
  scopes: ModerationScopeService;
  withTransaction: WithTransaction;
}) {
  const { moderationLog, answers, scopes, withTransaction } = deps;
  return {
    async appeal(viewer: Viewer, actionId: string, text: string) {
      const action = await moderationLog.byId(actionId);
      // an action on someone else's item is none of the viewer's business: 404 as if missing
      if (!action || action.target_author_id !== viewer.id) throw new NotFoundError('Action');
      if (!(APPEALABLE_ACTIONS as readonly string[]).includes(action.action)) throw new ConflictError('This action cannot be appealed.');
      const id = await moderationLog.insertAppeal(actionId, viewer.id, text);
      if (!id) throw new ConflictError('You have appealed this action already.');
      return presentAppeal((await moderationLog.appealsOf(viewer.id)).find((a) => a.id === id)!);
    },

    async pending(viewer: Viewer, limit: number) {
      const scope = await scopes.scopeFor(viewer);
      if (!moderationPolicy.isModerator(scope)) throw new ForbiddenError('Only moderators decide appeals.');
      const rows = await moderationLog.pendingAppeals(moderationPolicy.moderateSql(scope, 'a'), viewer.id, limit);
      return { items: rows.map(presentAppeal) };
    },

    async decide(viewer: Viewer, appealId: string, decision: Decision) {
      const scope = await scopes.scopeFor(viewer);
      await withTransaction(async (tx) => {
        const appeal = moderationPolicy.isModerator(scope)
          ? await tx.moderationLog.findAppeal(appealId, moderationPolicy.moderateSql(scope, 'a'))
          : undefined;
        if (!appeal) throw new NotFoundError('Appeal');
        if (appeal.actor_id === viewer.id) throw new ForbiddenError('A different moderator decides an appeal against your action.');
        if (!(await tx.moderationLog.decideAppeal(appealId, viewer.id, decision.outcome))) throw new ConflictError('This appeal is decided already.');
        const action = (await tx.moderationLog.byId(appeal.action_id))!;
        if (decision.outcome === 'granted') {
          if (appeal.action === 'hide' || appeal.action === 'remove') {
            const item = await tx.moderation.findItem(appeal.target_kind, appeal.target_id, { sql: 'true', bindings: [] });
            if (item) await applyStatus(tx, item, 'visible');
          } else if (appeal.action === 'lock_comments') {
            const item = await tx.moderation.findItem(appeal.target_kind, appeal.target_id, { sql: 'true', bindings: [] });
            if (item?.post_id) await tx.moderation.setCommentsLocked(item.post_id, false);
          } else if (appeal.action === 'suspend' && action.suspended_region_id) {
            await tx.moderation.liftSuspensions(action.target_author_id, [action.suspended_region_id]);
          }
        }
        await tx.moderationLog.insert({
          case_id: action.case_id,
          target_kind: action.target_kind,
          target_id: action.target_id,
          target_author_id: action.target_author_id,
          actor_id: viewer.id,
          action: `appeal_${decision.outcome}`,
          reason_category: decision.reasonCategory,
          reason_text: decision.reasonText,
          region_ids: action.region_ids,
          appeal_id: appealId,
        });
        // issue 13: the appellant hears the outcome (last: it takes the events lock until commit)
        const told = await tx.moderationAnswers.answerAppeal(appealId);
        if (told.length) await tx.events.appendPrivate('notification', told, { refId: appealId });
      });
      const decided = await moderationLog.findAppeal(appealId, { sql: 'true', bindings: [] });
      return presentAppeal(decided!);
    },

    async mine(viewer: Viewer): Promise<z.infer<typeof MyModeration>> {
      const [actions, appeals, reports] = await Promise.all([
        moderationLog.forAuthor(viewer.id, 100),
        moderationLog.appealsOf(viewer.id),
        answers.reportsOf(viewer.id, 100),
      ]);
      return { actions: actions.map(presentAction), appeals: appeals.map(presentAppeal), reports: reports.map(presentMyReport) };
    },
  };
}

export type AppealService = ReturnType<typeof createAppealService>;
