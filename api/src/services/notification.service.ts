import { NOTIFICATION_KINDS, type NotificationKindValue } from '../contract/limits.ts';
import type { Viewer } from '../http/route.ts';
import type { NotificationRepository, NotificationRow } from '../repositories/notification.repository.ts';

export interface NotificationDeps {
  notifications: NotificationRepository;
  /** issue 13: people whose doings the user no longer hears of (blocked either way, muted) — older rows included */
  hiddenFor?: (userId: string) => Promise<string[]>;
}

function present(row: NotificationRow) {
  return {
    id: String(row.id),
    kind: row.kind,
    postId: row.post_id === null ? null : String(row.post_id),
    postTitle: row.post_title,
    refId: row.ref_id === null ? null : String(row.ref_id),
    commentId: row.comment_id === null ? null : String(row.comment_id),
    actor: row.actor_handle ? { handle: row.actor_handle, displayName: row.actor_display_name ?? row.actor_handle } : null,
    count: row.count,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    read: row.read_at !== null,
    outcome: (row.outcome ?? null) as 'action_taken' | 'no_action' | 'granted' | 'denied' | null, // issue 13
  };
}

/** The signed-in user's notification centre: their own rows only (the user id comes from the session, never the client). */
export function createNotificationService({ notifications, hiddenFor = async () => [] }: NotificationDeps) {
  async function preferences(viewer: Viewer): Promise<Record<NotificationKindValue, boolean>> {
    const stored = await notifications.preferences(viewer.id);
    return Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, stored.get(k) ?? true])) as Record<NotificationKindValue, boolean>;
  }

  return {
    async list(viewer: Viewer, limit: number) {
      const hidden = await hiddenFor(viewer.id);
      const [rows, unread] = await Promise.all([notifications.list(viewer.id, limit, hidden), notifications.unreadCount(viewer.id, hidden)]);
      return { items: rows.map(present), unread };
    },

    async unread(viewer: Viewer) {
      return { unread: await notifications.unreadCount(viewer.id, await hiddenFor(viewer.id)) };
    },

    async markRead(viewer: Viewer, ids: string[] | undefined) {
      await notifications.markRead(viewer.id, ids ?? null);
      return { unread: await notifications.unreadCount(viewer.id, await hiddenFor(viewer.id)) };
    },

    preferences,

    async setPreferences(viewer: Viewer, prefs: Partial<Record<NotificationKindValue, boolean>>) {
      await notifications.setPreferences(viewer.id, prefs);
      return preferences(viewer);
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
