import { redirect } from '@sveltejs/kit';
import { NOTIFICATION_KINDS } from '$contract';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

// every kind the contract knows (parts of issue 13 add kinds)
const KINDS = NOTIFICATION_KINDS;

export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const api = serverApi(event);
  try {
    const [list, preferences, subscriptions] = await Promise.all([
      unwrap(api.GET('/api/notifications', { params: { query: {} } })),
      unwrap(api.GET('/api/notifications/preferences')),
      unwrap(api.GET('/api/subscriptions')),
    ]);
    return { list, preferences, subscriptions: subscriptions.items, renderedAt: Date.now(), loadError: null };
  } catch (err) {
    return {
      list: null,
      preferences: null,
      subscriptions: null,
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

  unsubscribe: async (event) => {
    const id = String((await event.request.formData()).get('id') ?? '');
    if (!/^[1-9][0-9]{0,17}$/.test(id)) return failWith(400, {}, {}, 'Unknown subscription.');
    try {
      await unwrap(serverApi(event).DELETE('/api/subscriptions/{id}', { params: { path: { id } } }));
    } catch (err) {
      return failFromApi(err, {});
    }
    return { unsubscribed: true };
  },

  // issue 13: email — mail a subscription's matching posts too, or stop
  subscriptionEmail: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('id') ?? '');
    if (!/^[1-9][0-9]{0,17}$/.test(id)) return failWith(400, {}, {}, 'Unknown subscription.');
    try {
      await unwrap(serverApi(event).PATCH('/api/subscriptions/{id}', { params: { path: { id } }, body: { email: form.get('email') === 'on' } }));
    } catch (err) {
      return failFromApi(err, {});
    }
    return { subscriptionEmail: true };
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
