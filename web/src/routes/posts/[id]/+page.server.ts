import { error, fail, redirect } from '@sveltejs/kit';
import { ApiError, REACTION_KINDS, unwrap, type ReactionKind } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, text } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';
import { COMMENT_MAX, PHOTO_ALT_MAX, PHOTO_UPLOAD_MAX_BYTES, REPORT_REASONS, REPORT_TEXT_MAX, RSVP_STATUSES } from '$contract';

export const load: PageServerLoad = async (event) => {
  const id = event.params.id;
  if (!/^[1-9][0-9]{0,17}$/.test(id)) error(404, { message: 'There is no such post.' });
  const api = serverApi(event);
  try {
    const [post, comments] = await Promise.all([
      unwrap(api.GET('/api/posts/{id}', { params: { path: { id } } })),
      unwrap(api.GET('/api/posts/{id}/comments', { params: { path: { id }, query: {} } })).catch(() => null),
    ]);
    return { post, comments, renderedAt: Date.now(), origin: event.url.origin };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
      error(404, { message: 'This post does not exist, was removed, or is not visible to you.' });
    }
    error(503, { message: err instanceof ApiError ? err.message : 'The post could not be loaded.' });
  }
};

export const actions: Actions = {
  comment: async (event) => {
    const form = await event.request.formData();
    const values = { body: text(form, 'body').trim() };
    if (!values.body) return failWith(400, values, { body: 'Write something first.' });
    if (values.body.length > COMMENT_MAX) return failWith(400, values, { body: `Keep comments to ${COMMENT_MAX} characters.` });
    try {
      await unwrap(serverApi(event).POST('/api/posts/{id}/comments', { params: { path: { id: event.params.id } }, body: values }));
    } catch (err) {
      return failFromApi(err, values);
    }
    return { commented: true };
  },

  react: async (event) => {
    const form = await event.request.formData();
    // One button per reaction: value "<kind>:1" adds it, "<kind>:0" takes it back.
    const [kind, flag] = text(form, 'toggle').split(':') as [ReactionKind, string | undefined];
    if (!REACTION_KINDS.includes(kind)) return fail(400, { reactionError: 'Unknown reaction.' });
    const on = flag === '1';
    const api = serverApi(event);
    const params = { path: { id: event.params.id, kind } };
    try {
      const state = await unwrap(
        on ? api.PUT('/api/posts/{id}/reactions/{kind}', { params }) : api.DELETE('/api/posts/{id}/reactions/{kind}', { params }),
      );
      return { reactions: state };
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) redirect(303, `/login?next=/posts/${event.params.id}`);
      return fail(err instanceof ApiError ? err.status : 503, { reactionError: err instanceof ApiError ? err.message : 'Try again.' });
    }
  },

  // issue 12: polls, RSVPs, photos
  vote: async (event) => {
    const form = await event.request.formData();
    const api = serverApi(event);
    const params = { path: { id: event.params.id } };
    const retract = text(form, 'retract') === '1';
    const option = Number(text(form, 'option'));
    if (!retract && (!text(form, 'option') || !Number.isInteger(option))) return fail(400, { pollError: 'Choose an option first.' });
    try {
      await unwrap(retract ? api.DELETE('/api/posts/{id}/vote', { params }) : api.PUT('/api/posts/{id}/vote', { params, body: { option } }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) redirect(303, `/login?next=/posts/${event.params.id}`);
      return fail(err instanceof ApiError ? err.status : 503, { pollError: err instanceof ApiError ? err.message : 'Try again.' });
    }
    return { voted: true };
  },

  rsvp: async (event) => {
    const form = await event.request.formData();
    const status = text(form, 'status');
    const api = serverApi(event);
    const params = { path: { id: event.params.id } };
    try {
      if (status === 'none') await unwrap(api.DELETE('/api/posts/{id}/rsvp', { params }));
      else if ((RSVP_STATUSES as readonly string[]).includes(status))
        await unwrap(api.PUT('/api/posts/{id}/rsvp', { params, body: { status: status as 'going' | 'maybe' } }));
      else return fail(400, { rsvpError: 'Choose going or maybe.' });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) redirect(303, `/login?next=/posts/${event.params.id}`);
      return fail(err instanceof ApiError ? err.status : 503, { rsvpError: err instanceof ApiError ? err.message : 'Try again.' });
    }
    return { rsvped: true };
  },

  /** Without JavaScript (with it, the page uploads straight to the API: no form-size limit in between). */
  addPhoto: async (event) => {
    const form = await event.request.formData();
    const file = form.get('photo');
    const alt = text(form, 'alt').trim().slice(0, PHOTO_ALT_MAX);
    if (!(file instanceof File) || file.size === 0) return fail(400, { photoError: 'Choose a photo first.' });
    if (file.size > PHOTO_UPLOAD_MAX_BYTES) return fail(422, { photoError: 'This photo is too large.' });
    const res = await event.fetch(`/api/posts/${event.params.id}/photos?alt=${encodeURIComponent(alt)}`, {
      method: 'POST',
      headers: { 'content-type': file.type || 'application/octet-stream' },
      body: await file.arrayBuffer(),
    });
    if (!res.ok) {
      const problem = (await res.json().catch(() => null)) as { detail?: string } | null;
      return fail(res.status >= 500 ? 503 : res.status, { photoError: problem?.detail ?? 'The photo could not be added.' });
    }
    return { photoAdded: true };
  },

  removePhoto: async (event) => {
    const form = await event.request.formData();
    const photoId = text(form, 'photoId');
    try {
      await unwrap(serverApi(event).DELETE('/api/posts/{id}/photos/{photoId}', { params: { path: { id: event.params.id, photoId } } }));
    } catch (err) {
      return fail(err instanceof ApiError ? err.status : 503, { photoError: err instanceof ApiError ? err.message : 'Try again.' });
    }
    return { photoRemoved: true };
  },

  // moderation (issue 11): anyone signed in reports a post or a comment with a reason
  report: async (event) => {
    const form = await event.request.formData();
    const values = {
      reason: text(form, 'reason'),
      text: text(form, 'text').trim(),
      targetKind: text(form, 'targetKind'),
      targetId: text(form, 'targetId'),
    };
    const reason = values.reason as (typeof REPORT_REASONS)[number];
    if (!REPORT_REASONS.includes(reason)) return failWith(400, { form: 'report', ...values }, { reason: 'Choose a reason.' });
    if (values.text.length > REPORT_TEXT_MAX)
      return failWith(400, { form: 'report', ...values }, { text: `Keep it to ${REPORT_TEXT_MAX} characters.` });
    const targetKind = values.targetKind === 'comment' ? 'comment' : 'post';
    const targetId = targetKind === 'comment' ? values.targetId : event.params.id;
    try {
      await unwrap(serverApi(event).POST('/api/reports', { body: { targetKind, targetId, reason, ...(values.text ? { text: values.text } : {}) } }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) redirect(303, `/login?next=/posts/${event.params.id}`);
      return failFromApi(err, { form: 'report', ...values });
    }
    return { reported: true };
  },

  delete: async (event) => {
    // without JavaScript there was no dialog: ask on the page first
    if (text(await event.request.formData(), 'confirmed') !== 'yes') return { confirmDelete: true };
    try {
      await unwrap(serverApi(event).DELETE('/api/posts/{id}', { params: { path: { id: event.params.id } } }));
    } catch (err) {
      return fail(err instanceof ApiError ? err.status : 503, { deleteError: err instanceof ApiError ? err.message : 'Try again.' });
    }
    redirect(303, '/?deleted=1');
  },
};
