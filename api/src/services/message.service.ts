import { RateLimiterRes } from 'rate-limiter-flexible';
import type { z } from 'zod';
import type { Conversation, ConversationList, StartConversationBody } from '../contract/message.schema.ts';
import { MESSAGES_PER_MINUTE, NEW_ACCOUNT_CONVERSATIONS_PER_DAY, type WhoMayMessageValue } from '../contract/limits.ts';
import { bigintToCell, cellParent, cellToBigint } from '../geo/h3.ts';
import { ForbiddenError, NotFoundError, TooManyRequestsError, ValidationError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import type { BlockRepository } from '../repositories/block.repository.ts';
import type { MerchantRepository } from '../repositories/merchant.repository.ts';
import type { ConversationListRow, ConversationRow, MessageRepository, MessageRow, Side } from '../repositories/message.repository.ts';
import type { NotificationRepository } from '../repositories/notification.repository.ts';
import type { OfferRepository } from '../repositories/offer.repository.ts';
import type { RateLimitRepository } from '../repositories/rate-limit.repository.ts';
import type { WithTransaction } from '../repositories/repositories.ts';
import type { UserRepository } from '../repositories/user.repository.ts';
import { neighborCells7 } from './audience.service.ts';
import { assertNewAccountLinks, isNewAccount } from './moderation-gate.service.ts';

type StartInput = z.output<typeof StartConversationBody>;

/**
 * One answer for every refusal to reach a person — their setting, a block either way, no home to be a neighbour of:
 * telling them apart would tell the sender who blocked them or where someone lives.
 */
export const REFUSED = 'This person doesn’t accept messages from you.';

export interface MessageDeps {
  messages: MessageRepository;
  merchants: Pick<MerchantRepository, 'findById' | 'roleOf'>;
  offers: Pick<OfferRepository, 'findById'>;
  users: Pick<UserRepository, 'findById'>;
  blocks: Pick<BlockRepository, 'eitherBlocked'>;
  notifications: Pick<NotificationRepository, 'markReadRef'>;
  rateLimits: RateLimitRepository;
  withTransaction: WithTransaction;
}

/** The side a viewer reads a conversation from, and whose messages count as theirs. */
interface Seat {
  side: Side;
  /** reading a shop's inbox: the shop */
  shop: { merchantId: string; name: string } | null;
}

/**
 * One-to-one messages (issue 13). A resident starts a conversation with a person (admitted by that person's "who may
 * message me" and no block either way) or with a shop (its inbox, answered by its owner and staff as the shop). Shops
 * never start conversations and never learn who claimed an offer from the claim itself — only what a resident writes.
 * Only participants (for a shop: its owner and staff) can read one; anyone else gets the 404 a missing one gets.
 */
export function createMessageService({ messages, merchants, offers, users, blocks, notifications, rateLimits, withTransaction }: MessageDeps) {
  const perMinute = rateLimits.budget('messages', MESSAGES_PER_MINUTE, 60);
  const newConversations = rateLimits.budget('new-conversations', NEW_ACCOUNT_CONVERSATIONS_PER_DAY, 86_400);

  async function consume(budget: ReturnType<RateLimitRepository['budget']>, key: string, what: string) {
    try {
      await budget.consume(key);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw new TooManyRequestsError(e.msBeforeNext / 1000, what);
      throw e;
    }
  }

  async function isNewAccountId(userId: string): Promise<boolean> {
    const u = await users.findById(userId);
    return !u || isNewAccount(u.created_at);
  }

  async function checkBody(viewer: Viewer, body: string, isNew: boolean) {
    assertNewAccountLinks(isNew, body);
    await consume(perMinute, `u:${viewer.id}`, 'Too many messages; try again shortly.');
  }

  /** Whether a person admits a new conversation from the viewer (their setting; blocks are checked by the caller). */
  async function admits(recipientId: string, viewer: Viewer): Promise<boolean> {
    const setting: WhoMayMessageValue | undefined = await messages.whoMayMessage(recipientId);
    if (setting === 'everyone') return true;
    if (setting !== 'neighbors' || !viewer.homeCell) return false;
    const home = await messages.effectiveHome(recipientId);
    if (!home) return false;
    return neighborCells7(viewer.homeCell).includes(cellToBigint(cellParent(bigintToCell(home), 7)).toString());
  }

  /** The viewer's seat in a conversation, or 404 (the same for one that does not exist). */
  async function seatOf(conversationId: string, viewer: Viewer): Promise<{ conversation: ConversationRow; seat: Seat; others: Side[] }> {
    const conversation = await messages.findById(conversationId);
    if (conversation) {
      const parts = await messages.participants(conversationId);
      if (parts.some((p) => p.user_id !== null && String(p.user_id) === viewer.id)) {
        const others = parts.filter((p) => String(p.user_id) !== viewer.id).map(sideOfRow);
        return { conversation, seat: { side: { userId: viewer.id }, shop: null }, others };
      }
      const shopPart = parts.find((p) => p.merchant_id !== null);
      if (shopPart && (await merchants.roleOf(String(shopPart.merchant_id), viewer.id))) {
        const m = await merchants.findById(String(shopPart.merchant_id));
        const others = parts.filter((p) => p.merchant_id === null).map(sideOfRow);
        if (m) return { conversation, seat: { side: { merchantId: String(m.id) }, shop: { merchantId: String(m.id), name: m.name } }, others };
      }
    }
    throw new NotFoundError('Conversation');
  }

  const sideOfRow = (p: { user_id: string | null; merchant_id: string | null }): Side =>
    p.user_id !== null ? { userId: String(p.user_id) } : { merchantId: String(p.merchant_id) };

  /** Who hears of a new message on the other side: the person, or every owner and staff member of the shop. */
  async function recipientsOf(others: Side[], senderId: string): Promise<string[]> {
    const ids: string[] = [];
    for (const o of others) {
      if ('userId' in o) ids.push(o.userId);
      else ids.push(...(await messages.teamOf(o.merchantId)));
    }
    return ids.filter((id) => id !== senderId);
  }

  /** Writes the message and its live event (last: it holds the events lock until commit). */
  async function deliver(conversationId: string, viewer: Viewer, seat: Seat, body: string, recipients: string[]) {
    const asMerchant = seat.shop !== null;
    return withTransaction(async (tx) => {
      const row = await tx.messages.insertMessage({ conversationId, senderId: viewer.id, asMerchant, body });
      // writing means having read what came before
      await tx.messages.markRead(conversationId, seat.side);
      // a shop's answer names no staff member anywhere the resident sees it: no actor
      await tx.events.appendPrivate('message', recipients, { refId: conversationId, actorId: asMerchant ? null : viewer.id });
      return row;
    });
  }

  function presentParty(row: ConversationListRow) {
    return row.other_merchant_id !== null
      ? { kind: 'shop' as const, handle: null, displayName: row.other_merchant_name ?? '', merchantId: String(row.other_merchant_id) }
      : { kind: 'person' as const, handle: row.other_user_handle, displayName: row.other_user_display_name ?? '', merchantId: null };
  }

  function presentList(rows: ConversationListRow[]): z.infer<typeof ConversationList> {
    return {
      items: rows.map((r) => ({
        id: String(r.id),
        with: presentParty(r),
        offer: r.offer_id !== null && r.offer_title !== null ? { id: String(r.offer_id), title: r.offer_title } : null,
        lastMessage: r.last_body,
        lastMessageAt: r.last_message_at.toISOString(),
        unread: r.unread,
      })),
    };
  }

  function presentMessage(m: MessageRow, seat: Seat, shopName: string | null) {
    const mine = seat.shop ? m.as_merchant : !m.as_merchant && String(m.sender_id) === ('userId' in seat.side ? seat.side.userId : '');
    return {
      id: String(m.id),
      body: m.status === 'visible' ? m.body : 'This message was removed by a moderator.',
      mine,
      from: m.as_merchant ? (shopName ?? '') : m.sender_display_name,
      createdAt: m.created_at.toISOString(),
    };
  }

  return {
    /** Starts (or continues) the viewer's conversation with a person or a shop with a first message. */
    async start(viewer: Viewer, input: StartInput): Promise<{ id: string; messageId: string }> {
      let pairKey: string;
      let other: Side;
      let merchantId: string | null = null;
      let offerId: string | null = null;
      if (input.handle !== undefined) {
        const person = await messages.userByHandle(input.handle);
        if (!person) throw new NotFoundError('Person');
        if (String(person.id) === viewer.id) throw new ValidationError([{ field: 'body.handle', message: 'you cannot message yourself' }]);
        const [lo, hi] = [viewer.id, String(person.id)].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
        pairKey = `u:${lo}:u:${hi}`;
        other = { userId: String(person.id) };
      } else {
        if (input.offerId !== undefined) {
          const offer = await offers.findById(input.offerId);
          if (!offer || (input.merchantId !== undefined && String(offer.merchant_id) !== input.merchantId)) throw new NotFoundError('Offer');
          offerId = String(offer.id);
          merchantId = String(offer.merchant_id);
        } else merchantId = input.merchantId!;
        const shop = await merchants.findById(merchantId);
        if (!shop) throw new NotFoundError('Shop');
        if (shop.status !== 'claimed') throw new ForbiddenError('This shop has no owner on Hexhood yet, so nobody would read your message.');
        if (await merchants.roleOf(merchantId, viewer.id)) {
          throw new ValidationError([{ field: 'body.merchantId', message: 'you are on this shop’s team: its inbox is yours' }]);
        }
        pairKey = `u:${viewer.id}:m:${merchantId}`;
        other = { merchantId };
      }
      const existing = await messages.findByPairKey(pairKey);
      if (existing) {
        // an existing conversation: the same rules as any later message
        const id = await this.send(viewer, String(existing.id), input.body);
        return { id: String(existing.id), messageId: id.id };
      }
      const isNew = await isNewAccountId(viewer.id);
      // the budget first: refusals cost too, so nobody sweeps handles to learn who would accept them
      await checkBody(viewer, input.body, isNew);
      if ('userId' in other && ((await blocks.eitherBlocked(viewer.id, other.userId)) || !(await admits(other.userId, viewer)))) {
        throw new ForbiddenError(REFUSED);
      }
      if (isNew) {
        await consume(newConversations, `u:${viewer.id}`, `New accounts may start ${NEW_ACCOUNT_CONVERSATIONS_PER_DAY} conversations a day.`);
      }
      const recipients = await recipientsOf([other], viewer.id);
      const result = await withTransaction(async (tx) => {
        const { conversation } = await tx.messages.findOrCreate(pairKey, [{ userId: viewer.id }, other], {
          merchantId,
          offerId,
          startedBy: viewer.id,
        });
        const row = await tx.messages.insertMessage({
          conversationId: String(conversation.id),
          senderId: viewer.id,
          asMerchant: false,
          body: input.body,
        });
        await tx.messages.markRead(String(conversation.id), { userId: viewer.id });
        await tx.events.appendPrivate('message', recipients, { refId: String(conversation.id), actorId: viewer.id });
        return { id: String(conversation.id), messageId: String(row.id) };
      });
      return result;
    },

    /** A message in a conversation the viewer takes part in (for a shop: as its owner or staff, written as the shop). */
    async send(viewer: Viewer, conversationId: string, body: string): Promise<{ id: string; messageId: string }> {
      const { conversation, seat, others } = await seatOf(conversationId, viewer);
      const isNew = await isNewAccountId(viewer.id);
      await checkBody(viewer, body, isNew);
      const person = others.find((o): o is { userId: string } => 'userId' in o);
      if (!seat.shop && person) {
        if (await blocks.eitherBlocked(viewer.id, person.userId)) throw new ForbiddenError(REFUSED);
        // they started it or have written in it: they want to hear back; otherwise their setting decides as at the start
        const consented = String(conversation.started_by) === person.userId || (await messages.hasWritten(conversationId, person.userId));
        if (!consented && !(await admits(person.userId, viewer))) throw new ForbiddenError(REFUSED);
      }
      const recipients = await recipientsOf(others, viewer.id);
      const row = await deliver(conversationId, viewer, seat, body, recipients);
      return { id: conversationId, messageId: String(row.id) };
    },

    async list(viewer: Viewer, limit: number) {
      return presentList(await messages.listFor({ userId: viewer.id }, limit));
    },

    /** A shop's inbox, for its owner and staff (404 for anyone else: whether a shop has messages is its business). */
    async inbox(viewer: Viewer, merchantId: string, limit: number) {
      if (!(await merchants.roleOf(merchantId, viewer.id))) throw new NotFoundError('Shop');
      return presentList(await messages.listFor({ merchantId }, limit));
    },

    async thread(viewer: Viewer, conversationId: string, limit: number): Promise<z.infer<typeof Conversation>> {
      const { conversation, seat } = await seatOf(conversationId, viewer);
      const row = (await messages.listFor(seat.side, 1, conversationId))[0];
      if (!row) throw new NotFoundError('Conversation');
      const shopName = seat.shop?.name ?? (row.other_merchant_name || null);
      const rows = await messages.messages(conversationId, limit);
      return {
        id: String(conversation.id),
        with: presentParty(row),
        offer: row.offer_id !== null && row.offer_title !== null ? { id: String(row.offer_id), title: row.offer_title } : null,
        asShop: seat.shop,
        messages: rows.map((m) => presentMessage(m, seat, shopName)),
      };
    },

    async markRead(viewer: Viewer, conversationId: string): Promise<void> {
      const { seat } = await seatOf(conversationId, viewer);
      await messages.markRead(conversationId, seat.side);
      // the conversation's notification is read with it
      await notifications.markReadRef(viewer.id, 'message', conversationId);
    },

    async unread(viewer: Viewer) {
      return { unread: await messages.unreadConversations(viewer.id) };
    },

    async settings(viewer: Viewer) {
      return { whoMayMessage: (await messages.whoMayMessage(viewer.id)) ?? 'neighbors' };
    },

    async setSettings(viewer: Viewer, whoMayMessage: WhoMayMessageValue) {
      await messages.setWhoMayMessage(viewer.id, whoMayMessage);
      return { whoMayMessage };
    },

    /** A message the viewer received (reporting: only what was written to them, never their own or a stranger's). */
    async receivedMessage(viewer: Viewer, messageId: string): Promise<MessageRow> {
      const m = await messages.messageById(messageId);
      if (m) {
        const { seat } = await seatOf(String(m.conversation_id), viewer).catch(() => ({ seat: null }));
        if (seat && !presentMessage(m, seat, null).mine) return m;
      }
      throw new NotFoundError('Message');
    },
  };
}

export type MessageService = ReturnType<typeof createMessageService>;
