import type { RequestEvent } from '@sveltejs/kit';
import { createApiClient, type ApiClient } from '$lib/api/client';

/**
 * API client for load functions and form actions. It fetches same-origin `/api/...` URLs through
 * `event.fetch`; hooks.server.ts (handleFetch) sends those to the API over loopback with the
 * visitor's cookies and hands the API's Set-Cookie headers back to the browser.
 */
export function serverApi(event: Pick<RequestEvent, 'fetch' | 'url'>): ApiClient {
  return createApiClient(event.fetch, event.url.origin);
}
