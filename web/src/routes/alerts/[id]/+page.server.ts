import { error, redirect } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

// issue 13: an official alert's page — readable after it ended (no longer pinned), with "Seen" and its count.
export const load: PageServerLoad = async (event) => {
  const id = event.params.id;
  if (!/^[1-9][0-9]{0,17}$/.test(id)) error(404, { message: 'There is no such alert.' });
  try {
    const alert = await unwrap(serverApi(event).GET('/api/alerts/{id}', { params: { path: { id } } }));
    return { alert };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) error(404, { message: 'This alert does not exist or was removed.' });
    error(503, { message: err instanceof ApiError ? err.message : 'The alert could not be loaded.' });
  }
};

export const actions: Actions = {
  // also the board's pinned alerts' "Seen" button (it posts here; with JavaScript it stays on the board)
  seen: async (event) => {
    try {
      const alert = await unwrap(serverApi(event).POST('/api/alerts/{id}/seen', { params: { path: { id: event.params.id } } }));
      return { alert };
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) redirect(303, `/login?next=/alerts/${event.params.id}`);
      return failFromApi(err, {});
    }
  },

  // its author (or a moderator of its region) ends it early: off the board's pins, still readable here
  end: async (event) => {
    try {
      const alert = await unwrap(serverApi(event).POST('/api/alerts/{id}/end', { params: { path: { id: event.params.id } } }));
      return { alert, ended: true };
    } catch (err) {
      return failFromApi(err, {});
    }
  },
};
