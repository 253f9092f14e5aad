import { serverApi } from '$lib/server/api';
import type { PageServerLoad } from './$types';

// issue 13: email — the link in the verification mail. Opening it confirms the address (the token is single-use and
// only proves that whoever opened it could read that mailbox, which is what confirming means); no session is needed.
export const load: PageServerLoad = async (event) => {
  const token = event.url.searchParams.get('token') ?? '';
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) {
    return {
      outcome: 'invalid' as const,
      message: 'This link is incomplete. Open the whole link from the mail, or ask for a new one on your account page.',
    };
  }
  const { data, error, response } = await serverApi(event).POST('/api/auth/verify-email', { body: { token } });
  if (data) return { outcome: data.status, message: null };
  if (response.status === 409) return { outcome: 'taken' as const, message: error?.detail ?? 'Another account confirmed this address first.' };
  if (response.status >= 500)
    return { outcome: 'error' as const, message: 'The server could not confirm your address right now. Please open the link again shortly.' };
  return { outcome: 'invalid' as const, message: 'This link is invalid, was used already or has expired. Ask for a new one on your account page.' };
};
