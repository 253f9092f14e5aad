import { redirect } from '@sveltejs/kit';
import { unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith } from '$lib/server/forms';
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
    const values = {
      title: String(form.get('title') ?? '').trim(),
      terms: String(form.get('terms') ?? '').trim(),
      days: String(form.get('days') ?? '7'),
      totalCap: String(form.get('totalCap') ?? ''),
      ring: String(form.get('ring') ?? '2'),
      perHousehold: form.get('perHousehold') === 'on',
    };
    const errors: Record<string, string> = {};
    if (!values.title) errors.title = 'Give the offer a title.';
    const cap = Number(values.totalCap);
    if (!Number.isInteger(cap) || cap < 1) errors.totalCap = 'The cap must be a whole number of at least 1.';
    const days = Number(values.days);
    if (!Number.isInteger(days) || days < 1 || days > 90) errors.days = 'Run the offer for 1 to 90 days.';
    if (Object.keys(errors).length) return failWith(400, values, errors);
    let offerId: string;
    try {
      const offer = await unwrap(
        serverApi(event).POST('/api/merchants/{id}/offers', {
          params: { path: { id: event.params.id } },
          body: {
            title: values.title,
            terms: values.terms,
            endsAt: new Date(Date.now() + days * 86_400_000).toISOString(),
            totalCap: cap,
            perPersonLimit: 1,
            perHousehold: values.perHousehold,
            target: { ring: Number(values.ring) },
          },
        }),
      );
      offerId = offer.id;
    } catch (err) {
      return failFromApi(err, values);
    }
    redirect(303, `/shops/${event.params.id}#offer-${offerId}`);
  },
};
