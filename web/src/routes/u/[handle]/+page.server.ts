import { error } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const handle = event.params.handle;
  if (!/^[A-Za-z0-9_]{3,30}$/.test(handle)) error(404, { message: 'There is nobody with that name here.' });
  try {
    const profile = await unwrap(serverApi(event).GET('/api/users/{handle}', { params: { path: { handle } } }));
    return { profile, renderedAt: Date.now(), origin: event.url.origin };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, { message: 'There is nobody with that name here.' });
    error(503, { message: err instanceof ApiError ? err.message : 'The profile could not be loaded.' });
  }
};
