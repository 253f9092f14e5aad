import { DEFAULT_SEARCH_RADIUS as CONTRACT_DEFAULT_SEARCH_RADIUS } from '$contract';
import { POST_KINDS, RADII, type ApiClient, type PostKind, type Radius, type SearchPage } from '$lib/api/client';
import { areaParams, areaQuery, parseArea, type AreaChoice, type LatLonPoint } from './area';

// The search page's state, as kept in its URL. The page's GET form writes exactly these parameters
// (repeated `kind`/`tag` from the facet checkboxes), so it works the same with and without JavaScript.

export type SearchSort = 'relevance' | 'newest';

export interface SearchState {
  q: string;
  choice: AreaChoice;
  radius: Radius;
  kinds: PostKind[];
  tags: string[];
  sort: SearchSort;
  cursor: string | null;
}

export const SEARCH_PAGE_SIZE = 20;
export const DEFAULT_SEARCH_RADIUS: Radius = CONTRACT_DEFAULT_SEARCH_RADIUS;
/** The API accepts at most this many tag filters. */
export const MAX_TAG_FILTERS = 5;

/** `kind=event&kind=alert` (the form) and `kind=event,alert` (the API's style) both work. */
function listParam(params: URLSearchParams, name: string): string[] {
  return params
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function parseSearch(params: URLSearchParams, home: LatLonPoint | null): SearchState {
  const radius = Number(params.get('radius'));
  const kinds = listParam(params, 'kind').filter((k): k is PostKind => (POST_KINDS as readonly string[]).includes(k));
  const tags = listParam(params, 'tag')
    .map((t) => t.toLowerCase())
    // eslint-disable-next-line no-control-regex -- refusing control characters is the point
    .filter((t) => t.length <= 64 && !/[\u0000-\u001f\u007f]/.test(t));
  const cursor = params.get('cursor');
  return {
    q: (params.get('q') ?? '').trim().slice(0, 200),
    choice: parseArea(params, home),
    radius: (RADII as readonly number[]).includes(radius) ? (radius as Radius) : DEFAULT_SEARCH_RADIUS,
    kinds: [...new Set(kinds)],
    tags: [...new Set(tags)].slice(0, MAX_TAG_FILTERS),
    sort: params.get('sort') === 'newest' ? 'newest' : 'relevance',
    cursor: cursor && cursor.length <= 512 ? cursor : null,
  };
}

/** The page's URL for a state, e.g. a facet link or the "more results" link that works without JavaScript. */
export function searchHref(state: SearchState, changes: Partial<Omit<SearchState, 'choice'>> = {}): string {
  const next = { ...state, cursor: null, ...changes };
  const params = new URLSearchParams();
  if (next.q) params.set('q', next.q);
  for (const [key, value] of Object.entries(areaParams(next.choice))) params.set(key, value);
  if (next.choice.area.kind !== 'region') params.set('radius', String(next.radius));
  for (const kind of next.kinds) params.append('kind', kind);
  for (const tag of next.tags) params.append('tag', tag);
  if (next.sort !== 'relevance') params.set('sort', next.sort);
  if (next.cursor) params.set('cursor', next.cursor);
  return `/search?${params}`;
}

/** Query parameters of GET /api/search for a state. */
export function apiSearchQuery(state: SearchState, options: { withKinds?: boolean; limit?: number; cursor?: string | null } = {}) {
  const withKinds = options.withKinds ?? true;
  const area = areaQuery(state.choice.area);
  return {
    q: state.q || undefined,
    ...area,
    radius: 'lat' in area ? state.radius : undefined,
    kind: withKinds && state.kinds.length ? state.kinds.join(',') : undefined,
    tags: state.tags.length ? state.tags.join(',') : undefined,
    sort: state.sort,
    cursor: (options.cursor === undefined ? state.cursor : options.cursor) ?? undefined,
    limit: options.limit ?? SEARCH_PAGE_SIZE,
  };
}

export function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/** Why a search produced no page, in words for people. */
export interface SearchFailure {
  status: number;
  message: string;
  /** Seconds the API asked us to wait (503 Retry-After), when it said. */
  retryAfter: number | null;
}

export function describeSearchFailure(
  status: number,
  problem: { detail?: string; errors?: { field: string; message: string }[] } | undefined,
  retryAfterHeader: string | null,
): SearchFailure {
  const retry = Number(retryAfterHeader);
  const retryAfter = retryAfterHeader && Number.isFinite(retry) && retry >= 0 ? Math.min(retry, 120) : null;
  // status 0: the request never got an answer (offline, server unreachable) — not the index's fault
  if (status === 0) {
    return { status, retryAfter: null, message: 'The network seems to be down: Hexhood could not be reached. Check your connection and try again.' };
  }
  if (status === 503) return { status, retryAfter: retryAfter ?? 5, message: 'Search is catching up with the latest posts.' };
  if (status === 429) {
    return { status, retryAfter, message: 'That was a lot of searches from different places in a short time. Please wait a moment and try again.' };
  }
  if (status === 400 || status === 422) {
    const errors = problem?.errors ?? [];
    if (errors.some((e) => e.field.endsWith('region')))
      return { status, retryAfter: null, message: 'There is no such district or neighbourhood. Please choose one from the list.' };
    if (errors.some((e) => e.field.endsWith('cursor')))
      return { status, retryAfter: null, message: 'Those later results have expired. Start again from the first results.' };
    return {
      status,
      retryAfter: null,
      message: errors[0]?.message ? `The search could not run: ${errors[0].message}.` : 'The search could not run with these settings.',
    };
  }
  return { status, retryAfter: null, message: 'Search failed. Please try again in a moment.' };
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * The API's highlight HTML is escaped text whose only markup is <mark>…</mark>. Should anything else
 * ever turn up, the plain text is shown instead of trusting it.
 */
export function markOnly(html: string, plain: string): string {
  return /<(?!\/?mark>)/i.test(html) ? escapeHtml(plain) : html;
}

/** One page of results, or why there is none. Aborts (a newer search started) are rethrown. */
export type SearchOutcome = { page: SearchPage; failure: null } | { page: null; failure: SearchFailure };

export async function runSearch(
  api: ApiClient,
  state: SearchState,
  options: { cursor?: string | null; signal?: AbortSignal } = {},
): Promise<SearchOutcome> {
  try {
    const { data, error, response } = await api.GET('/api/search', {
      params: { query: apiSearchQuery(state, { cursor: options.cursor }) },
      signal: options.signal,
    });
    if (data) return { page: data, failure: null };
    return { page: null, failure: describeSearchFailure(response.status, error, response.headers.get('retry-after')) };
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    // fetch itself failed: no answer at all, so the network (or the server) is down, not the search index
    return { page: null, failure: describeSearchFailure(0, undefined, null) };
  }
}
