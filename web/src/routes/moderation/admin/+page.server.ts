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
  // Region import: the file goes to the API as GeoJSON (all or nothing there); errors come back per feature.
  import: async (event) => {
    const form = await event.request.formData();
    const file = form.get('file');
    if (!(file instanceof File) || file.size === 0) return failWith(400, { form: 'import' }, { file: 'Choose a GeoJSON file.' });
    const response = await event.fetch(`${event.url.origin}/api/regions/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/geo+json' },
      body: await file.text(),
    });
    const result = (await response.json().catch(() => null)) as {
      imported?: { slug: string; created: boolean; cells: number; madeValid: boolean }[];
      detail?: string;
      errors?: { field: string; message: string }[];
    } | null;
    if (!response.ok || !result?.imported) {
      const lines = (result?.errors ?? []).map((e) => `${e.field}: ${e.message}`);
      return failWith(
        response.status >= 500 ? 503 : response.status,
        { form: 'import' },
        { file: lines.join(' · ') || 'Import failed.' },
        result?.detail ?? 'Nothing was imported.',
      );
    }
    return { imported: result.imported };
  },

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
