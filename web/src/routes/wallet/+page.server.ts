import { fail, redirect } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const { items } = await unwrap(serverApi(event).GET('/api/me/claims'));
  return { claims: items };
};

export const actions: Actions = {
  cancel: async (event) => {
    const form = await event.request.formData();
    const id = String(form.get('claimId') ?? '');
    if (!/^[1-9][0-9]{0,17}$/.test(id)) return fail(400, { message: 'Unknown claim.' });
    try {
      await unwrap(serverApi(event).DELETE('/api/me/claims/{id}', { params: { path: { id } } }));
      return { cancelled: id };
    } catch (err) {
      return fail(err instanceof ApiError ? err.status : 503, {
        message: err instanceof ApiError ? err.message : 'The server could not be reached.',
      });
    }
  },
};
