import { redirect } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { text } from '$lib/server/forms';
import { choosePerson, chooseShop } from '$lib/server/social';
import type { Actions, PageServerLoad } from './$types';

// issue 13: whom I follow, muted and blocked — and where a block is lifted (the blocked person's profile is gone for me)
export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  try {
    const people = await unwrap(serverApi(event).GET('/api/me/social'));
    return { people, loadError: null, blocked: event.url.searchParams.get('blocked')?.slice(0, 30) ?? null };
  } catch (err) {
    return { people: null, loadError: err instanceof ApiError ? err.message : 'Could not load your lists.', blocked: null };
  }
};

export const actions: Actions = {
  unblock: async (event) => choosePerson(event, 'block', false, text(await event.request.formData(), 'handle')),
  unmute: async (event) => choosePerson(event, 'mute', false, text(await event.request.formData(), 'handle')),
  unfollow: async (event) => choosePerson(event, 'follow', false, text(await event.request.formData(), 'handle')),
  unfollowShop: async (event) => {
    const id = text(await event.request.formData(), 'id');
    if (!/^[1-9][0-9]{0,17}$/.test(id)) return { done: null, handle: '' };
    return chooseShop(event, id, false);
  },
};
