import { error, redirect } from '@sveltejs/kit';
import { MESSAGE_MAX, REPORT_REASONS, REPORT_TEXT_MAX } from '$contract';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, text } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

// One conversation (issue 13): read as me, or as my shop's owner/staff. Opening it marks it read.
export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const api = serverApi(event);
  const path = { params: { path: { id: event.params.id } } };
  try {
    const conversation = await unwrap(api.GET('/api/conversations/{id}', { params: { path: { id: event.params.id }, query: {} } }));
    await unwrap(api.POST('/api/conversations/{id}/read', path)).catch(() => undefined);
    return { conversation, renderedAt: Date.now() };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) error(404, 'This conversation does not exist.');
    throw err;
  }
};

type Reason = (typeof REPORT_REASONS)[number];

export const actions: Actions = {
  send: async (event) => {
    const body = text(await event.request.formData(), 'body').slice(0, MESSAGE_MAX + 1);
    if (!body.trim()) return failWith(422, { form: 'send', body }, { body: 'Write a message.' });
    try {
      await unwrap(serverApi(event).POST('/api/conversations/{id}/messages', { params: { path: { id: event.params.id } }, body: { body } }));
    } catch (err) {
      return failFromApi(err, { form: 'send', body });
    }
    return { sent: true };
  },

  /** Report one message I received: moderators see that message only. */
  report: async (event) => {
    const form = await event.request.formData();
    const messageId = text(form, 'messageId');
    const reason = text(form, 'reason') as Reason;
    const note = text(form, 'text').trim();
    const values = { form: 'report', messageId };
    if (!/^[1-9][0-9]{0,17}$/.test(messageId)) return failWith(400, values, {}, 'Unknown message.');
    if (!REPORT_REASONS.includes(reason)) return failWith(400, values, { reason: 'Choose a reason.' });
    if (note.length > REPORT_TEXT_MAX) return failWith(400, values, { text: `Keep it to ${REPORT_TEXT_MAX} characters.` });
    try {
      await unwrap(
        serverApi(event).POST('/api/reports', { body: { targetKind: 'message', targetId: messageId, reason, ...(note ? { text: note } : {}) } }),
      );
    } catch (err) {
      return failFromApi(err, values);
    }
    return { reported: messageId };
  },
};
