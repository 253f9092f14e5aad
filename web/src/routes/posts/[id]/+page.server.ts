import { error, fail, redirect } from '@sveltejs/kit';
import { ApiError, REACTION_KINDS, unwrap, type ReactionKind } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, text } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';
import { COMMENT_MAX } from '$contract';

export const load: PageServerLoad = async (event) => {
  const id = event.params.id;
  if (!/^[1-9][0-9]{0,17}$/.test(id)) error(404, { message: 'There is no such post.' });
  const api = serverApi(event);
  try {
    const [post, comments] = await Promise.all([
      unwrap(api.GET('/api/posts/{id}', { params: { path: { id } } })),
      unwrap(api.GET('/api/posts/{id}/comments', { params: { path: { id }, query: {} } })).catch(() => null),
    ]);
    return { post, comments, renderedAt: Date.now() };
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
