import { error, redirect } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { choosePerson } from '$lib/server/social';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const handle = event.params.handle;
  if (!/^[A-Za-z0-9_]{3,30}$/.test(handle)) error(404, { message: 'There is nobody with that name here.' });
  try {
    const profile = await unwrap(serverApi(event).GET('/api/users/{handle}', { params: { path: { handle } } }));
    return { profile, renderedAt: Date.now(), origin: event.url.origin };
  } catch (err) {
    // a block (either way) answers like a missing handle: the same page
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, { message: 'There is nobody with that name here.' });
    error(503, { message: err instanceof ApiError ? err.message : 'The profile could not be loaded.' });
  }
};

// issue 13: follow, mute, block — forms that work without JavaScript
export const actions: Actions = {
  follow: (event) => choosePerson(event, 'follow', true, event.params.handle),
  unfollow: (event) => choosePerson(event, 'follow', false, event.params.handle),
  mute: (event) => choosePerson(event, 'mute', true, event.params.handle),
  unmute: (event) => choosePerson(event, 'mute', false, event.params.handle),
  block: async (event) => {
    const result = await choosePerson(event, 'block', true, event.params.handle);
    // their profile is gone for you now; your settings list is where a block is lifted
    if ('done' in result) redirect(303, `/me/people?blocked=${encodeURIComponent(event.params.handle)}`);
    return result;
  },
};
