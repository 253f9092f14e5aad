import { error, redirect } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const api = serverApi(event);
  const path = { params: { path: { id: event.params.id } } };
  try {
    const [shop, stats] = await Promise.all([unwrap(api.GET('/api/merchants/{id}', path)), unwrap(api.GET('/api/merchants/{id}/stats', path))]);
    return { shop, stats };
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) error(403, 'Only this shop’s owner and staff can see its dashboard.');
    if (err instanceof ApiError && err.status === 404) error(404, 'This shop does not exist.');
    throw err;
  }
};
