import { createHmac } from 'node:crypto';
import type { z } from 'zod';
import type { Appeal, ModerationAction, PublicLogEntry, QueueItem } from '../contract/moderation.schema.ts';
import type { ActionRow, AppealRow } from '../repositories/moderation-log.repository.ts';
import type { QueueRow } from '../repositories/moderation.repository.ts';
import type { RoleRow } from '../repositories/region-role.repository.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function presentAction(a: ActionRow): z.infer<typeof ModerationAction> {
  return {
    id: a.id,
    targetKind: a.target_kind,
    targetId: a.target_id,
    action: a.action,
    reasonCategory: a.reason_category,
    reasonText: a.reason_text,
    actor: a.actor_handle,
    targetAuthor: a.target_author_handle,
    suspendedUntil: iso(a.suspended_until),
    appealStatus: a.appeal_status,
    createdAt: a.created_at.toISOString(),
  };
}

/**
 * The public log names no one: not the moderator, not the author, not the item. `target` is a keyed hash of the item,
 * so readers see that two entries concern the same item without learning which item (ids are guessable, the key is not).
 */
export function publicEntry(secret: string) {
  return (a: ActionRow): z.infer<typeof PublicLogEntry> => ({
    id: a.id,
    action: a.action,
    reasonCategory: a.reason_category,
    targetKind: a.target_kind,
    target: createHmac('sha256', secret).update(`moderation-target:${a.target_kind}:${a.target_id}`).digest('hex').slice(0, 12),
    createdAt: a.created_at.toISOString(),
  });
}

export function presentAppeal(a: AppealRow): z.infer<typeof Appeal> {
  return {
    id: a.id,
    actionId: a.action_id,
    action: a.action,
    targetKind: a.target_kind,
    targetId: a.target_id,
    reasonCategory: a.reason_category,
    reasonText: a.reason_text,
    text: a.text,
    status: a.status,
    createdAt: a.created_at.toISOString(),
    decidedAt: iso(a.decided_at),
  };
}

export function presentQueueRow(r: QueueRow): z.infer<typeof QueueItem> {
  return {
    caseId: r.case_id,
    targetKind: r.target_kind,
    targetId: r.target_id,
    postId: r.post_id,
    postTitle: r.post_title,
    excerpt: r.excerpt,
    status: r.status,
    author: r.author_handle,
    weight: r.weight,
    reporterCount: r.reporter_count,
    reasons: r.reasons,
    revisionCount: r.revision_count,
    priorActionCount: r.prior_action_count,
    escalated: r.escalated,
    openedAt: r.opened_at.toISOString(),
  };
}

export function presentRole(r: RoleRow) {
  return {
    regionId: r.region_id,
    regionSlug: r.region_slug,
    regionName: r.region_name,
    regionKind: r.region_kind,
    handle: r.handle,
    displayName: r.display_name,
    role: r.role,
  };
}
