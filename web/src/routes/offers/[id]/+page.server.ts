import { error, redirect } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import type { PageServerLoad } from './$types';

// An offer lives on its shop's page: feeds and boards link here, and this sends them on.
export const load: PageServerLoad = async (event) => {
  let merchantId: string;
  try {
    merchantId = (await unwrap(serverApi(event).GET('/api/offers/{id}', { params: { path: { id: event.params.id } } }))).merchantId;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, 'This offer does not exist.');
    throw err;
  }
  redirect(303, `/shops/${merchantId}#offer-${event.params.id}`);
};
