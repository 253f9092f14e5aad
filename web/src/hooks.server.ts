import type { Handle, HandleFetch, RequestEvent } from '@sveltejs/kit';
import type { IncomingMessage } from 'node:http';
import { env } from '$env/dynamic/private';
import { cookieHeader, parseSetCookies } from '$lib/server/cookies';

/**
 * Where server-side code reaches the API. In production the web handler is mounted inside the API's
 * Express server, so by default we call the very socket this request came in on (no configuration,
 * works with any PORT). API_INTERNAL_ORIGIN overrides it (web and API as separate processes, `vite dev`).
 */
function internalApiOrigin(event: RequestEvent): string {
  if (env.API_INTERNAL_ORIGIN) return env.API_INTERNAL_ORIGIN;
  const socket = (event.platform as { req?: IncomingMessage } | undefined)?.req?.socket;
  if (socket?.localPort) {
    const address = (socket.localAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    return `http://${address.includes(':') ? `[${address}]` : address}:${socket.localPort}`;
  }
  return env.API_ORIGIN || 'http://127.0.0.1:3000';
}

/**
 * SSR and form actions call `/api/...` on their own origin through event.fetch. SvelteKit would answer
 * such same-origin URLs itself (and 404, as /api is not a SvelteKit route), so they are sent to the
 * API over loopback instead, as the visitor: their cookies, their address, the public host and origin
 * (so the API's same-origin check and rate limits see what the browser would have sent). The API must
 * trust X-Forwarded-* from loopback only (Express `trust proxy` = 'loopback').
 */
export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const url = new URL(request.url);
  if (url.origin !== event.url.origin || !url.pathname.startsWith('/api/')) return fetch(request);

  const headers = new Headers(request.headers);
  const cookies = cookieHeader(event.cookies);
  if (cookies) headers.set('cookie', cookies);
  else headers.delete('cookie');
  headers.set('x-forwarded-host', event.url.host);
  headers.set('x-forwarded-proto', event.url.protocol.slice(0, -1));
  try {
    headers.set('x-forwarded-for', event.getClientAddress());
  } catch {
    // Not every environment knows the client address (e.g. prerendering); the API then sees loopback.
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  if (hasBody) headers.set('origin', event.url.origin);

  const response = await fetch(
    new Request(new URL(url.pathname + url.search, internalApiOrigin(event)), {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      redirect: 'manual',
      signal: request.signal,
    }),
  );
  // Session cookies set or cleared by the API (login, logout, renewal) go back to the browser.
  for (const cookie of parseSetCookies(response.headers.getSetCookie())) event.cookies.set(cookie.name, cookie.value, cookie.options);
  return response;
};

/** Origins a custom base map (MAP_STYLE_URL, MAP_EXTRA_ORIGINS) loads from, for CSP connect-src. */
function mapOrigins(): string[] {
  const urls = [env.MAP_STYLE_URL, ...(env.MAP_EXTRA_ORIGINS ?? '').split(',')].map((s) => s?.trim()).filter(Boolean);
  const origins = new Set<string>();
  for (const value of urls) {
    try {
      const origin = new URL(value as string).origin;
      if (origin.startsWith('http')) origins.add(origin);
    } catch {
      // An invalid value is reported by the map itself (it falls back to the offline style).
    }
  }
  return [...origins];
}

/**
 * Universal loads (search, trends) fetch the API during SSR and SvelteKit inlines those responses for
 * hydration. Headers are left out unless listed here, and reading one that is not throws: openapi-fetch
 * reads content-length/-type, the search page reads Retry-After.
 */
const SERIALIZED_HEADERS = new Set(['content-type', 'content-length', 'retry-after']);

export const handle: Handle = async ({ event, resolve }) => {
  const response = await resolve(event, { filterSerializedResponseHeaders: (name) => SERIALIZED_HEADERS.has(name) });
  const extra = mapOrigins();
  const csp = response.headers.get('content-security-policy');
  try {
    if (csp && extra.length) {
      const sources = extra.join(' ');
      response.headers.set(
        'content-security-policy',
        csp.replace(/connect-src([^;]*)/, `connect-src$1 ${sources}`).replace(/img-src([^;]*)/, `img-src$1 ${sources}`),
      );
    }
    response.headers.set('x-content-type-options', 'nosniff');
    response.headers.set('referrer-policy', 'strict-origin-when-cross-origin');
  } catch {
    // Responses passed through from fetch have immutable headers; they need none of this.
  }
  return response;
};
