import type { Cookies } from '@sveltejs/kit';

type CookieOptions = Parameters<Cookies['set']>[2];

/** Parses one Set-Cookie header into the arguments of SvelteKit's `cookies.set`. */
export function parseSetCookie(header: string): { name: string; value: string; options: CookieOptions } | null {
  const [pair, ...attributes] = header.split(';');
  const eq = pair?.indexOf('=') ?? -1;
  if (!pair || eq <= 0) return null;
  const options: CookieOptions = {
    path: '/',
    httpOnly: false,
    secure: false,
    sameSite: 'lax',
    // The API already encoded the value; SvelteKit must not encode it again.
    encode: (value: string) => value
  };
  for (const attribute of attributes) {
    const [rawKey, ...rest] = attribute.trim().split('=');
    const key = rawKey?.toLowerCase();
    const value = rest.join('=');
    if (key === 'path') options.path = value || '/';
    else if (key === 'domain') options.domain = value;
    else if (key === 'max-age') options.maxAge = Number(value);
    else if (key === 'expires') options.expires = new Date(value);
    else if (key === 'httponly') options.httpOnly = true;
    else if (key === 'secure') options.secure = true;
    else if (key === 'samesite') options.sameSite = value.toLowerCase() as 'lax' | 'strict' | 'none';
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), options };
}

/** Serialises the cookies of this request (including ones set earlier in it) for a Cookie header. */
export function cookieHeader(cookies: Cookies): string {
  return cookies
    .getAll({ decode: (value: string) => value })
    .map(({ name, value }) => `${name}=${value}`)
    .join('; ');
}
