import { redirect } from '@sveltejs/kit';
import { unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, text } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ parent, url }) => {
  const { user } = await parent();
  if (!user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
  return { welcome: url.searchParams.has('welcome'), passwordReset: url.searchParams.get('password') === 'reset' };
};

const PRECISIONS = ['7', '8', '9'] as const;

export const actions: Actions = {
  profile: async (event) => {
    const form = await event.request.formData();
    const values = {
      displayName: text(form, 'displayName').trim(),
      defaultPrecision: text(form, 'defaultPrecision'),
      whoCanReply: text(form, 'whoCanReply'),
    };
    const errors: Record<string, string> = {};
    if (!values.displayName) errors.displayName = 'Your display name cannot be empty.';
    if (!(PRECISIONS as readonly string[]).includes(values.defaultPrecision)) errors.defaultPrecision = 'Choose how precisely posts are placed.';
    if (values.whoCanReply !== 'everyone' && values.whoCanReply !== 'neighbors') errors.whoCanReply = 'Choose who may reply.';
    if (Object.keys(errors).length) return failWith(400, { form: 'profile', ...values }, errors);
    try {
      await unwrap(
        serverApi(event).PATCH('/api/me', {
          body: {
            displayName: values.displayName,
            settings: {
              defaultPrecision: Number(values.defaultPrecision) as 7 | 8 | 9,
              whoCanReply: values.whoCanReply as 'everyone' | 'neighbors',
            },
          },
        }),
      );
    } catch (err) {
      return failFromApi(err, { form: 'profile', ...values });
    }
    return { saved: 'profile' as const };
  },

  home: async (event) => {
    const form = await event.request.formData();
    const lat = Number(text(form, 'lat'));
    const lon = Number(text(form, 'lon'));
    const values = { form: 'home', lat: text(form, 'lat'), lon: text(form, 'lon') };
    if (!text(form, 'lat') || !Number.isFinite(lat) || !Number.isFinite(lon)) {
      return failWith(400, values, { home: 'Choose a point on the map first.' });
    }
    try {
      await unwrap(serverApi(event).PUT('/api/me/home', { body: { lat, lon } }));
    } catch (err) {
      return failFromApi(err, values);
    }
    return { saved: 'home' as const };
  },

  // --- issue 13: email ---
  resendVerification: async (event) => {
    try {
      await unwrap(serverApi(event).POST('/api/me/email/verification'));
    } catch (err) {
      return failFromApi(err, { form: 'email' });
    }
    return { saved: 'verification' as const };
  },

  changeEmail: async (event) => {
    const form = await event.request.formData();
    const values = { form: 'email', email: text(form, 'email').trim() };
    const password = text(form, 'password');
    const errors: Record<string, string> = {};
    if (!values.email.includes('@')) errors.email = 'Enter a valid email address.';
    if (!password) errors.password = 'Enter your current password.';
    if (Object.keys(errors).length) return failWith(400, values, errors);
    try {
      await unwrap(serverApi(event).PUT('/api/me/email', { body: { email: values.email, password } }));
    } catch (err) {
      return failFromApi(err, values);
    }
    return { saved: 'email' as const };
  },

  digest: async (event) => {
    const form = await event.request.formData();
    try {
      await unwrap(serverApi(event).PATCH('/api/me', { body: { settings: { dailyDigest: form.get('dailyDigest') === 'on' } } }));
    } catch (err) {
      return failFromApi(err, { form: 'digest' });
    }
    return { saved: 'digest' as const };
  },
};
