import { error } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import type { PageServerLoad } from './$types';

// A region's moderators and its public moderation log (anonymised), for everyone.
export const load: PageServerLoad = async (event) => {
  const key = event.params.key;
  if (!/^[a-z0-9-]{1,80}$/.test(key)) error(404, { message: 'There is no such region.' });
  const api = serverApi(event);
  try {
    const [detail, log] = await Promise.all([
      unwrap(api.GET('/api/regions/{key}', { params: { path: { key } } })),
      unwrap(api.GET('/api/regions/{key}/moderation', { params: { path: { key }, query: {} } })),
    ]);
    return { region: detail.region, ancestors: detail.ancestors, log };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) error(404, { message: 'There is no such region.' });
    error(503, { message: 'The log could not be loaded.' });
  }
};
