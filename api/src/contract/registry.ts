import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

// One registry: every route's zod schemas validate requests, type handlers and generate /api/openapi.json.
export const registry = new OpenAPIRegistry();

registry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'hx_session' });

export const Problem = registry.register(
  'Problem',
  z
    .object({
      type: z.string(),
      title: z.string(),
      status: z.number().int(),
      detail: z.string().optional(),
      instance: z.string().optional(),
      errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    })
    .openapi({ description: 'RFC 9457 problem details' }),
);

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
  A extends 'required' | 'optional' = 'required' | 'optional',
> {
  method: Method;
  /** Express path, e.g. /api/posts/:id */
  path: string;
  summary: string;
  tag: string;
  auth?: A;
  params?: P;
  query?: Q;
  body?: B;
  status?: number;
  response?: R;
  /** Extra error statuses this route is known to answer with (4xx/503) */
  errors?: number[];
  /** issue 13: email — a write an account with an unconfirmed address may still make (managing the account itself) */
  allowUnverified?: boolean;
  /** OpenAPI operationId; derived from method and path when absent (e.g. getPostsByIdComments) */
  operationId?: string;
}

// --- security (issue 9, item 12): every status an operation can answer, an operationId and security on each ---

/** get /api/posts/{id}/comments → getPostsByIdComments */
export function operationIdFor(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((seg) => {
      const param = /^:([A-Za-z_]+)$/.exec(seg);
      const word = param ? `by-${param[1]}` : seg;
      return word
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join('');
    });
  return `${method}${words.join('') || 'Root'}`;
}

/**
 * Problem statuses an operation can answer: 400 (params/query) and 422 (body) from the contract, 413 for a body over
 * the JSON limit, 401 when it needs a session, 429 for writes (per-user/address budget) and routes that declare it,
 * 503 for all (database or search outage, shutting down), plus the route's own.
 */
export function problemStatuses(spec: Pick<RouteSpec, 'method' | 'auth' | 'body' | 'errors' | 'allowUnverified'>): number[] {
  const codes = new Set([400, 503, ...(spec.errors ?? [])]);
  if (spec.body) codes.add(422).add(413);
  if (spec.auth === 'required') codes.add(401);
  if (spec.method !== 'get') codes.add(429);
  // issue 13: email — writes by an account whose address is unconfirmed, when REQUIRE_VERIFIED_EMAIL holds
  if (spec.method !== 'get' && spec.auth === 'required' && !spec.allowUnverified) codes.add(403);
  return [...codes].sort((a, b) => a - b);
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid parameters or query (problem details with field errors)',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found (or not visible to you)',
  409: 'Conflict',
  413: 'Request body too large (64 kB at most)',
  422: 'Invalid body (problem details with field errors)',
  429: 'Too many requests; see Retry-After',
  503: 'A dependency is unavailable or the server is shutting down; see Retry-After',
};

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}');

export function defineRoute<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
  A extends 'required' | 'optional' = 'optional',
>(spec: RouteSpec<P, Q, B, R, A>): RouteSpec<P, Q, B, R, A> {
  const status = spec.status ?? 200;
  const responses: Record<string, object> = {};
  responses[String(status)] = spec.response
    ? { description: 'OK', content: { 'application/json': { schema: spec.response } } }
    : { description: 'No content' };
  for (const code of problemStatuses(spec)) {
    responses[String(code)] = { description: STATUS_TEXT[code] ?? 'Problem', content: { 'application/problem+json': { schema: Problem } } };
  }
  registry.registerPath({
    method: spec.method,
    path: toOpenApiPath(spec.path),
    operationId: spec.operationId ?? operationIdFor(spec.method, spec.path),
    summary: spec.summary,
    tags: [spec.tag],
    // required: the session cookie; otherwise the cookie is optional (read when sent: answers may depend on the viewer)
    security: spec.auth === 'required' ? [{ session: [] }] : [{}, { session: [] }],
    request: {
      ...(spec.params ? { params: spec.params as unknown as z.ZodObject } : {}),
      ...(spec.query ? { query: spec.query as unknown as z.ZodObject } : {}),
      ...(spec.body ? { body: { content: { 'application/json': { schema: spec.body } } } } : {}),
    },
    responses: responses as never,
  });
  return spec;
}

export function openApiDocument() {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Hexhood API',
      version: '0.1.0',
      description:
        'Hyperlocal community hub. Exact coordinates are returned only to their author; everyone else sees an H3 cell, its centroid and a distance bucket.',
      // No open-source licence has been chosen for Hexhood; the document says so rather than claim one.
      license: { name: 'Proprietary, all rights reserved', identifier: 'LicenseRef-Hexhood-Proprietary' },
    },
    servers: [{ url: '/' }],
  });
}
