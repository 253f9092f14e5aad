import { error, fail, redirect } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  try {
    const shop = await unwrap(serverApi(event).GET('/api/merchants/{id}', { params: { path: { id: event.params.id } } }));
    return { shop };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, 'This shop does not exist.');
    throw err;
  }
};

export const actions: Actions = {
  /** Claim an offer: the code and QR code are in the wallet. */
  claim: async (event) => {
    const form = await event.request.formData();
    const offerId = String(form.get('offerId') ?? '');
    if (!/^[1-9][0-9]{0,17}$/.test(offerId)) return fail(400, { offerId, message: 'Unknown offer.' });
    try {
      const claim = await unwrap(serverApi(event).POST('/api/offers/{id}/claims', { params: { path: { id: offerId } } }));
      return { claimed: offerId, claimId: claim.id };
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
      if (err instanceof ApiError) return fail(err.status, { offerId, message: err.message });
      return failFromApi(err, { offerId });
    }
  },

  /** "This is my shop": an administrator reviews it. */
  claimListing: async (event) => {
    try {
      await unwrap(
        serverApi(event).POST('/api/merchants/{id}/ownership-requests', { params: { path: { id: event.params.id } }, body: { note: '' } }),
      );
      return { requested: true };
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
      if (err instanceof ApiError) return fail(err.status, { offerId: '', message: err.message });
      return failFromApi(err, { offerId: '' });
    }
  },
};
