import type { RequestHandler } from 'express';
import { ForbiddenError } from './errors.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-origin request protection from the browser's own signals (the approach of Go's CrossOriginProtection):
 * Sec-Fetch-Site when sent, else Origin compared with our origin. Requests carrying neither come from non-browser
 * clients (curl, server-side fetch), which cannot be tricked into riding a victim's cookies. SameSite=Lax on the
 * session cookie is the second layer.
 */
export function csrfProtection(publicOrigin: string | undefined): RequestHandler {
  return (req, _res, next) => {
    if (SAFE.has(req.method)) return next();
    const site = req.get('sec-fetch-site');
    if (site) {
      if (site === 'same-origin' || site === 'none') return next();
      throw new ForbiddenError('Cross-site request refused.');
    }
    const origin = req.get('origin');
    if (!origin) return next();
    // req.host/protocol honour X-Forwarded-* only from trusted proxies (see TRUST_PROXY).
    const expected = publicOrigin ?? `${req.protocol}://${req.host}`;
    if (origin === expected) return next();
    throw new ForbiddenError('Cross-origin request refused.');
  };
}
