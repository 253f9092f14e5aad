import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, type FieldError } from './errors.ts';

// RFC 9457 problem details for every error. Unknown errors become a bare 500 without internals.

export const PROBLEM_TYPE = 'application/problem+json';

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
}

function send(res: Parameters<RequestHandler>[1], body: ProblemBody, headers?: Record<string, string>): void {
  if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.status(body.status).type(PROBLEM_TYPE).send(JSON.stringify(body));
}

export const notFoundHandler: RequestHandler = (req, res) => {
  send(res, { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No such route.', instance: req.originalUrl.split('?')[0] });
};

/** Errors body-parser raises carry `status`/`type`; map them to 4xx instead of letting them look like crashes. */
function fromBodyParser(err: { status?: number; type?: string; message?: string }): ProblemBody | undefined {
  if (typeof err.status !== 'number' || err.status < 400 || err.status >= 500) return undefined;
  const detail =
    err.type === 'entity.parse.failed'
      ? 'The body is not valid JSON.'
      : err.type === 'entity.too.large'
        ? 'The body is too large.'
        : err.type === 'charset.unsupported' || err.type === 'encoding.unsupported'
          ? 'Unsupported body encoding.'
          : 'The request body could not be read.';
  return { type: 'about:blank', title: err.status === 413 ? 'Content Too Large' : 'Bad Request', status: err.status, detail };
}

// A dependency that is down or restarting, not a bug: node's socket errors, PostgreSQL's connection-exception class
// (08xxx), admin/crash shutdown and "starting up" (57P01–57P03), too many connections (53300), and pg's own messages
// for a connection that died under it. The pool replaces broken connections by itself, so the next try can succeed.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
// knex prefixes a failed query's message with its SQL ("SELECT … - Connection terminated unexpectedly")
const UNAVAILABLE_MESSAGES =
  /(^|- )(Connection terminated|Connection ended unexpectedly|Client has encountered a connection error|timeout exceeded when trying to connect|Knex: Timeout acquiring a connection)/;

/** True for errors that mean "the database (or another dependency) is unreachable right now". */
export function isDependencyUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (e.name === 'KnexTimeoutError') return true; // the pool found no connection in time
  if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code))) return true;
  if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDependencyUnavailable(inner, depth + 1))) return true; // AggregateError
  return isDependencyUnavailable(e.cause, depth + 1);
}

export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

export function problemHandler(log: { error: (obj: object, msg: string) => void; warn?: (obj: object, msg: string) => void }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const instance = req.originalUrl.split('?')[0];
    if (err instanceof AppError) {
      send(
        res,
        {
          type: 'about:blank',
          title: err.title,
          status: err.status,
          detail: err.message,
          instance,
          ...(err.fieldErrors ? { errors: err.fieldErrors } : {}),
        },
        err.headers,
      );
      return;
    }
    const parsed = fromBodyParser(err ?? {});
    if (parsed) {
      send(res, { ...parsed, instance });
      return;
    }
    if (isDependencyUnavailable(err)) {
      (log.warn ?? log.error).call(
        log,
        { err: { message: (err as Error).message, code: (err as { code?: unknown }).code }, reqId: req.id },
        'dependency unavailable',
      );
      send(
        res,
        {
          type: 'about:blank',
          title: 'Service Unavailable',
          status: 503,
          detail: 'A service we depend on is unavailable; try again shortly.',
          instance,
        },
        { 'Retry-After': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
      );
      return;
    }
    log.error({ err, reqId: req.id }, 'unhandled error');
    send(res, { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'Something went wrong on our side.', instance });
  };
}
