import { error, redirect } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import type { components } from '$lib/api/schema';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, text } from '$lib/server/forms';
import { berlinLocal, checkCommonPostFields, kindFieldValues, parseKindFields } from '$lib/server/post-form';
import { formatPrice } from '$lib/format';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  if (!/^[1-9][0-9]{0,17}$/.test(event.params.id)) error(404, { message: 'There is no such post.' });
  try {
    const post = await unwrap(serverApi(event).GET('/api/posts/{id}', { params: { path: { id: event.params.id } } }));
    // someone else's post: the same answer as a missing one
    if (!post.isAuthor || !post.location) error(404, { message: 'There is no such post to edit.' });
    // the form's starting values, in the form's own shapes (Berlin local times, euros)
    const initial: Record<string, string> = {
      title: post.title,
      body: post.body,
      tags: post.tags.join(', '),
      audience: post.audience,
      precision: String(post.precision),
      lat: String(post.location.lat),
      lon: String(post.location.lon),
      eventStartsAt: berlinLocal(post.event?.startsAt),
      eventEndsAt: berlinLocal(post.event?.endsAt),
      eventPlace: post.event?.place ?? '',
      eventCapacity: post.event?.capacity ? String(post.event.capacity) : '',
      pollClosesAt: berlinLocal(post.poll?.closesAt),
      free: post.sale?.free ? 'on' : '',
      salePrice: post.sale && !post.sale.free ? formatPrice(post.sale.priceCents).replace(/\s*€/, '').replace(/\./g, '') : '',
      saleCondition: post.sale?.condition ?? '',
    };
    return { post, initial };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) error(404, { message: 'There is no such post to edit.' });
    throw err instanceof ApiError ? error(503, { message: err.message }) : err;
  }
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const kind = text(form, 'kind');
    const values = {
      kind,
      title: text(form, 'title').trim(),
      body: text(form, 'body'),
      tags: text(form, 'tags'),
      audience: text(form, 'audience'),
      precision: text(form, 'precision'),
      lat: text(form, 'lat'),
      lon: text(form, 'lon'),
      eventStartsAt: text(form, 'eventStartsAt'),
      ...kindFieldValues(form),
    };
    const { errors, tags, location, precision, audience, eventStartsAt } = checkCommonPostFields(values, kind);
    const extra = parseKindFields(form, kind, true);
    Object.assign(errors, extra.errors);
    if (Object.keys(errors).length) return failWith(400, values, errors);

    const body: components['schemas']['UpdatePostBody'] = {
      title: values.title,
      body: values.body,
      tags,
      audience,
      location,
      precision,
      ...(eventStartsAt ? { eventStartsAt } : {}),
      ...extra.fields,
    };
    try {
      await unwrap(serverApi(event).PATCH('/api/posts/{id}', { params: { path: { id: event.params.id } }, body }));
    } catch (err) {
      return failFromApi(err, values);
    }
    redirect(303, `/posts/${event.params.id}`);
  },
};
