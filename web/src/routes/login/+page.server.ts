import { redirect } from '@sveltejs/kit';
import { unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, safeNext, signedOutLoad, text } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => signedOutLoad(event);

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = { login: text(form, 'login').trim() };
    const password = text(form, 'password');
    const errors: Record<string, string> = {};
    if (!values.login) errors.login = 'Enter your handle or email.';
    if (!password) errors.password = 'Enter your password.';
    if (Object.keys(errors).length) return failWith(400, values, errors);
    try {
      await unwrap(serverApi(event).POST('/api/auth/login', { body: { login: values.login, password } }));
    } catch (err) {
      return failFromApi(err, values);
    }
    redirect(303, safeNext(text(form, 'next')));
  },
};
