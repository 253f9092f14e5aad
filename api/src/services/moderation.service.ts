import type { z } from 'zod';
import type { ActionBody, CreateReportBody, ModerationItem, Queue } from '../contract/moderation.schema.ts';
import { ESCALATE_AFTER_HOURS } from '../contract/limits.ts';
import { bigintToCell, cellParent, cellToBigint } from '../geo/h3.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import { moderationPolicy, type ModerationScope } from '../policy/moderation.policy.ts';
import type { ModerationItemRow, ModerationRepository, TargetKind } from '../repositories/moderation.repository.ts';
import type { Repositories, WithTransaction } from '../repositories/repositories.ts';
import type { CommentRepository } from '../repositories/comment.repository.ts';
import type { ModerationLogRepository } from '../repositories/moderation-log.repository.ts';
import type { ModerationScopeService } from './moderation-scope.service.ts';
import { presentAction, presentQueueRow } from './moderation.presenter.ts';
import type { PostService } from './post.service.ts';

type ReportInput = z.output<typeof CreateReportBody>;
type ActionInput = z.output<typeof ActionBody>;

// issue 13: what a reporter is told counts as "action taken" (dismissing or restoring is "no action")
const ACTED = new Set(['hide', 'remove', 'suspend', 'warn']);

// Reports create or join a case for any item: the reporter's own visibility is what gates them, not a moderator's.
const EVERY_ITEM = { sql: 'true', bindings: [] };

export interface ModerationDeps {
  moderation: ModerationRepository;
  moderationLog: ModerationLogRepository;
  comments: CommentRepository;
  posts: PostService;
  scopes: ModerationScopeService;
  withTransaction: WithTransaction;
  /** issue 13: a message written to the viewer (reports of messages), 404 otherwise */
  receivedMessage?: (viewer: Viewer, messageId: string) => Promise<unknown>;
}

/**
 * Applies an item's new visibility and keeps what depends on it in step: the activity rollups count a post only while
 * visible (remove before hiding, add after restoring) and the outbox sends the post's current state to search.
 */
export async function applyStatus(
  tx: Repositories,
  item: Pick<ModerationItemRow, 'target_kind' | 'target_id' | 'post_id' | 'status'>,
  status: ModerationItemRow['status'],
) {
  if (item.status === status) return;
  const postId = item.target_kind === 'post' ? item.post_id : null;
  if (postId && item.status === 'visible') await tx.rollups.removePost(postId);
  await tx.moderation.setStatus(item.target_kind, item.target_id, status);
  if (postId && status === 'visible') await tx.rollups.addPost(postId);
  if (postId) await tx.outbox.enqueue('post', postId, 'upsert');
}

export function createModerationService({ moderation, moderationLog, comments, posts, scopes, withTransaction, receivedMessage }: ModerationDeps) {
  /** The item if the viewer moderates it; 404 otherwise, exactly like a missing one (the check is the SQL). */
  async function confinedItem(repo: ModerationRepository, kind: TargetKind, id: string, scope: ModerationScope): Promise<ModerationItemRow> {
    const item = moderationPolicy.isModerator(scope) ? await repo.findItem(kind, id, moderationPolicy.moderateSql(scope)) : undefined;
    if (!item) throw new NotFoundError(kind === 'post' ? 'Post' : kind === 'comment' ? 'Comment' : 'Message');
    return item;
  }

  /** The smallest region of the viewer's the item touches (where a suspension applies by default). */
  function suspensionRegion(item: ModerationItemRow, scope: ModerationScope, wanted: string | undefined): string {
    const mine = scope.isAdmin ? item.region_ids : item.region_ids.filter((r) => scope.regionIds.includes(r));
    if (wanted) {
      if (!mine.includes(wanted)) throw new ValidationError([{ field: 'body.regionId', message: 'not one of your regions this item touches' }]);
      return wanted;
    }
    const fallback = item.home_region_id && mine.includes(item.home_region_id) ? item.home_region_id : mine[mine.length - 1];
    if (!fallback) throw new ValidationError([{ field: 'body.regionId', message: 'the item is in no region' }]);
    return fallback;
  }

  return {
    async report(viewer: Viewer, input: ReportInput): Promise<{ received: true }> {
      // You can report what you can see, and nothing else (no oracle for hidden or out-of-audience items).
      if (input.targetKind === 'message') {
        // issue 13: only a message written to you (404 like a missing one otherwise); its sender's home regions decide
        // which moderators see it, and they see that message's text only, never the conversation
        if (!receivedMessage) throw new NotFoundError('Message');
        await receivedMessage(viewer, input.targetId);
      } else {
        let postId = input.targetId;
        if (input.targetKind === 'comment') {
          const comment = await comments.findById(input.targetId);
          if (!comment) throw new NotFoundError('Comment');
          postId = comment.post_id;
        }
        await posts.loadVisible(postId, viewer);
      }
      const item = await moderation.findItem(input.targetKind, input.targetId, EVERY_ITEM);
      if (!item) throw new NotFoundError(input.targetKind === 'message' ? 'Message' : 'Post');
      const homeCell8 = viewer.homeCell ? cellToBigint(cellParent(viewer.homeCell, 8)).toString() : null;
      const resident = homeCell8 !== null && (await moderation.livesIn(homeCell8, item.region_ids));
      await withTransaction(async (tx) => {
        const caseId = await tx.moderation.openCase(item);
        await tx.moderation.upsertReport(caseId, viewer.id, { reason: input.reason, text: input.text || null, weight: resident ? 2 : 1 });
      });
      return { received: true };
    },

    async queue(viewer: Viewer, query: { region?: string; limit: number }): Promise<z.infer<typeof Queue>> {
      const scope = await scopes.scopeFor(viewer);
      if (!moderationPolicy.isModerator(scope)) throw new ForbiddenError('Only moderators have a queue.');
      const rows = await moderation.queue(moderationPolicy.moderateSql(scope, 'c'), {
        regionId: query.region,
        escalateHours: ESCALATE_AFTER_HOURS,
        limit: query.limit,
      });
      return { items: rows.map(presentQueueRow) };
    },

    async item(viewer: Viewer, kind: TargetKind, id: string): Promise<z.infer<typeof ModerationItem>> {
      const scope = await scopes.scopeFor(viewer);
      const item = await confinedItem(moderation, kind, id, scope);
      const [revisions, actions, caseRow] = await Promise.all([
        kind === 'post' && item.post_id ? moderation.revisions(item.post_id) : Promise.resolve([]),
        moderationLog.forTarget(kind, id),
        moderation.caseOf(kind, id),
      ]);
      const reports = caseRow?.status === 'open' ? await moderation.openReports(caseRow.id) : [];
      return {
        targetKind: item.target_kind,
        targetId: item.target_id,
        postId: item.post_id,
        postTitle: item.post_title,
        body: item.body,
        status: item.status,
        commentsLocked: item.comments_locked_at !== null,
        author: { handle: item.author_handle, displayName: item.author_display_name },
        createdAt: item.created_at.toISOString(),
        editedAt: item.edited_at?.toISOString() ?? null,
        regionIds: item.region_ids,
        slowModeCell: item.post_h3_7 === null ? null : bigintToCell(item.post_h3_7),
        revisions: revisions.map((r) => ({ title: r.title, body: r.body, replacedAt: r.replaced_at.toISOString() })),
        actions: actions.map(presentAction),
        openReports: reports.map((r) => ({ reason: r.reason, text: r.text, resident: r.weight > 1, createdAt: r.created_at.toISOString() })),
        canLead: moderationPolicy.canLead(item, scope),
      };
    },

    async act(viewer: Viewer, kind: TargetKind, id: string, input: ActionInput) {
      const scope = await scopes.scopeFor(viewer);
      const actionId = await withTransaction(async (tx) => {
        const item = await confinedItem(tx.moderation, kind, id, scope);
        if (item.author_id === viewer.id) throw new ForbiddenError('Another moderator acts on your own items.');
        let suspendedRegion: string | null = null;
        let suspendedUntil: Date | null = null;
        switch (input.action) {
          case 'hide':
          case 'remove': {
            const status = input.action === 'hide' ? 'hidden' : 'removed';
            if (item.status === status) throw new ConflictError(`The ${kind} is ${status} already.`);
            await applyStatus(tx, item, status);
            break;
          }
          case 'restore': {
            if (item.status === 'visible') throw new ConflictError(`The ${kind} is visible.`);
            const last = await tx.moderationLog.latestOf(kind, id, ['hide', 'remove']);
            // Leads reverse moderators; a moderator may undo only their own hiding (appeals go to someone else).
            if (last && last.actor_id !== viewer.id && !moderationPolicy.canLead(item, scope)) {
              throw new ForbiddenError('Only a lead can reverse another moderator’s action; the author can appeal.');
            }
            await applyStatus(tx, item, 'visible');
            break;
          }
          case 'lock_comments':
          case 'unlock_comments': {
            if (kind !== 'post' || !item.post_id) throw new ValidationError([{ field: 'body.action', message: 'comments are locked on posts' }]);
            const lock = input.action === 'lock_comments';
            if ((item.comments_locked_at !== null) === lock)
              throw new ConflictError(lock ? 'Comments are locked already.' : 'Comments are not locked.');
            await tx.moderation.setCommentsLocked(item.post_id, lock);
            break;
          }
          case 'suspend':
            suspendedRegion = suspensionRegion(item, scope, input.regionId);
            suspendedUntil = new Date(Date.now() + input.suspendHours! * 3_600_000);
            break;
          case 'warn':
          case 'dismiss':
            break;
        }
        const caseRow = await tx.moderation.caseOf(kind, id);
        const newId = await tx.moderationLog.insert({
          case_id: caseRow?.id ?? null,
          target_kind: kind,
          target_id: id,
          target_author_id: item.author_id,
          actor_id: viewer.id,
          action: input.action,
          reason_category: input.reasonCategory,
          reason_text: input.reasonText,
          region_ids: item.region_ids,
          suspended_region_id: suspendedRegion,
          suspended_until: suspendedUntil,
        });
        if (suspendedRegion && suspendedUntil) await tx.moderation.suspend(item.author_id, suspendedRegion, suspendedUntil, newId);
        // handling an item answers its open reports; locking comments is a measure beside the decision
        let answered: string[] = [];
        if (caseRow?.status === 'open' && input.action !== 'lock_comments' && input.action !== 'unlock_comments') {
          // issue 13: reporters hear whether anything was done (never by whom)
          answered = await tx.moderationAnswers.answerReports(caseRow.id, ACTED.has(input.action) ? 'action_taken' : 'no_action', viewer.id);
          await tx.moderation.resolveCase(caseRow.id);
        }
        // last in the transaction (it takes the events lock): the reporters' bells refresh
        if (answered.length) await tx.events.appendPrivate('notification', answered);
        return newId;
      });
      return presentAction((await moderationLog.byId(actionId))!);
    },
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
