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
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}');

export function defineRoute<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
  A extends 'required' | 'optional' = 'optional',
>(spec: RouteSpec<P, Q, B, R, A>): RouteSpec<P, Q, B, R, A> {
  const status = spec.status ?? 200;
  const problems = new Set([400, 422, 429, ...(spec.errors ?? [])]);
  if (spec.auth === 'required') problems.add(401);
  const responses: Record<string, object> = {};
  responses[String(status)] = spec.response
    ? { description: 'OK', content: { 'application/json': { schema: spec.response } } }
    : { description: 'No content' };
  for (const code of [...problems].sort()) {
    responses[String(code)] = { description: 'Problem', content: { 'application/problem+json': { schema: Problem } } };
  }
  registry.registerPath({
    method: spec.method,
    path: toOpenApiPath(spec.path),
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.auth === 'required' ? { security: [{ session: [] }] } : {}),
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
    },
    servers: [{ url: '/' }],
  });
}
