import { redirect } from '@sveltejs/kit';
import { unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, text } from '$lib/server/forms';
import { ACTION_REASONS } from '$lib/moderation';
import type { Actions, PageServerLoad } from './$types';

// Moderator home: my regions on a map, the queue of open reports there and the appeals waiting for a decision.
export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const api = serverApi(event);
  const me = await unwrap(api.GET('/api/moderation/me'));
  if (!me.isAdmin && me.roles.length === 0) return { me, queue: null, appeals: null };
  const [queue, appeals] = await Promise.all([
    unwrap(api.GET('/api/moderation/queue', { params: { query: {} } })),
    unwrap(api.GET('/api/moderation/appeals', { params: { query: {} } })),
  ]);
  return { me, queue, appeals };
};

export const actions: Actions = {
  decide: async (event) => {
    const form = await event.request.formData();
    const values = {
      appealId: text(form, 'appealId'),
      outcome: text(form, 'outcome'),
      reasonCategory: text(form, 'reasonCategory'),
      reasonText: text(form, 'reasonText').trim(),
    };
    const errors: Record<string, string> = {};
    if (values.outcome !== 'granted' && values.outcome !== 'denied') errors.outcome = 'Grant or deny the appeal.';
    if (!(ACTION_REASONS as readonly string[]).includes(values.reasonCategory)) errors.reasonCategory = 'Choose a reason.';
    if (!values.reasonText) errors.reasonText = 'Say why — the author reads it.';
    if (Object.keys(errors).length) return failWith(400, values, errors);
    try {
      await unwrap(
        serverApi(event).POST('/api/moderation/appeals/{id}/decision', {
          params: { path: { id: values.appealId } },
          body: {
            outcome: values.outcome as 'granted' | 'denied',
            reasonCategory: values.reasonCategory as (typeof ACTION_REASONS)[number],
            reasonText: values.reasonText,
          },
        }),
      );
    } catch (err) {
      return failFromApi(err, values);
    }
    return { decided: values.appealId };
  },
};
