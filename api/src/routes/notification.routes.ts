import { Router } from 'express';
import {
  MarkReadBody,
  NotificationList,
  NotificationListQuery,
  NotificationPreferences,
  NotificationPreferencesPatch,
  UnreadCount,
} from '../contract/notification.schema.ts';
import { defineRoute } from '../contract/registry.ts';
import { handle } from '../http/route.ts';
import type { NotificationService } from '../services/notification.service.ts';

const tag = 'notifications';
const list = defineRoute({
  method: 'get',
  path: '/api/notifications',
  tag,
  summary: 'My notifications, newest first, with the unread count',
  auth: 'required',
  query: NotificationListQuery,
  response: NotificationList,
});
const unread = defineRoute({
  method: 'get',
  path: '/api/notifications/unread',
  tag,
  summary: 'How many are unread',
  auth: 'required',
  response: UnreadCount,
});
const markRead = defineRoute({
  method: 'post',
  path: '/api/notifications/read',
  tag,
  summary: 'Mark some (or all) read',
  auth: 'required',
  allowUnverified: true, // issue 13: email — one's own reading state, not content
  body: MarkReadBody,
  response: UnreadCount,
});
const getPrefs = defineRoute({
  method: 'get',
  path: '/api/notifications/preferences',
  tag,
  summary: 'Which kinds I am notified about',
  auth: 'required',
  response: NotificationPreferences,
});
const setPrefs = defineRoute({
  method: 'patch',
  path: '/api/notifications/preferences',
  tag,
  summary: 'Switch kinds on or off',
  auth: 'required',
  allowUnverified: true, // issue 13: email — one's own settings, not content
  body: NotificationPreferencesPatch,
  response: NotificationPreferences,
});

export function notificationRoutes(notifications: NotificationService): Router {
  const r = Router();
  r.get(
    list.path,
    handle(list, async ({ viewer, query }) => notifications.list(viewer, query.limit)),
  );
  r.get(
    unread.path,
    handle(unread, async ({ viewer }) => notifications.unread(viewer)),
  );
  r.post(
    markRead.path,
    handle(markRead, async ({ viewer, body }) => notifications.markRead(viewer, body.ids)),
  );
  r.get(
    getPrefs.path,
    handle(getPrefs, async ({ viewer }) => notifications.preferences(viewer)),
  );
  r.patch(
    setPrefs.path,
    handle(setPrefs, async ({ viewer, body }) => notifications.setPreferences(viewer, body)),
  );
  return r;
}
