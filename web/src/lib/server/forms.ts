import { fail, redirect } from '@sveltejs/kit';
import { ApiError } from '$lib/api/client';
import { safeNext } from '$lib/safe-next';

export interface FormState<V> {
  values: V;
  errors: Record<string, string>;
  message: string | null;
}

/** Turns a failed API call into `fail()` data for the form: field errors next to fields, the rest on top. */
export function failFromApi<V>(err: unknown, values: V) {
  if (err instanceof ApiError) {
    const errors = err.fieldErrors;
    const message = Object.keys(errors).length ? 'Please check the highlighted fields.' : err.message;
    return fail(err.status >= 500 ? 503 : err.status, { values, errors, message } satisfies FormState<V>);
  }
  return fail(503, { values, errors: {}, message: 'The server could not be reached. Please try again.' } satisfies FormState<V>);
}

export function failWith<V>(status: number, values: V, errors: Record<string, string>, message = 'Please check the highlighted fields.') {
  return fail(status, { values, errors, message } satisfies FormState<V>);
}

/** Only same-site paths are followed after sign-in (no open redirects); see $lib/safe-next. */
export { safeNext } from '$lib/safe-next';

/**
 * Load for the sign-in and sign-up pages: someone already signed in goes straight on to `next`;
 * otherwise the page gets `next` to carry through its form.
 */
export async function signedOutLoad({ parent, url }: { parent: () => Promise<{ user: unknown }>; url: URL }) {
  const { user } = await parent();
  if (user) redirect(303, safeNext(url.searchParams.get('next')));
  return { next: safeNext(url.searchParams.get('next'), '') };
}

export const text = (form: FormData, name: string): string => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};
