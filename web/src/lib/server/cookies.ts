import type { Cookies } from '@sveltejs/kit';
import { parseSetCookie } from 'set-cookie-parser';

type CookieOptions = Parameters<Cookies['set']>[2];

/** The Set-Cookie headers of an API response as the arguments of SvelteKit's `cookies.set`. */
export function parseSetCookies(headers: string[]): { name: string; value: string; options: CookieOptions }[] {
  // decodeValues: false — the API already encoded the value; SvelteKit must not encode it again either.
  return parseSetCookie(headers, { decodeValues: false }).map((c) => ({
    name: c.name,
    value: c.value,
    options: {
      path: c.path || '/',
      domain: c.domain,
      maxAge: c.maxAge,
      expires: c.expires,
      httpOnly: c.httpOnly ?? false,
      secure: c.secure ?? false,
      sameSite: (c.sameSite?.toLowerCase() as 'lax' | 'strict' | 'none' | undefined) ?? 'lax',
      encode: (value: string) => value,
    },
  }));
}

/** Serialises the cookies of this request (including ones set earlier in it) for a Cookie header. */
export function cookieHeader(cookies: Cookies): string {
  return cookies
    .getAll({ decode: (value: string) => value })
    .map(({ name, value }) => `${name}=${value}`)
    .join('; ');
}
