import { z } from 'zod';
import { Cell, Id, queryNumber } from './common.schema.ts';
import {
  ACTION_REASONS,
  APPEAL_OUTCOMES,
  APPEAL_TEXT_MAX,
  MODERATION_ACTIONS,
  MODERATION_ROLES,
  MODERATION_TARGETS,
  REASON_TEXT_MAX,
  REPORT_REASONS,
  REPORT_TEXT_MAX,
  SLOW_MODE_MINUTES_MAX,
  SUSPEND_HOURS_MAX,
} from './limits.ts';
import { RegionKeyParams } from './region.schema.ts';
import { registry } from './registry.ts';

export const TargetKind = z.enum(MODERATION_TARGETS).openapi('ModerationTargetKind');
export const ReportReason = z.enum(REPORT_REASONS).openapi('ReportReason');
export const ActionKind = z.enum(MODERATION_ACTIONS).openapi('ModerationActionKind');
export const ActionReason = z.enum(ACTION_REASONS).openapi('ModerationReason');
export const RoleKind = z.enum(MODERATION_ROLES).openapi('ModerationRole');
const ItemStatus = z.enum(['visible', 'hidden', 'removed']);
const AppealStatus = z.enum(['pending', 'granted', 'denied']);
/** Log entries: the form's actions plus appeal decisions. */
const LoggedAction = z.string().openapi({ description: 'an action, or appeal_granted / appeal_denied' });

const reasonText = z.string().trim().min(1, 'say why').max(REASON_TEXT_MAX);

export const CreateReportBody = registry.register(
  'CreateReportBody',
  z.strictObject({
    targetKind: TargetKind,
    targetId: Id,
    reason: ReportReason,
    text: z.string().trim().max(REPORT_TEXT_MAX).optional(),
  }),
);
export const ReportReceipt = registry.register('ReportReceipt', z.object({ received: z.literal(true) }));

export const ItemParams = z.strictObject({ kind: TargetKind, id: Id });
export const IdParams = z.strictObject({ id: Id });

export const ActionBody = registry.register(
  'ModerationActionBody',
  z
    .strictObject({
      action: ActionKind,
      reasonCategory: ActionReason,
      reasonText,
      /** suspend only: how long, in hours */
      suspendHours: z.number().int().min(1).max(SUSPEND_HOURS_MAX).optional(),
      /** suspend only: which of my regions (default: the smallest of mine the item touches) */
      regionId: Id.optional(),
    })
    .superRefine((b, ctx) => {
      if (b.action === 'suspend' && b.suspendHours === undefined)
        ctx.addIssue({ code: 'custom', path: ['suspendHours'], message: 'required to suspend' });
      if (b.action !== 'suspend' && (b.suspendHours !== undefined || b.regionId !== undefined))
        ctx.addIssue({ code: 'custom', path: ['suspendHours'], message: 'only for suspend' });
    }),
);

export const ModerationAction = registry.register(
  'ModerationAction',
  z.object({
    id: z.string(),
    targetKind: TargetKind,
    targetId: z.string(),
    action: LoggedAction,
    reasonCategory: z.string(),
    reasonText: z.string(),
    actor: z.string().openapi({ description: 'the moderator’s handle' }),
    targetAuthor: z.string(),
    suspendedUntil: z.string().nullable(),
    appealStatus: AppealStatus.nullable(),
    createdAt: z.string(),
  }),
);

export const ModerationItem = registry.register(
  'ModerationItem',
  z.object({
    targetKind: TargetKind,
    targetId: z.string(),
    postId: z.string().nullable().openapi({ description: 'null for a message (it belongs to no post)' }),
    postTitle: z.string().nullable(),
    body: z.string().openapi({ description: 'the item’s text (a message: that message only, never its conversation)' }),
    status: ItemStatus,
    commentsLocked: z.boolean(),
    author: z.object({ handle: z.string(), displayName: z.string() }),
    createdAt: z.string(),
    editedAt: z.string().nullable(),
    regionIds: z.array(z.string()),
    /** the res-7 cell around the post, where slow mode would apply */
    slowModeCell: z.string().nullable(),
    revisions: z.array(z.object({ title: z.string(), body: z.string(), replacedAt: z.string() })),
    actions: z.array(ModerationAction),
    openReports: z.array(z.object({ reason: z.string(), text: z.string().nullable(), resident: z.boolean(), createdAt: z.string() })),
    canLead: z.boolean(),
  }),
);

export const QueueQuery = z.strictObject({ region: Id.optional(), limit: queryNumber(z.number().int().min(1).max(100)).default(50) });
export const QueueItem = registry.register(
  'ModerationQueueItem',
  z.object({
    caseId: z.string(),
    targetKind: TargetKind,
    targetId: z.string(),
    postId: z.string().nullable(),
    postTitle: z.string().nullable(),
    excerpt: z.string(),
    status: ItemStatus,
    author: z.string(),
    weight: z.number().int(),
    reporterCount: z.number().int(),
    reasons: z.array(z.string()),
    revisionCount: z.number().int(),
    priorActionCount: z.number().int(),
    escalated: z.boolean(),
    openedAt: z.string(),
  }),
);
export const Queue = registry.register('ModerationQueue', z.object({ items: z.array(QueueItem) }));

export const AppealBody = registry.register('AppealBody', z.strictObject({ text: z.string().trim().min(1, 'say why').max(APPEAL_TEXT_MAX) }));
export const DecisionBody = registry.register(
  'AppealDecisionBody',
  z.strictObject({ outcome: z.enum(APPEAL_OUTCOMES), reasonCategory: ActionReason, reasonText }),
);
export const Appeal = registry.register(
  'Appeal',
  z.object({
    id: z.string(),
    actionId: z.string(),
    action: z.string(),
    targetKind: TargetKind,
    targetId: z.string(),
    reasonCategory: z.string(),
    reasonText: z.string(),
    text: z.string(),
    status: AppealStatus,
    createdAt: z.string(),
    decidedAt: z.string().nullable(),
  }),
);
export const AppealList = registry.register('AppealList', z.object({ items: z.array(Appeal) }));

// issue 13: my reports and what came of them (never who decided)
export const MyReport = registry.register(
  'MyReport',
  z.object({
    id: z.string(),
    targetKind: TargetKind,
    targetId: z.string(),
    postId: z.string(),
    reason: z.string(),
    createdAt: z.string(),
    status: z.enum(['open', 'reviewed']),
    outcome: z.enum(['action_taken', 'no_action']).nullable().openapi({ description: 'once reviewed: whether a moderator acted on it' }),
  }),
);

export const MyModeration = registry.register(
  'MyModeration',
  z.object({
    actions: z.array(ModerationAction),
    appeals: z.array(Appeal),
    reports: z.array(MyReport).openapi({ description: 'my reports (issue 13)' }),
  }),
);

const RoleEntry = z.object({
  regionId: z.string(),
  regionSlug: z.string(),
  regionName: z.string(),
  regionKind: z.string(),
  handle: z.string(),
  displayName: z.string(),
  role: RoleKind,
});
export const RoleList = registry.register('ModerationRoleList', z.object({ items: z.array(RoleEntry) }));
export const MyRoles = registry.register('MyModerationRoles', z.object({ isAdmin: z.boolean(), roles: z.array(RoleEntry) }));
export const RoleQuery = z.strictObject({ region: RegionKeyParams.shape.key.optional() });
export const SetRoleBody = registry.register(
  'SetModerationRoleBody',
  z.strictObject({ region: RegionKeyParams.shape.key, handle: z.string().regex(/^[A-Za-z0-9_]{3,30}$/), role: RoleKind }),
);
export const RoleParams = z.strictObject({ region: RegionKeyParams.shape.key, handle: z.string().regex(/^[A-Za-z0-9_]{3,30}$/) });

export const LogQuery = z.strictObject({ before: Id.optional(), limit: queryNumber(z.number().int().min(1).max(100)).default(50) });
export const PublicLogEntry = registry.register(
  'PublicModerationLogEntry',
  z.object({
    id: z.string(),
    action: LoggedAction,
    reasonCategory: z.string(),
    targetKind: TargetKind,
    target: z.string().openapi({ description: 'an opaque reference: the same item has the same one, and it reveals nothing' }),
    createdAt: z.string(),
  }),
);
export const PublicLog = registry.register('PublicModerationLog', z.object({ items: z.array(PublicLogEntry), moderators: z.array(RoleEntry) }));
export const FullLog = registry.register('ModerationLog', z.object({ items: z.array(ModerationAction) }));

export const SlowModeParams = z.strictObject({ cell: Cell });
export const SlowModeBody = registry.register(
  'SlowModeBody',
  z.strictObject({
    minutes: z.number().int().min(1).max(SLOW_MODE_MINUTES_MAX),
    hours: z
      .number()
      .int()
      .min(1)
      .max(24 * 14),
    reasonText: reasonText,
  }),
);
export const SlowMode = registry.register(
  'SlowMode',
  z.object({
    active: z.boolean(),
    minutes: z.number().int().nullable(),
    automatic: z.boolean().nullable(),
    reason: z.string().nullable(),
    endsAt: z.string().nullable(),
  }),
);
