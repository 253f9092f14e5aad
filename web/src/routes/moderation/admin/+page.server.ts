import { error, redirect } from '@sveltejs/kit';
import { unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, text } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

// Administrators appoint moderators and leads per region.
export const load: PageServerLoad = async (event) => {
  const { user } = await event.parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
  const api = serverApi(event);
  const me = await unwrap(api.GET('/api/moderation/me'));
  if (!me.isAdmin) error(403, { message: 'Only administrators appoint moderators.' });
  const [roles, regions] = await Promise.all([
    unwrap(api.GET('/api/moderation/roles', { params: { query: {} } })),
    unwrap(api.GET('/api/regions', { params: { query: {} } })),
  ]);
  return { roles: roles.items, regions: regions.items };
};

export const actions: Actions = {
  appoint: async (event) => {
    const form = await event.request.formData();
    const values = { region: text(form, 'region'), handle: text(form, 'handle').trim().replace(/^@/, ''), role: text(form, 'role') };
    const errors: Record<string, string> = {};
    if (!values.region) errors.region = 'Choose a region.';
    if (!/^[A-Za-z0-9_]{3,30}$/.test(values.handle)) errors.handle = 'Enter the person’s handle.';
    if (values.role !== 'moderator' && values.role !== 'lead') errors.role = 'Choose a role.';
    if (Object.keys(errors).length) return failWith(400, values, errors);
    try {
      await unwrap(
        serverApi(event).PUT('/api/moderation/roles', {
          body: { region: values.region, handle: values.handle, role: values.role as 'moderator' | 'lead' },
        }),
      );
    } catch (err) {
      return failFromApi(err, values);
    }
    return { appointed: values.handle };
  },
  remove: async (event) => {
    const form = await event.request.formData();
    const values = { region: text(form, 'region'), handle: text(form, 'handle') };
    try {
      await unwrap(serverApi(event).DELETE('/api/moderation/roles/{region}/{handle}', { params: { path: values } }));
    } catch (err) {
      return failFromApi(err, values);
    }
    return { removed: values.handle };
  },
};
