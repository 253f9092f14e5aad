import { redirect } from '@sveltejs/kit';
import { WHO_MAY_MESSAGE, type WhoMayMessageValue } from '$contract';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

// My conversations (issue 13), newest first, and who may message me.
export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const api = serverApi(event);
  try {
    const [list, settings] = await Promise.all([
      unwrap(api.GET('/api/conversations', { params: { query: {} } })),
      unwrap(api.GET('/api/conversations/settings')),
    ]);
    return { items: list.items, settings, renderedAt: Date.now(), loadError: null };
  } catch (err) {
    return {
      items: null,
      settings: null,
      renderedAt: Date.now(),
      loadError: err instanceof ApiError && err.status < 500 ? err.message : 'Messages could not be loaded right now.',
    };
  }
};

export const actions: Actions = {
  settings: async (event) => {
    const value = String((await event.request.formData()).get('whoMayMessage') ?? '');
    if (!(WHO_MAY_MESSAGE as readonly string[]).includes(value)) return failWith(400, {}, { whoMayMessage: 'Choose one.' });
    try {
      await unwrap(serverApi(event).PUT('/api/conversations/settings', { body: { whoMayMessage: value as WhoMayMessageValue } }));
    } catch (err) {
      return failFromApi(err, {});
    }
    return { saved: true };
  },
};
