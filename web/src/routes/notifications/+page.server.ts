import { redirect } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const KINDS = ['comment', 'reply', 'reaction'] as const;

export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const api = serverApi(event);
  try {
    const [list, preferences] = await Promise.all([
      unwrap(api.GET('/api/notifications', { params: { query: {} } })),
      unwrap(api.GET('/api/notifications/preferences')),
    ]);
    return { list, preferences, renderedAt: Date.now(), loadError: null };
  } catch (err) {
    return {
      list: null,
      preferences: null,
      renderedAt: Date.now(),
      loadError: err instanceof ApiError && err.status < 500 ? err.message : 'Notifications could not be loaded right now.',
    };
  }
};

export const actions: Actions = {
  readAll: async (event) => {
    try {
      await unwrap(serverApi(event).POST('/api/notifications/read', { body: {} }));
    } catch (err) {
      return failFromApi(err, {});
    }
    return { read: true };
  },

  preferences: async (event) => {
    const form = await event.request.formData();
    const body = Object.fromEntries(KINDS.map((k) => [k, form.get(k) === 'on'])) as Record<(typeof KINDS)[number], boolean>;
    try {
      await unwrap(serverApi(event).PATCH('/api/notifications/preferences', { body }));
    } catch (err) {
      return failFromApi(err, body);
    }
    return { saved: true };
  },
};
