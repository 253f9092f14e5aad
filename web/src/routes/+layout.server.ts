import { env } from '$env/dynamic/private';
import { serverApi } from '$lib/server/api';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async (event) => {
  let user = null;
  let apiReachable = true;
  try {
    const { data } = await serverApi(event).GET('/api/me');
    user = data?.user ?? null; // 401 → signed out
  } catch {
    apiReachable = false;
  }
  // --- issue 13: the notification bell's count ---
  let unread = 0;
  if (user) {
    const { data } = await serverApi(event)
      .GET('/api/notifications/unread')
      .catch(() => ({ data: undefined }));
    unread = data?.unread ?? 0;
  }
  // --- issue 13: conversations with unread messages (header); a conversation page re-runs this once it marked read ---
  event.depends('hexhood:unread');
  let unreadMessages = 0;
  if (user) {
    const { data } = await serverApi(event)
      .GET('/api/conversations/unread')
      .catch(() => ({ data: undefined }));
    unreadMessages = data?.unread ?? 0;
  }
  return { user, apiReachable, mapStyleUrl: env.MAP_STYLE_URL || null, unread, unreadMessages };
};
