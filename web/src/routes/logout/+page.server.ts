import { redirect } from '@sveltejs/kit';
import { serverApi } from '$lib/server/api';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/me');

export const actions: Actions = {
  default: async (event) => {
    try {
      await serverApi(event).POST('/api/auth/logout');
    } catch {
      // Even if the API is unreachable the browser forgets the session.
    }
    event.cookies.delete('hx_session', { path: '/' });
    redirect(303, '/');
  },
};
