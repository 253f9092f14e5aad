import { redirect } from '@sveltejs/kit';
import { POST_KINDS, unwrap, type CreatePostBody, type PostKind } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, text } from '$lib/server/forms';
import { checkCommonPostFields, kindFieldValues, parseKindFields } from '$lib/server/post-form';
import type { Actions, PageServerLoad } from './$types';
import { PHOTO_ALT_MAX, PHOTOS_PER_POST, POLL_OPTIONS_MAX } from '$contract';

export const load: PageServerLoad = async ({ parent, url }) => {
  const { user } = await parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  return {};
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = {
      kind: text(form, 'kind'),
      title: text(form, 'title').trim(),
      body: text(form, 'body'),
      tags: text(form, 'tags'),
      audience: text(form, 'audience'),
      precision: text(form, 'precision'),
      lat: text(form, 'lat'),
      lon: text(form, 'lon'),
      eventStartsAt: text(form, 'eventStartsAt'),
      pollOptions: Array.from({ length: POLL_OPTIONS_MAX }, (_, i) => text(form, `pollOption${i + 1}`).trim()),
      ...kindFieldValues(form),
    };
    const errors: Record<string, string> = {};
    const kind = values.kind as PostKind;
    if (!POST_KINDS.includes(kind)) errors.kind = 'Choose what kind of post this is.';
    const { errors: common, tags, location, precision, audience, eventStartsAt } = checkCommonPostFields(values, kind);
    Object.assign(errors, common);
    if (!errors.eventStartsAt && eventStartsAt && Date.parse(eventStartsAt) < Date.now()) errors.eventStartsAt = 'An event cannot start in the past.';
    const pollOptions = values.pollOptions.filter(Boolean);
    if (kind === 'poll' && (pollOptions.length < 2 || pollOptions.length > 4)) errors.pollOptions = 'A poll needs 2 to 4 options.';
    const extra = parseKindFields(form, kind, false);
    Object.assign(errors, extra.errors);
    const photos = form.getAll('photos').filter((f): f is File => f instanceof File && f.size > 0);
    if (photos.length > PHOTOS_PER_POST) errors.photos = `Add at most ${PHOTOS_PER_POST} photos.`;
    if (Object.keys(errors).length) return failWith(400, values, errors);

    const body: CreatePostBody = {
      kind,
      title: values.title,
      body: values.body,
      tags,
      location,
      precision,
      audience,
      ...(kind === 'event' && eventStartsAt ? { eventStartsAt } : {}),
      ...(kind === 'poll' ? { pollOptions } : {}),
      ...extra.fields,
    } as CreatePostBody;
    let id: string;
    try {
      ({ id } = await unwrap(serverApi(event).POST('/api/posts', { body })));
    } catch (err) {
      return failFromApi(err, values);
    }
    // Without JavaScript the photos came with the form (the browser uploads them itself otherwise, see +page.svelte).
    const alt = text(form, 'photoAlt').trim().slice(0, PHOTO_ALT_MAX);
    for (const file of photos) {
      await event.fetch(`/api/posts/${id}/photos?alt=${encodeURIComponent(alt)}`, {
        method: 'POST',
        headers: { 'content-type': file.type || 'application/octet-stream' },
        body: await file.arrayBuffer(),
      });
    }
    redirect(303, `/posts/${id}${photos.length ? '#photos' : ''}`);
  },
};
