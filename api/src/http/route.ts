import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { RouteSpec } from '../contract/registry.ts';
import { BadRequestError, EmailNotVerifiedError, UnauthorizedError, ValidationError, type FieldError } from './errors.ts';

export interface Viewer {
  id: string;
  handle: string;
  homeCell: string | null;
  /** global administrator (shop approvals, moderator appointments, region imports) */
  isAdmin: boolean;
  /** issue 13: email — set when REQUIRE_VERIFIED_EMAIL holds and the address is unconfirmed: reads only */
  mustVerifyEmail?: boolean;
}

declare module 'express-serve-static-core' {
  interface Request {
    id?: string;
    viewer?: Viewer;
    sessionTokenHash?: string;
  }
}

export function fieldErrors(error: z.ZodError, prefix: string): FieldError[] {
  return error.issues.slice(0, 50).map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}

type Infer<T> = [NonNullable<T>] extends [z.ZodType] ? z.output<NonNullable<T>> : undefined;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- widens the generic bound so every concrete spec fits
export interface HandlerInput<S extends RouteSpec<any, any, any, any, any>> {
  params: Infer<S['params']>;
  query: Infer<S['query']>;
  body: Infer<S['body']>;
  viewer: NonNullable<S['auth']> extends 'required' ? Viewer : Viewer | undefined;
  req: Request;
  res: Response;
}

/**
 * Wraps a service call with the route's contract: parse params/query (400) and body (422), enforce auth, send JSON.
 * Handlers return the response body; `undefined` means 204.
 */
// eslint-disable-next-line -- `any` here only widens the generic bound so every concrete spec fits
export function handle<S extends RouteSpec<any, any, any, any, any>>(
  spec: S,
  fn: (input: HandlerInput<S>) => Promise<Infer<S['response']> | undefined>,
): RequestHandler {
  return async (req, res) => {
    if (spec.auth === 'required' && !req.viewer) throw new UnauthorizedError();
    // issue 13: email — the one place an unverified account's writes stop (routes that manage the account opt out)
    if (spec.method !== 'get' && req.viewer?.mustVerifyEmail && !spec.allowUnverified) throw new EmailNotVerifiedError();
    const params = parsePart(spec.params, req.params, 'params', 400);
    const query = parsePart(spec.query, req.query, 'query', 400);
    let body: unknown;
    if (spec.body) {
      if (!req.is('application/json')) {
        throw new BadRequestError('Send a JSON body with Content-Type: application/json.', [{ field: 'body', message: 'expected application/json' }]);
      }
      body = parsePart(spec.body, req.body, 'body', 422);
    }
    const result = await fn({ params, query, body, viewer: req.viewer, req, res } as HandlerInput<S>);
    if (result === undefined) {
      res.status(204).end();
      return;
    }
    res.status(spec.status ?? 200).json(result);
  };
}

function parsePart(schema: z.ZodType | undefined, value: unknown, part: string, status: 400 | 422): unknown {
  if (!schema) return undefined;
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const errors = fieldErrors(parsed.error, part);
  if (status === 400) throw new BadRequestError(`Invalid ${part}.`, errors);
  throw new ValidationError(errors);
}
