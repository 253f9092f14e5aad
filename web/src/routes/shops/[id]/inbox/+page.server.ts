import { error, redirect } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import type { PageServerLoad } from './$types';

// A shop's inbox (issue 13): residents' conversations with the shop, for its owner and staff; anyone else gets a 404.
export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const api = serverApi(event);
  const path = { params: { path: { id: event.params.id } } };
  try {
    const [shop, inbox] = await Promise.all([
      unwrap(api.GET('/api/merchants/{id}', path)),
      unwrap(api.GET('/api/merchants/{id}/conversations', { params: { path: { id: event.params.id }, query: {} } })),
    ]);
    return { shop: { id: shop.id, name: shop.name }, items: inbox.items, renderedAt: Date.now() };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, 'This inbox does not exist.');
    throw err;
  }
};
