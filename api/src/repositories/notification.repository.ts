import type { Db } from '../db/knex.ts';
import type { NotificationKindValue } from '../contract/limits.ts';

export interface NotifiableEvent {
  id: string;
  kind: 'post' | 'comment' | 'reaction' | 'rsvp' | 'message' | 'claim';
  post_id: string;
  /** issue 13: private events (message, claim) name their recipient and what they are about (conversation, offer) */
  recipient_id: string | null;
  ref_id: string | null;
  comment_id: string | null;
  actor_id: string | null;
  post_author_id: string;
  /** reaction/rsvp events: whether the actor's reaction or answer still exists (a removal is an event too, but no news) */
  still_there: boolean;
}

export interface NotificationRow {
  id: string;
  kind: NotificationKindValue;
  post_id: string | null;
  ref_id: string | null;
  comment_id: string | null;
  count: number;
  created_at: Date;
  updated_at: Date;
  read_at: Date | null;
  post_title: string | null;
  actor_handle: string | null;
  actor_display_name: string | null;
  /** issue 13: report → action_taken | no_action; appeal → granted | denied */
  outcome?: string | null;
}

const ALLOWED = `NOT EXISTS (SELECT 1 FROM notification_prefs np WHERE np.user_id = r.user_id AND np.kind = r.kind AND NOT np.in_app)`;

/** issue 13: no condition at all for someone who hides nobody. */
function hiddenActors(ids: string[], alias = 'n.'): { sql: string; bindings: string[][] } {
  return ids.length ? { sql: ` AND (${alias}actor_id IS NULL OR ${alias}actor_id <> ALL(?::bigint[]))`, bindings: [ids] } : { sql: '', bindings: [] };
}

export function createNotificationRepository(db: Db) {
  return {
    /** The worker's cursor, locked until the transaction ends: one worker at a time across processes. */
    async lockCursor(): Promise<string> {
      const res = await db.raw<{ rows: { last_event_id: string }[] }>(`SELECT last_event_id FROM notification_cursor WHERE id = 1 FOR UPDATE`);
      return res.rows[0]?.last_event_id ?? '0';
    },

    async setCursor(lastEventId: string): Promise<void> {
      await db.raw(`UPDATE notification_cursor SET last_event_id = ? WHERE id = 1`, [lastEventId]);
    },

    async eventsAfter(afterId: string, limit: number): Promise<NotifiableEvent[]> {
      const res = await db.raw<{ rows: NotifiableEvent[] }>(
        `SELECT e.id, e.kind, e.post_id, e.comment_id, e.actor_id, e.recipient_id, e.ref_id, p.author_id AS post_author_id,
                CASE e.kind
                  WHEN 'reaction' THEN EXISTS (SELECT 1 FROM reactions r WHERE r.post_id = e.post_id AND r.user_id = e.actor_id)
                  WHEN 'rsvp' THEN EXISTS (SELECT 1 FROM event_rsvps r WHERE r.post_id = e.post_id AND r.user_id = e.actor_id)
                  ELSE false END AS still_there
           FROM events e LEFT JOIN posts p ON p.id = e.post_id
          WHERE e.id > ? AND e.kind <> 'notification' AND (p.id IS NOT NULL OR e.kind IN ('message', 'claim')) ORDER BY e.id LIMIT ?`,
        [afterId, limit],
      );
      return res.rows;
    },

    /**
     * Who hears of a new comment: its post's author ("comment") and earlier commenters ("reply"), never the commenter,
     * nobody who switched the kind off. With their homes: the caller checks each may still read the post.
     */
    async commentRecipients(e: NotifiableEvent): Promise<{ user_id: string; kind: 'comment' | 'reply'; home_h3_9: string | null }[]> {
      const res = await db.raw<{ rows: { user_id: string; kind: 'comment' | 'reply'; home_h3_9: string | null }[] }>(
        `SELECT r.user_id, r.kind, u.home_h3_9 FROM (
           SELECT ?::bigint AS user_id, 'comment' AS kind
           UNION
           SELECT DISTINCT c.author_id, 'reply' FROM comments c
            WHERE c.post_id = ? AND c.id < ? AND c.deleted_at IS NULL AND c.author_id <> ?
         ) r JOIN users u ON u.id = r.user_id
          WHERE r.user_id <> ? AND ${ALLOWED}`,
        [e.post_author_id, e.post_id, e.comment_id, e.post_author_id, e.actor_id],
      );
      return res.rows;
    },

    async addForComment(e: NotifiableEvent, recipients: { userId: string; kind: 'comment' | 'reply' }[]): Promise<string[]> {
      if (!recipients.length) return [];
      const res = await db.raw<{ rows: { user_id: string }[] }>(
        `INSERT INTO notifications (user_id, kind, post_id, comment_id, actor_id)
         SELECT unnest(?::bigint[]), unnest(?::text[]), ?, ?, ?
         RETURNING user_id`,
        [recipients.map((r) => r.userId), recipients.map((r) => r.kind), e.post_id, e.comment_id, e.actor_id],
      );
      return res.rows.map((r) => String(r.user_id));
    },

    /** A reaction or RSVP: batched into the post author's unread row of that kind for that post. */
    async addBatched(e: NotifiableEvent, kind: 'reaction' | 'rsvp'): Promise<string[]> {
      const res = await db.raw<{ rows: { user_id: string }[] }>(
        `INSERT INTO notifications AS n (user_id, kind, post_id, actor_id)
         SELECT r.user_id, r.kind, ?, ? FROM (SELECT ?::bigint AS user_id, ?::text AS kind) r
          WHERE r.user_id <> ? AND ${ALLOWED}
         ON CONFLICT (user_id, post_id, kind) WHERE kind IN ('reaction', 'rsvp') AND read_at IS NULL
         DO UPDATE SET count = n.count + 1, actor_id = EXCLUDED.actor_id, updated_at = now()
         RETURNING user_id`,
        [e.post_id, e.actor_id, e.post_author_id, kind, e.actor_id],
      );
      return res.rows.map((r) => String(r.user_id));
    },

    /**
     * issue 13: a private 'message' (per conversation) or 'claim' (per offer) event, batched into its recipient's unread
     * row about the same thing. Claims carry no actor: a shop never learns who claimed from the claim.
     */
    async addBatchedRef(e: NotifiableEvent, kind: 'message' | 'claim'): Promise<string[]> {
      if (!e.recipient_id || !e.ref_id) return [];
      const res = await db.raw<{ rows: { user_id: string }[] }>(
        `INSERT INTO notifications AS n (user_id, kind, post_id, ref_id, actor_id)
         SELECT r.user_id, r.kind, ?, ?, ? FROM (SELECT ?::bigint AS user_id, ?::text AS kind) r
          WHERE ${ALLOWED}
         ON CONFLICT (user_id, ref_id, kind) WHERE kind IN ('message', 'claim') AND read_at IS NULL
         DO UPDATE SET count = n.count + 1, actor_id = EXCLUDED.actor_id, updated_at = now()
         RETURNING user_id`,
        [e.post_id, e.ref_id, e.actor_id, e.recipient_id, kind],
      );
      return res.rows.map((r) => String(r.user_id));
    },

    /** issue 13: reading a conversation reads its 'message' notification too. */
    async markReadRef(userId: string, kind: 'message' | 'claim', refId: string): Promise<void> {
      await db('notifications').where({ user_id: userId, kind, ref_id: refId }).whereNull('read_at').update({ read_at: db.fn.now() });
    },

    /** A new post in a subscribed area, for subscribers the caller checked may see it. Returns recipients. */
    async addForAreaPost(e: NotifiableEvent, recipients: { userId: string; subscriptionId: string }[]): Promise<string[]> {
      if (!recipients.length) return [];
      const res = await db.raw<{ rows: { user_id: string }[] }>(
        `INSERT INTO notifications (user_id, kind, post_id, actor_id, subscription_id)
         SELECT r.user_id, r.kind, ?, ?, r.subscription_id
           FROM (SELECT unnest(?::bigint[]) AS user_id, unnest(?::bigint[]) AS subscription_id, 'area_post' AS kind) r
          WHERE ${ALLOWED}
         RETURNING user_id`,
        [e.post_id, e.actor_id, recipients.map((r) => r.userId), recipients.map((r) => r.subscriptionId)],
      );
      return res.rows.map((r) => String(r.user_id));
    },

    /** Newest first (a batched row moves up when it grows). */
    /** `hiddenActorIds` (issue 13: blocked either way, muted) leaves out what those people did, made before the block. */
    async list(userId: string, limit: number, hiddenActorIds: string[] = []): Promise<NotificationRow[]> {
      const hidden = hiddenActors(hiddenActorIds);
      const res = await db.raw<{ rows: NotificationRow[] }>(
        `SELECT n.id, n.kind, n.post_id, n.ref_id, n.comment_id, n.count, n.created_at, n.updated_at, n.read_at,
                p.title AS post_title, u.handle AS actor_handle, u.display_name AS actor_display_name,
                -- issue 13: the answer to a report or appeal
                CASE n.kind WHEN 'report' THEN (SELECT rp.outcome FROM reports rp WHERE rp.id = n.ref_id)
                            WHEN 'appeal' THEN (SELECT ap.status FROM appeals ap WHERE ap.id = n.ref_id) END AS outcome
           FROM notifications n LEFT JOIN posts p ON p.id = n.post_id LEFT JOIN users u ON u.id = n.actor_id
          WHERE n.user_id = ? AND (n.post_id IS NULL OR p.deleted_at IS NULL)${hidden.sql}
          ORDER BY n.updated_at DESC, n.id DESC LIMIT ?`,
        [userId, ...hidden.bindings, limit],
      );
      return res.rows;
    },

    async unreadCount(userId: string, hiddenActorIds: string[] = []): Promise<number> {
      const hidden = hiddenActors(hiddenActorIds, '');
      const res = await db.raw<{ rows: { n: string }[] }>(
        `SELECT count(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL${hidden.sql}`,
        [userId, ...hidden.bindings],
      );
      return Number(res.rows[0]?.n ?? 0);
    },

    /** Marks the given ones (only the user's own), or all when ids is null. */
    async markRead(userId: string, ids: string[] | null): Promise<void> {
      const q = db('notifications').where({ user_id: userId }).whereNull('read_at');
      if (ids) q.whereIn('id', ids);
      await q.update({ read_at: db.fn.now() });
    },

    async preferences(userId: string): Promise<Map<string, boolean>> {
      const rows = await db('notification_prefs').where({ user_id: userId }).select<{ kind: string; in_app: boolean }[]>('kind', 'in_app');
      return new Map(rows.map((r) => [r.kind, r.in_app]));
    },

    async setPreferences(userId: string, prefs: Record<string, boolean>): Promise<void> {
      const rows = Object.entries(prefs).map(([kind, inApp]) => ({ user_id: userId, kind, in_app: inApp }));
      if (rows.length) await db('notification_prefs').insert(rows).onConflict(['user_id', 'kind']).merge(['in_app']);
    },
  };
}

export type NotificationRepository = ReturnType<typeof createNotificationRepository>;
