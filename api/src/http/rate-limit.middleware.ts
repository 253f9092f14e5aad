import type { Request, RequestHandler } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError } from './errors.ts';

// In-process limits: one API process serves a city. Behind several replicas, swap RateLimiterMemory for
// RateLimiterPostgres/Redis from the same library; the middleware stays the same.

export function clientKey(req: Request): string {
  return req.viewer ? `u:${req.viewer.id}` : `ip:${req.ip ?? 'unknown'}`;
}

function limitBy(perMinute: number, keyOf: (req: Request) => string | undefined, what: string): RequestHandler {
  const limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
  return async (req, _res, next) => {
    const key = keyOf(req);
    if (key === undefined) return next();
    try {
      await limiter.consume(key);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw new TooManyRequestsError(e.msBeforeNext / 1000, `Too many ${what}; try again shortly.`);
      throw e;
    }
    next();
  };
}

/** Sign-in and sign-up attempts: per client address, and per login name so one account can't be sprayed from many. */
export function authRateLimit(perMinute: number): RequestHandler[] {
  return [
    limitBy(perMinute, (req) => `ip:${req.ip ?? 'unknown'}`, 'sign-in attempts'),
    limitBy(
      perMinute,
      (req) => {
        const login: unknown = req.body?.login ?? req.body?.handle;
        return typeof login === 'string' ? `login:${login.toLowerCase().slice(0, 254)}` : undefined;
      },
      'sign-in attempts for this account',
    ),
  ];
}

/** Writes (POST/PUT/PATCH/DELETE) per signed-in user, or per address when anonymous. */
export function writeRateLimit(perMinute: number): RequestHandler {
  const limited = limitBy(perMinute, clientKey, 'changes');
  return (req, res, next) => (['GET', 'HEAD', 'OPTIONS'].includes(req.method) ? next() : limited(req, res, next));
}
