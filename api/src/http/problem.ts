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

export function problemHandler(log: { error: (obj: object, msg: string) => void }): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const instance = req.originalUrl.split('?')[0];
    if (err instanceof AppError) {
      send(
        res,
        { type: 'about:blank', title: err.title, status: err.status, detail: err.message, instance, ...(err.fieldErrors ? { errors: err.fieldErrors } : {}) },
        err.headers,
      );
      return;
    }
    const parsed = fromBodyParser(err ?? {});
    if (parsed) {
      send(res, { ...parsed, instance });
      return;
    }
    log.error({ err, reqId: req.id }, 'unhandled error');
    send(res, { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'Something went wrong on our side.', instance });
  };
}
