import { unwrap } from '$lib/api/client';
import { serverApi } from '$lib/server/api';
import { failFromApi, failWith, text } from '$lib/server/forms';
import type { Actions } from './$types';

// issue 13: email — ask for a password-reset link. The answer is the same whether or not an account uses the address.
export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    const values = { email: text(form, 'email').trim() };
    if (!values.email.includes('@')) return failWith(400, values, { email: 'Enter the email address of your account.' });
    try {
      const answer = await unwrap(serverApi(event).POST('/api/auth/password-reset', { body: { email: values.email } }));
      return { sent: answer.message };
    } catch (err) {
      return failFromApi(err, values);
    }
  },
};
