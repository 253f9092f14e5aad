import { error, fail, redirect } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi } from '$lib/server/forms';
import { chooseShop } from '$lib/server/social';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  try {
    const api = serverApi(event);
    const path = { params: { path: { id: event.params.id } } };
    // issue 13: follower count and whether I follow (a failure here leaves the button out, not the page)
    const [shop, followers] = await Promise.all([
      unwrap(api.GET('/api/merchants/{id}', path)),
      api.GET('/api/merchants/{id}/followers', path).catch(() => null),
    ]);
    return { shop, followers: followers?.data ?? null };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, 'This shop does not exist.');
    throw err;
  }
};

export const actions: Actions = {
  // issue 13: follow the shop (its offers carry a "Following" mark on the board)
  follow: async (event) => {
    const on = (await event.request.formData()).get('on') === '1';
    const result = await chooseShop(event, event.params.id, on);
    return 'done' in result ? { followed: on } : result;
  },

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

  /** Recommend the shop, or take it back. */
  recommend: async (event) => {
    const form = await event.request.formData();
    const on = form.get('on') === '1';
    const path = { params: { path: { id: event.params.id } } };
    try {
      await unwrap(
        on ? serverApi(event).PUT('/api/merchants/{id}/recommendation', path) : serverApi(event).DELETE('/api/merchants/{id}/recommendation', path),
      );
      return { recommended: on };
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
      if (err instanceof ApiError) return fail(err.status, { offerId: '', message: err.message });
      return failFromApi(err, { offerId: '' });
    }
  },

  /** Star review (after a redemption here); editing replaces it. */
  review: async (event) => {
    const form = await event.request.formData();
    const stars = Number(form.get('stars'));
    const body = String(form.get('body') ?? '').slice(0, 2000);
    if (!Number.isInteger(stars) || stars < 1 || stars > 5) return fail(400, { offerId: 'review', message: 'Choose 1 to 5 stars.' });
    try {
      await unwrap(serverApi(event).PUT('/api/merchants/{id}/review', { params: { path: { id: event.params.id } }, body: { stars, body } }));
      return { reviewed: true };
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
      if (err instanceof ApiError) return fail(err.status, { offerId: 'review', message: err.message });
      return failFromApi(err, { offerId: 'review' });
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
