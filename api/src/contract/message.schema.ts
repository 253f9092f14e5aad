import { z } from 'zod';
import { Handle, Id, queryNumber, text } from './common.schema.ts';
import { MESSAGE_MAX, WHO_MAY_MESSAGE } from './limits.ts';
import { registry } from './registry.ts';

// One-to-one messages (issue 13): between two residents, or between a resident and a shop's inbox.

export const MessageBody = text({ min: 1, max: MESSAGE_MAX, multiline: true });
export const WhoMayMessage = z.enum(WHO_MAY_MESSAGE).openapi('WhoMayMessage');

export const StartConversationBody = registry.register(
  'StartConversationBody',
  z
    .strictObject({
      handle: Handle.optional().openapi({ description: 'message a person' }),
      merchantId: Id.optional().openapi({ description: "message a shop (its owner and staff read it in the shop's inbox)" }),
      offerId: Id.optional().openapi({ description: 'the offer it is about (the shop is the offer’s)' }),
      body: MessageBody,
    })
    .superRefine((b, ctx) => {
      const targets = [b.handle, b.merchantId ?? b.offerId].filter((t) => t !== undefined).length;
      if (targets !== 1)
        ctx.addIssue({ code: 'custom', path: ['handle'], message: 'name exactly one person (handle) or one shop (merchantId or offerId)' });
    }),
);
export const SendMessageBody = registry.register('SendMessageBody', z.strictObject({ body: MessageBody }));

const Party = z.object({
  kind: z.enum(['person', 'shop']),
  handle: z.string().nullable().openapi({ description: 'a person: their handle' }),
  displayName: z.string().openapi({ description: "a person's display name, or the shop's name" }),
  merchantId: z.string().nullable().openapi({ description: 'a shop: its id' }),
});

export const ConversationSummary = registry.register(
  'ConversationSummary',
  z.object({
    id: z.string(),
    with: Party,
    offer: z.object({ id: z.string(), title: z.string() }).nullable(),
    lastMessage: z.string().nullable().openapi({ description: 'the start of the newest message' }),
    lastMessageAt: z.string(),
    unread: z.number().int(),
  }),
);
export const ConversationList = registry.register('ConversationList', z.object({ items: z.array(ConversationSummary) }));

export const Message = registry.register(
  'Message',
  z.object({
    id: z.string(),
    body: z.string(),
    mine: z.boolean().openapi({ description: 'written by my side (me, or my shop when I read its inbox)' }),
    from: z.string().openapi({ description: 'who wrote it: a display name, or the shop’s name for a shop’s answer' }),
    createdAt: z.string(),
  }),
);

export const Conversation = registry.register(
  'Conversation',
  z.object({
    id: z.string(),
    with: Party,
    offer: z.object({ id: z.string(), title: z.string() }).nullable(),
    asShop: z
      .object({ merchantId: z.string(), name: z.string() })
      .nullable()
      .openapi({ description: 'set when I read it as the shop’s owner or staff' }),
    messages: z.array(Message),
  }),
);
export const ConversationRef = registry.register('ConversationRef', z.object({ id: z.string(), messageId: z.string() }));
export const ConversationParams = z.strictObject({ id: Id });
export const ConversationQuery = z.strictObject({ limit: queryNumber(z.number().int().min(1).max(200)).default(50) });
export const MessageSettings = registry.register('MessageSettings', z.strictObject({ whoMayMessage: WhoMayMessage }));
export const MessageUnread = registry.register(
  'MessageUnread',
  z.object({ unread: z.number().int().openapi({ description: 'my conversations with unread messages' }) }),
);
