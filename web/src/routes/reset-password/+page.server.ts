import { redirect } from '@sveltejs/kit';
import { unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, text } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

// issue 13: email — the link in the password-reset mail: a form for the new password. The token is used only when the
// form is sent (a mail scanner opening the link uses nothing up); every other session of the account ends then.
const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;

export const load: PageServerLoad = ({ url }) => {
  const token = url.searchParams.get('token') ?? '';
  return { token: TOKEN.test(token) ? token : null };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const token = text(form, 'token');
    const password = text(form, 'password');
    const repeat = text(form, 'repeat');
    const values = {};
    const errors: Record<string, string> = {};
    if (password.length < 10) errors.password = 'Use at least 10 characters.';
    else if (password !== repeat) errors.repeat = 'The two passwords differ.';
    if (!TOKEN.test(token)) return failWith(400, values, {}, 'This link is incomplete. Ask for a new one.');
    if (Object.keys(errors).length) return failWith(400, values, errors);
    try {
      await unwrap(serverApi(event).POST('/api/auth/password-reset/confirm', { body: { token, password } }));
    } catch (err) {
      const failed = failFromApi(err, values);
      if ('token' in failed.data.errors) failed.data.message = 'This link is invalid, was used already or has expired. Ask for a new one.';
      return failed;
    }
    redirect(303, '/me?password=reset');
  },
};
