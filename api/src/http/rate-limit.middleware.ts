import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import ipaddr from 'ipaddr.js';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimitRepository } from '../repositories/rate-limit.repository.ts';
import { TooManyRequestsError } from './errors.ts';

// Budgets live in PostgreSQL (repositories/rate-limit.repository.ts), so several API processes behind one address
// share them. Keys are normalised first: a budget that a variant of the same name or address escapes is no budget.

/**
 * The client address as a budget key: IPv4-mapped IPv6 becomes the IPv4 address, and IPv6 is grouped by /64 (one
 * subscriber usually owns a whole /64, so its 2^64 addresses are one client).
 */
export function normalizeClientAddress(address: string | undefined): string {
  if (!address || !ipaddr.isValid(address)) return 'unknown';
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(':')}::/64`;
}

/** A login name as a budget key: control characters dropped, trimmed, Unicode NFKC, case-folded (ß and ss, K and the Kelvin sign are one name). */
export function normalizeLogin(login: string): string {
  return (
    login
      // eslint-disable-next-line no-control-regex -- control characters are dropped: the contract refuses them anyway
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
      .trim()
      .normalize('NFKC')
      .toUpperCase()
      .toLowerCase()
      .normalize('NFKC')
      .slice(0, 254)
  );
}

export function clientKey(req: Request): string {
  return req.viewer ? `u:${req.viewer.id}` : `ip:${normalizeClientAddress(req.ip)}`;
}

export function createRateLimits(store: RateLimitRepository) {
  function limitBy(
    name: string,
    perMinute: number,
    keyOf: (req: Request) => string | undefined | Promise<string | undefined>,
    what: string,
    durationSeconds = 60,
  ): RequestHandler {
    const budget = store.budget(name, perMinute, durationSeconds);
    return async (req, _res, next) => {
      const key = await keyOf(req);
      if (key === undefined) return next();
      try {
        // issue 13: the store's key column holds 255 characters with the budget's name: a long key (a 254-character
        // address or login) is stored as its digest
        await budget.consume(key.length > 120 ? `sha256:${createHash('sha256').update(key).digest('base64url')}` : key);
      } catch (e) {
        if (e instanceof RateLimiterRes) throw new TooManyRequestsError(e.msBeforeNext / 1000, `Too many ${what}; try again shortly.`);
        throw e;
      }
      next();
    };
  }

  return {
    /**
     * Sign-in and sign-up attempts: per client address, and per account so one account can't be sprayed from many.
     * `accountOf` maps the submitted login (handle or email, any spelling) to one key per account.
     */
    auth(perMinute: number, accountOf: (login: string) => Promise<string>): RequestHandler[] {
      return [
        limitBy('auth-ip', perMinute, (req) => `ip:${normalizeClientAddress(req.ip)}`, 'sign-in attempts'),
        limitBy(
          'auth-account',
          perMinute,
          (req) => {
            const login: unknown = req.body?.login ?? req.body?.handle;
            return typeof login === 'string' && login.length <= 1024 ? accountOf(login) : undefined;
          },
          'sign-in attempts for this account',
        ),
      ];
    },

    /**
     * issue 13: email — requests that send mail (password reset, verification links): per client address, per
     * normalised address asked about (body.email) and per signed-in account, `perHour` each.
     */
    mail(perHour: number): RequestHandler[] {
      const hourly = (name: string, keyOf: (req: Request) => string | undefined, what: string) => limitBy(name, perHour, keyOf, what, 3600);
      return [
        hourly('mail-ip', (req) => `ip:${normalizeClientAddress(req.ip)}`, 'mail requests from this address'),
        hourly(
          'mail-address',
          (req) => {
            const email: unknown = req.body?.email;
            return typeof email === 'string' && email.length <= 1024 ? `email:${normalizeLogin(email)}` : undefined;
          },
          'mail requests for this email address',
        ),
        hourly('mail-account', (req) => (req.viewer ? `u:${req.viewer.id}` : undefined), 'mail requests for this account'),
      ];
    },

    /** Writes (POST/PUT/PATCH/DELETE) per signed-in user, or per address when anonymous. */
    writes(perMinute: number): RequestHandler {
      const limited = limitBy('writes', perMinute, clientKey, 'changes');
      return (req, res, next) => (['GET', 'HEAD', 'OPTIONS'].includes(req.method) ? next() : limited(req, res, next));
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
