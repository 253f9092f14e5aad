import type { CookieOptions, RequestHandler, Response } from 'express';
import type { AuthService } from '../services/auth.service.ts';

export const SESSION_COOKIE = 'hx_session';

export function sessionCookieOptions(secure: boolean, expires?: Date): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure, path: '/', ...(expires ? { expires } : {}) };
}

export function setSessionCookie(res: Response, token: string, expires: Date, secure: boolean): void {
  res.cookie(SESSION_COOKIE, token, sessionCookieOptions(secure, expires));
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, sessionCookieOptions(secure));
}

/** Attaches req.viewer when the session cookie names a live session; never rejects by itself. */
export function sessionMiddleware(auth: AuthService, secure: boolean): RequestHandler {
  return async (req, res, next) => {
    const token: unknown = req.cookies?.[SESSION_COOKIE];
    if (typeof token === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(token)) {
      const found = await auth.viewerForToken(token);
      if (found) {
        req.viewer = found.viewer;
        req.sessionTokenHash = found.tokenHash;
      } else {
        clearSessionCookie(res, secure);
      }
    }
    next();
  };
}
