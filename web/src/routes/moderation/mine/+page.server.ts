import { redirect } from '@sveltejs/kit';
import { unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, text } from '$lib/server/forms';
import { APPEAL_TEXT_MAX } from '$contract';
import type { Actions, PageServerLoad } from './$types';

// What moderators did to my posts and comments, and my appeals with their outcome.
export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  return { mine: await unwrap(serverApi(event).GET('/api/moderation/mine')) };
};

export const actions: Actions = {
  appeal: async (event) => {
    const form = await event.request.formData();
    const values = { actionId: text(form, 'actionId'), text: text(form, 'text').trim() };
    if (!values.text) return failWith(400, values, { text: 'Tell the moderators why they should look again.' });
    if (values.text.length > APPEAL_TEXT_MAX) return failWith(400, values, { text: `Keep it to ${APPEAL_TEXT_MAX} characters.` });
    try {
      await unwrap(
        serverApi(event).POST('/api/moderation/actions/{id}/appeal', { params: { path: { id: values.actionId } }, body: { text: values.text } }),
      );
    } catch (err) {
      return failFromApi(err, values);
    }
    return { appealed: values.actionId };
  },
};
