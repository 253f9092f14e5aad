import type { Db } from '../db/knex.ts';
import { effectiveHomeSql } from './user.repository.ts';

export type WhoMayMessage = 'everyone' | 'neighbors' | 'nobody';

export interface ConversationRow {
  id: string;
  pair_key: string;
  merchant_id: string | null;
  offer_id: string | null;
  started_by: string;
  created_at: Date;
  last_message_at: Date;
}

/** A conversation as one side lists it: the other side, the last message, how many of theirs are unread. */
export interface ConversationListRow {
  id: string;
  merchant_id: string | null;
  offer_id: string | null;
  offer_title: string | null;
  last_message_at: Date;
  other_user_handle: string | null;
  other_user_display_name: string | null;
  other_merchant_id: string | null;
  other_merchant_name: string | null;
  last_body: string | null;
  unread: number;
}

export interface MessageRow {
  id: string;
  conversation_id: string;
  sender_id: string;
  as_merchant: boolean;
  body: string;
  status: 'visible' | 'hidden' | 'removed';
  created_at: Date;
  sender_handle: string;
  sender_display_name: string;
}

/** Who a side of a conversation is: a person, or a shop (its inbox). */
export type Side = { userId: string } | { merchantId: string };

const sideWhere = (side: Side, alias = 'cp') =>
  'userId' in side ? { sql: `${alias}.user_id = ?`, bindings: [side.userId] } : { sql: `${alias}.merchant_id = ?`, bindings: [side.merchantId] };

// the other side's messages after my read marker (a shop side's own messages are those written as the shop)
const UNREAD_SQL = `(SELECT count(*)::int FROM messages m
   WHERE m.conversation_id = c.id AND m.id > cp.last_read_id AND m.status = 'visible'
     AND CASE WHEN cp.merchant_id IS NOT NULL THEN NOT m.as_merchant ELSE (m.sender_id <> cp.user_id OR m.as_merchant) END)`;

/** Conversations, their participants and messages (migration 20261206840001). */
export function createMessageRepository(db: Db) {
  return {
    /** The conversation of a pair, created (with both participants) when it does not exist yet. Concurrent starts meet. */
    async findOrCreate(pairKey: string, sides: [Side, Side], about: { merchantId: string | null; offerId: string | null; startedBy: string }) {
      const inserted = await db.raw<{ rows: ConversationRow[] }>(
        `INSERT INTO conversations (pair_key, merchant_id, offer_id, started_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (pair_key) DO NOTHING RETURNING *`,
        [pairKey, about.merchantId, about.offerId, about.startedBy],
      );
      const created = inserted.rows[0];
      if (created) {
        await db('conversation_participants').insert(
          sides.map((s) =>
            'userId' in s ? { conversation_id: created.id, user_id: s.userId } : { conversation_id: created.id, merchant_id: s.merchantId },
          ),
        );
        return { conversation: created, created: true };
      }
      const existing = await db<ConversationRow>('conversations').where({ pair_key: pairKey }).first();
      return { conversation: existing!, created: false };
    },

    async findByPairKey(pairKey: string): Promise<ConversationRow | undefined> {
      return db<ConversationRow>('conversations').where({ pair_key: pairKey }).first();
    },

    /** A shop's owner and staff: who reads its inbox. */
    async teamOf(merchantId: string): Promise<string[]> {
      const rows = await db('merchant_roles').where({ merchant_id: merchantId }).select<{ user_id: string }[]>('user_id');
      return rows.map((r) => String(r.user_id));
    },

    /** Whether a person has written in a conversation (as themselves, not for a shop). */
    async hasWritten(conversationId: string, userId: string): Promise<boolean> {
      const row = await db('messages').where({ conversation_id: conversationId, sender_id: userId, as_merchant: false }).first('id');
      return row !== undefined;
    },

    async findById(id: string): Promise<ConversationRow | undefined> {
      return db<ConversationRow>('conversations').where({ id }).first();
    },

    /** The participants of a conversation. */
    async participants(conversationId: string): Promise<{ user_id: string | null; merchant_id: string | null; last_read_id: string }[]> {
      return db('conversation_participants').where({ conversation_id: conversationId }).select('user_id', 'merchant_id', 'last_read_id');
    },

    /** Conversations of one side (a person, or a shop's inbox), newest first. */
    async listFor(side: Side, limit: number, onlyId: string | null = null): Promise<ConversationListRow[]> {
      const me = sideWhere(side);
      const res = await db.raw<{ rows: ConversationListRow[] }>(
        `SELECT c.id, c.merchant_id, c.offer_id, op.title AS offer_title, c.last_message_at,
                ou.handle AS other_user_handle, ou.display_name AS other_user_display_name,
                om.id AS other_merchant_id, om.name AS other_merchant_name,
                (SELECT left(m.body, 140) FROM messages m WHERE m.conversation_id = c.id AND m.status = 'visible' ORDER BY m.id DESC LIMIT 1) AS last_body,
                ${UNREAD_SQL} AS unread
           FROM conversation_participants cp
           JOIN conversations c ON c.id = cp.conversation_id
           JOIN conversation_participants other ON other.conversation_id = c.id
                AND (other.user_id IS DISTINCT FROM cp.user_id OR other.merchant_id IS DISTINCT FROM cp.merchant_id)
           LEFT JOIN users ou ON ou.id = other.user_id
           LEFT JOIN merchants om ON om.id = other.merchant_id
           LEFT JOIN offers o ON o.id = c.offer_id
           LEFT JOIN posts op ON op.id = o.post_id
          WHERE ${me.sql} AND (?::bigint IS NULL OR c.id = ?::bigint)
          ORDER BY c.last_message_at DESC, c.id DESC LIMIT ?`,
        [...me.bindings, onlyId, onlyId, limit],
      );
      return res.rows;
    },

    /** How many conversations of this person have unread messages. */
    async unreadConversations(userId: string): Promise<number> {
      const res = await db.raw<{ rows: { n: number }[] }>(
        `SELECT count(*)::int AS n FROM conversation_participants cp JOIN conversations c ON c.id = cp.conversation_id
          WHERE cp.user_id = ? AND ${UNREAD_SQL} > 0`,
        [userId],
      );
      return res.rows[0]?.n ?? 0;
    },

    /** The messages of a conversation, oldest first (the newest `limit`). */
    async messages(conversationId: string, limit: number): Promise<MessageRow[]> {
      const res = await db.raw<{ rows: MessageRow[] }>(
        `SELECT * FROM (
           SELECT m.id, m.conversation_id, m.sender_id, m.as_merchant, m.body, m.status, m.created_at,
                  u.handle AS sender_handle, u.display_name AS sender_display_name
             FROM messages m JOIN users u ON u.id = m.sender_id
            WHERE m.conversation_id = ? ORDER BY m.id DESC LIMIT ?
         ) x ORDER BY x.id`,
        [conversationId, limit],
      );
      return res.rows;
    },

    async messageById(id: string): Promise<MessageRow | undefined> {
      const res = await db.raw<{ rows: MessageRow[] }>(
        `SELECT m.id, m.conversation_id, m.sender_id, m.as_merchant, m.body, m.status, m.created_at,
                u.handle AS sender_handle, u.display_name AS sender_display_name
           FROM messages m JOIN users u ON u.id = m.sender_id WHERE m.id = ?`,
        [id],
      );
      return res.rows[0];
    },

    async insertMessage(m: { conversationId: string; senderId: string; asMerchant: boolean; body: string }): Promise<MessageRow> {
      const [row] = await db('messages')
        .insert({ conversation_id: m.conversationId, sender_id: m.senderId, as_merchant: m.asMerchant, body: m.body })
        .returning(['id', 'conversation_id', 'sender_id', 'as_merchant', 'body', 'status', 'created_at']);
      await db('conversations').where({ id: m.conversationId }).update({ last_message_at: row.created_at });
      return row as MessageRow;
    },

    /** Moves one side's read marker forward to the newest message (never back). */
    async markRead(conversationId: string, side: Side): Promise<void> {
      const me = sideWhere(side, 'conversation_participants');
      await db.raw(
        `UPDATE conversation_participants
            SET last_read_id = greatest(last_read_id, coalesce((SELECT max(id) FROM messages WHERE conversation_id = ?), 0))
          WHERE conversation_id = ? AND ${me.sql}`,
        [conversationId, conversationId, ...me.bindings],
      );
    },

    async whoMayMessage(userId: string): Promise<WhoMayMessage | undefined> {
      const row = await db('users').where({ id: userId }).first('who_may_message');
      return row?.who_may_message as WhoMayMessage | undefined;
    },

    async setWhoMayMessage(userId: string, value: WhoMayMessage): Promise<void> {
      await db('users').where({ id: userId }).update({ who_may_message: value });
    },

    /** A user's effective home (res 9, bigint string) — the home that counts for neighbour rules. */
    async effectiveHome(userId: string): Promise<string | null> {
      const res = await db.raw<{ rows: { h: string | null }[] }>(`SELECT ${effectiveHomeSql('u')} AS h FROM users u WHERE u.id = ?`, [userId]);
      return res.rows[0]?.h ?? null;
    },

    async userByHandle(handle: string): Promise<{ id: string; handle: string; display_name: string; created_at: Date } | undefined> {
      return db('users').whereRaw('lower(handle) = lower(?)', [handle]).first('id', 'handle', 'display_name', 'created_at');
    },
  };
}

export type MessageRepository = ReturnType<typeof createMessageRepository>;
