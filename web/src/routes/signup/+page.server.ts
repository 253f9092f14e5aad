import { redirect } from '@sveltejs/kit';
import { unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, safeNext, signedOutLoad, text } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => signedOutLoad(event);

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = {
      handle: text(form, 'handle').trim(),
      displayName: text(form, 'displayName').trim(),
      email: text(form, 'email').trim(),
    };
    const password = text(form, 'password');
    // Quick checks here save a round trip; the API's validation is the authority.
    const errors: Record<string, string> = {};
    if (!/^[A-Za-z0-9_]{3,30}$/.test(values.handle)) errors.handle = 'Use 3–30 letters, digits or underscores.';
    if (!values.displayName) errors.displayName = 'Tell your neighbours what to call you.';
    if (!values.email.includes('@')) errors.email = 'Enter a valid email address.';
    if (password.length < 10) errors.password = 'Use at least 10 characters.';
    if (Object.keys(errors).length) return failWith(400, values, errors);
    try {
      await unwrap(serverApi(event).POST('/api/auth/register', { body: { ...values, password } }));
    } catch (err) {
      return failFromApi(err, values);
    }
    // New accounts set their home next: the board and the default post location start there.
    redirect(303, safeNext(text(form, 'next'), '/me?welcome=1'));
  },
};
