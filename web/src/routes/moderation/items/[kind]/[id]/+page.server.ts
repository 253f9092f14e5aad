import { error, redirect } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, text } from '$lib/server/forms';
import { ACTION_REASONS, MODERATION_ACTIONS } from '$lib/moderation';
import { SUSPEND_HOURS_MAX } from '$contract';
import type { Actions, PageServerLoad } from './$types';

// issue 13: a reported message is an item too
type Kind = 'post' | 'comment' | 'message';
const ID = /^[1-9][0-9]{0,17}$/;

function target(params: { kind: string; id: string }): { kind: Kind; id: string } {
  if ((params.kind !== 'post' && params.kind !== 'comment' && params.kind !== 'message') || !ID.test(params.id))
    error(404, { message: 'There is no such item.' });
  return { kind: params.kind, id: params.id };
}

// One item as its moderators see it (edit history, earlier actions, open reports) with the action form.
export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const { kind, id } = target(event.params);
  try {
    const api = serverApi(event);
    const item = await unwrap(api.GET('/api/moderation/items/{kind}/{id}', { params: { path: { kind, id } } }));
    const cell = item.slowModeCell; // null for a message: it is in no area
    const slowMode = cell ? await unwrap(api.GET('/api/cells/{cell}/slow-mode', { params: { path: { cell } } })).catch(() => null) : null;
    return { item, slowMode };
  } catch (err) {
    // out of my regions looks exactly like missing
    if (err instanceof ApiError && err.status === 404) error(404, { message: 'There is no such item in your regions.' });
    error(503, { message: err instanceof ApiError ? err.message : 'The item could not be loaded.' });
  }
};

export const actions: Actions = {
  // slow mode for the area around the post: one post per person per N minutes
  slowMode: async (event) => {
    const { kind, id } = target(event.params);
    const form = await event.request.formData();
    const values = {
      cell: text(form, 'cell'),
      minutes: text(form, 'minutes'),
      hours: text(form, 'hours'),
      reasonText: text(form, 'reasonText').trim(),
      lift: text(form, 'lift'),
    };
    const api = serverApi(event);
    const params = { path: { cell: values.cell } };
    try {
      if (values.lift) {
        await unwrap(api.DELETE('/api/moderation/cells/{cell}/slow-mode', { params }));
      } else {
        const minutes = Number(values.minutes);
        const hours = Number(values.hours);
        const errors: Record<string, string> = {};
        if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) errors.minutes = 'Between 1 and 1440 minutes.';
        if (!Number.isInteger(hours) || hours < 1 || hours > 336) errors.hours = 'Between 1 and 336 hours.';
        if (!values.reasonText) errors.slowReason = 'Say why.';
        if (Object.keys(errors).length) return failWith(400, { form: 'slowMode', ...values }, errors);
        await unwrap(api.PUT('/api/moderation/cells/{cell}/slow-mode', { params, body: { minutes, hours, reasonText: values.reasonText } }));
      }
    } catch (err) {
      return failFromApi(err, { form: 'slowMode', ...values });
    }
    redirect(303, `/moderation/items/${kind}/${id}`);
  },

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
