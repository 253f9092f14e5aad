import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { ApiError, unwrap } from '$lib/api/client';
import { serverApi } from './api';

// Follow, mute, block (issue 13): the form actions the profile, shop and settings pages share. Each is one PUT (set) or
// DELETE (lift) on the API; signed out, the visitor is sent to sign in and brought back.

export type PersonChoice = 'follow' | 'mute' | 'block';

const HANDLE = /^[A-Za-z0-9_]{3,30}$/;

async function send(event: RequestEvent, call: () => Promise<unknown>, handle: string) {
  try {
    await unwrap(call() as Promise<{ data?: unknown; error?: unknown; response: Response }>);
    return null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) redirect(303, `/login?next=${encodeURIComponent(event.url.pathname)}`);
    const message = err instanceof ApiError && err.status < 500 ? err.message : 'That did not work right now. Please try again.';
    return fail(err instanceof ApiError && err.status < 500 ? err.status : 503, { handle, message });
  }
}

/** Sets (`on`) or lifts a choice about a person, by handle from the form or the route. */
export async function choosePerson(event: RequestEvent, what: PersonChoice, on: boolean, handle: string) {
  if (!HANDLE.test(handle)) return fail(400, { handle, message: 'There is nobody with that name here.' });
  const api = serverApi(event);
  const path = { params: { path: { handle } } };
  const calls = {
    follow: () => (on ? api.PUT('/api/users/{handle}/follow', path) : api.DELETE('/api/users/{handle}/follow', path)),
    mute: () => (on ? api.PUT('/api/users/{handle}/mute', path) : api.DELETE('/api/users/{handle}/mute', path)),
    block: () => (on ? api.PUT('/api/users/{handle}/block', path) : api.DELETE('/api/users/{handle}/block', path)),
  };
  return (await send(event, calls[what], handle)) ?? { done: `${on ? '' : 'un'}${what}`, handle };
}

/** Follows or unfollows a shop. */
export async function chooseShop(event: RequestEvent, id: string, on: boolean) {
  const api = serverApi(event);
  const path = { params: { path: { id } } };
  const failed = await send(event, () => (on ? api.PUT('/api/merchants/{id}/follow', path) : api.DELETE('/api/merchants/{id}/follow', path)), '');
  return failed ?? { done: on ? 'follow' : 'unfollow', handle: '' };
}
