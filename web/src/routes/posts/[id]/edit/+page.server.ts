import { error, redirect } from '@sveltejs/kit';
import { ApiError, unwrap, type Audience } from '$lib/api/client';
import type { components } from '$lib/api/schema';
import { localDateTimeToIso } from '$lib/event-time';
import { parseTags } from '$lib/format';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, text } from '$lib/server/forms';
import { berlinLocal, kindFieldValues, parseKindFields } from '$lib/server/post-form';
import { formatPrice } from '$lib/format';
import type { Actions, PageServerLoad } from './$types';
import { BODY_MAX, PRECISIONS, TAG_MAX_LENGTH, TAGS_MAX, TITLE_MAX } from '$contract';

const TAG_PATTERN = new RegExp(`^[a-z0-9][a-z0-9-]{0,${TAG_MAX_LENGTH - 1}}$`);
const AUDIENCES: readonly Audience[] = ['public', 'neighbors', 'region'];

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
    const errors: Record<string, string> = {};
    if (!values.title) errors.title = 'Give your post a title.';
    else if (values.title.length > TITLE_MAX) errors.title = `Keep the title to ${TITLE_MAX} characters.`;
    if (values.body.length > BODY_MAX) errors.body = `Keep the text to ${BODY_MAX} characters.`;
    const tags = parseTags(values.tags);
    if (tags.length > TAGS_MAX) errors.tags = `Use at most ${TAGS_MAX} tags.`;
    else if (tags.some((t) => !TAG_PATTERN.test(t))) errors.tags = `Tags use lowercase letters, digits and dashes (up to ${TAG_MAX_LENGTH}).`;
    const lat = Number(values.lat);
    const lon = Number(values.lon);
    if (!values.lat || !values.lon || !Number.isFinite(lat) || !Number.isFinite(lon)) errors.location = 'Choose a place on the map.';
    const precision = Number(values.precision);
    if (!(PRECISIONS as readonly number[]).includes(precision)) errors.precision = 'Choose how precisely to place the post.';
    const audience = values.audience as Audience;
    if (!AUDIENCES.includes(audience)) errors.audience = 'Choose who can see the post.';
    const eventStartsAt = kind === 'event' ? localDateTimeToIso(values.eventStartsAt) : null; // Berlin time, whatever the browser's zone
    if (kind === 'event' && !eventStartsAt) errors.eventStartsAt = 'When does the event start?';
    const extra = parseKindFields(form, kind, true);
    Object.assign(errors, extra.errors);
    if (Object.keys(errors).length) return failWith(400, values, errors);

    const body: components['schemas']['UpdatePostBody'] = {
      title: values.title,
      body: values.body,
      tags,
      audience,
      location: { lat, lon },
      precision: precision as 7 | 8 | 9,
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
