import { error, redirect } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, text } from '$lib/server/forms';
import { ACTION_REASONS, MODERATION_ACTIONS } from '$lib/moderation';
import { SUSPEND_HOURS_MAX } from '$contract';
import type { Actions, PageServerLoad } from './$types';

type Kind = 'post' | 'comment';
const ID = /^[1-9][0-9]{0,17}$/;

function target(params: { kind: string; id: string }): { kind: Kind; id: string } {
  if ((params.kind !== 'post' && params.kind !== 'comment') || !ID.test(params.id)) error(404, { message: 'There is no such item.' });
  return { kind: params.kind, id: params.id };
}

// One item as its moderators see it (edit history, earlier actions, open reports) with the action form.
export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const { kind, id } = target(event.params);
  try {
    const item = await unwrap(serverApi(event).GET('/api/moderation/items/{kind}/{id}', { params: { path: { kind, id } } }));
    return { item };
  } catch (err) {
    // out of my regions looks exactly like missing
    if (err instanceof ApiError && err.status === 404) error(404, { message: 'There is no such item in your regions.' });
    error(503, { message: err instanceof ApiError ? err.message : 'The item could not be loaded.' });
  }
};

export const actions: Actions = {
  act: async (event) => {
    const { kind, id } = target(event.params);
    const form = await event.request.formData();
    const values = {
      action: text(form, 'action'),
      reasonCategory: text(form, 'reasonCategory'),
      reasonText: text(form, 'reasonText').trim(),
      suspendHours: text(form, 'suspendHours'),
    };
    const errors: Record<string, string> = {};
    const action = values.action as (typeof MODERATION_ACTIONS)[number];
    if (!MODERATION_ACTIONS.includes(action)) errors.action = 'Choose an action.';
    const reasonCategory = values.reasonCategory as (typeof ACTION_REASONS)[number];
    if (!ACTION_REASONS.includes(reasonCategory)) errors.reasonCategory = 'Choose a reason.';
    if (!values.reasonText) errors.reasonText = 'Explain the decision — the author and the log will show it.';
    const hours = Number(values.suspendHours);
    if (action === 'suspend' && !(Number.isInteger(hours) && hours >= 1 && hours <= SUSPEND_HOURS_MAX)) {
      errors.suspendHours = `Suspend for 1 to ${SUSPEND_HOURS_MAX} hours.`;
    }
    if (Object.keys(errors).length) return failWith(400, values, errors);
    try {
      await unwrap(
        serverApi(event).POST('/api/moderation/items/{kind}/{id}/actions', {
          params: { path: { kind, id } },
          body: { action, reasonCategory, reasonText: values.reasonText, ...(action === 'suspend' ? { suspendHours: hours } : {}) },
        }),
      );
    } catch (err) {
      return failFromApi(err, values);
    }
    return { done: action };
  },
};
