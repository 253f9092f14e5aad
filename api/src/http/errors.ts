// Typed errors thrown by services; one middleware (problem.ts) turns them into application/problem+json.

export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail?: string,
    readonly fieldErrors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
  }
}

export class BadRequestError extends AppError {
  constructor(detail: string, fieldErrors?: FieldError[]) {
    super(400, 'Bad Request', detail, fieldErrors);
  }
}

export class ValidationError extends AppError {
  constructor(fieldErrors: FieldError[], detail = 'The request has invalid fields.') {
    super(422, 'Unprocessable Content', detail, fieldErrors);
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail = 'Sign in to do this.') {
    super(401, 'Unauthorized', detail);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'You may not do this.') {
    super(403, 'Forbidden', detail);
  }
}

/** issue 13: email — an account whose address is unconfirmed can read but not write (REQUIRE_VERIFIED_EMAIL). */
export class EmailNotVerifiedError extends AppError {
  constructor() {
    super(
      403,
      'Email address not verified',
      'Confirm your email address before you post, comment, react or claim: open the link we mailed you, or send a new one from your account page (/me).',
    );
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'Resource') {
    super(404, 'Not Found', `${what} not found.`);
  }
}

export class ConflictError extends AppError {
  constructor(detail: string, fieldErrors?: FieldError[]) {
    super(409, 'Conflict', detail, fieldErrors);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(retryAfterSeconds: number, detail = 'Too many requests; slow down.') {
    super(429, 'Too Many Requests', detail, undefined, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(detail: string, retryAfterSeconds = 5) {
    super(503, 'Service Unavailable', detail, undefined, { 'Retry-After': String(retryAfterSeconds) });
  }
}
