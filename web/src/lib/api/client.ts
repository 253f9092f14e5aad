import createClient, { type Client } from 'openapi-fetch';
import { POST_KINDS as CONTRACT_POST_KINDS, RADII as CONTRACT_RADII, REACTION_KINDS as CONTRACT_REACTION_KINDS, type RadiusValue } from '$contract';
import type { components, paths } from './schema';

// The web talks to the API only through this client; every type below comes from the generated schema.

export type ApiClient = Client<paths>;
type Schemas = components['schemas'];

export type Post = Schemas['Post'];
export type PostKind = Schemas['PostKind'];
export type Audience = Schemas['Audience'];
export type ReactionKind = Schemas['ReactionKind'];
export type ReactionState = Schemas['ReactionState'];
export type Comment = Schemas['Comment'];
export type Me = Schemas['Me'];
export type FeedPage = Schemas['FeedPage'];
export type CellPage = Schemas['CellPage'];
export type CreatePostBody = Schemas['CreatePostBody'];
export type LatLon = Schemas['LatLon'];
export type Problem = Schemas['Problem'];
export type Region = Schemas['Region'];
export type SearchPage = Schemas['SearchPage'];
export type SearchHit = Schemas['SearchHit'];
export type SearchArea = Schemas['SearchArea'];
export type TrendsResult = Schemas['TrendsResult'];
export type TrendItem = Schemas['TrendItem'];
export type HexagonCollection = Schemas['HexagonCollection'];
export type Address = Schemas['Address'];
export type CellPlace = Schemas['CellPlace'];
// issue 10: shops and offers
export type MerchantSummary = Schemas['MerchantSummary'];
export type Merchant = Schemas['Merchant'];
export type Offer = Schemas['Offer'];
export type Claim = Schemas['Claim'];
export type MerchantStats = Schemas['MerchantStats'];
// issue 13: official alerts
export type OfficialAlert = Schemas['Alert'];
export type Precision = Post['precision'];
export type Radius = RadiusValue;

/**
 * @param fetchImpl SvelteKit's `event.fetch` on the server (so cookies and the loopback rewrite in
 *   hooks.server.ts apply), the browser's fetch otherwise.
 * @param baseUrl must be absolute on the server (Node's Request rejects relative URLs); '' in the browser.
 */
export function createApiClient(fetchImpl: typeof fetch, baseUrl = ''): ApiClient {
  return createClient<paths>({ baseUrl, fetch: (request: Request) => fetchImpl(request) });
}

let browserClient: ApiClient | undefined;

/** Same-origin client for code that runs in the browser (session cookie rides along automatically). */
export function browserApi(): ApiClient {
  browserClient ??= createApiClient((input, init) => fetch(input, init));
  return browserClient;
}

/** A failed API call: the problem document when the API sent one, a synthetic one when it was unreachable. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  /** Field errors keyed by the field's top-level name ("body.location.lat" → "location"), first message wins. */
  get fieldErrors(): Record<string, string> {
    return fieldErrorMap(this.problem);
  }
}

export function fieldErrorMap(problem: Problem | undefined | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { field, message } of problem?.errors ?? []) {
    const key = field.replace(/^(body|query|params)\./, '').split('.')[0] ?? field;
    out[key] ??= message;
  }
  return out;
}

function toProblem(error: unknown, response: Response | undefined): Problem {
  if (error && typeof error === 'object' && 'status' in error && 'title' in error) return error as Problem;
  const status = response?.status ?? 503;
  return {
    type: 'about:blank',
    title: status === 503 ? 'Service Unavailable' : (response?.statusText ?? 'Error'),
    status,
    // A non-problem body (an HTML error page from a proxy, say) is not shown to people.
    detail: undefined,
  };
}

/**
 * Awaits an openapi-fetch call and returns its data, or throws ApiError. Network failures (API down,
 * aborted) become a 503 problem, except aborts, which are rethrown as they are.
 */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'The server could not be reached.' });
  }
  if (result.response.ok) return result.data as T;
  throw new ApiError(toProblem(result.error, result.response));
}

export const isAbort = (err: unknown): boolean => err instanceof DOMException && err.name === 'AbortError';

export const RADII: readonly Radius[] = CONTRACT_RADII;
export const POST_KINDS: readonly PostKind[] = CONTRACT_POST_KINDS;
export const REACTION_KINDS: readonly ReactionKind[] = CONTRACT_REACTION_KINDS;
