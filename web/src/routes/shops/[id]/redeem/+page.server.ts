import { fail, redirect } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const shop = await unwrap(serverApi(event).GET('/api/merchants/{id}', { params: { path: { id: event.params.id } } }));
  return { shop };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const code = String(form.get('code') ?? '').trim();
    if (code.length < 4) return fail(400, { code, message: 'Type the code shown on the resident’s phone.' });
    try {
      const done = await unwrap(
        serverApi(event).POST('/api/merchants/{id}/redemptions', { params: { path: { id: event.params.id } }, body: { code } }),
      );
      return { redeemed: done };
    } catch (err) {
      return fail(err instanceof ApiError ? err.status : 503, {
        code,
        message: err instanceof ApiError ? err.message : 'The server could not be reached.',
      });
    }
  },
};
