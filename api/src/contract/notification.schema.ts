import { z } from 'zod';
import { Id, PublicAuthor, queryNumber } from './common.schema.ts';
import { NOTIFICATION_KINDS, type NotificationKindValue } from './limits.ts';
import { registry } from './registry.ts';

export const NotificationKind = z.enum(NOTIFICATION_KINDS).openapi('NotificationKind');

export const Notification = registry.register(
  'Notification',
  z.object({
    id: z.string(),
    kind: NotificationKind.openapi({
      description:
        'comment: on my post · reply: after my comment · reaction: on my post (batched) · rsvp: answers to my event (batched) · area_post: new post in an area I subscribed to' +
        // issue 13: messages and claims
        ' · message: new messages in a conversation (batched per conversation, refId = conversation; no actor for a shop’s answer) · claim: claims on my shop’s offer (batched per offer, refId = offer, postTitle = its title; never names who claimed)' +
        // issue 13: official alerts; answers to my reports and appeals
        ' · alert: an official alert for where I live or follow (urgent ones cannot be switched off) · report: my report was reviewed (see outcome) · appeal: my appeal was decided (see outcome)',
    }),
    postId: z.string().nullable().openapi({ description: 'the post it is about (null: about a message, a report…, see refId)' }),
    postTitle: z.string().nullable(),
    refId: z
      .string()
      .nullable()
      .openapi({ description: 'what a notification not about a post is about (a conversation, a report, a claim), by kind' }),
    commentId: z.string().nullable(),
    actor: PublicAuthor.nullable().openapi({ description: 'who did it (the latest, for a batch)' }),
    count: z.number().int().openapi({ description: 'how many (reactions are batched per post until read)' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    read: z.boolean(),
    // issue 13: answers to my reports and appeals
    outcome: z
      .enum(['action_taken', 'no_action', 'granted', 'denied'])
      .nullable()
      .openapi({ description: 'report: action_taken | no_action · appeal: granted | denied · otherwise null' }),
  }),
);

export const NotificationListQuery = z.strictObject({ limit: queryNumber(z.number().int().min(1).max(100)).default(50) });
export const NotificationList = registry.register('NotificationList', z.object({ items: z.array(Notification), unread: z.number().int() }));
export const UnreadCount = registry.register('UnreadCount', z.object({ unread: z.number().int() }));
export const MarkReadBody = registry.register(
  'MarkReadBody',
  z.strictObject({ ids: z.array(Id).min(1).max(100).optional().openapi({ description: 'omit to mark all read' }) }),
);
export const NotificationPreferences = registry.register(
  'NotificationPreferences',
  z.strictObject(Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, z.boolean()])) as Record<NotificationKindValue, z.ZodBoolean>),
);
export const NotificationPreferencesPatch = registry.register('NotificationPreferencesPatch', NotificationPreferences.partial());
