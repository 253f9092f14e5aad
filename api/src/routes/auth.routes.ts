import { Router } from 'express';
import { LoginBody, MeResponse, RegisterBody, SetHomeBody, UpdateMeBody } from '../contract/auth.schema.ts';
import { HOME_MOVE_WAIT_DAYS, HOME_MOVES_PER_30_DAYS } from '../contract/limits.ts';
import { defineRoute } from '../contract/registry.ts';
import type { RateLimits } from '../http/rate-limit.middleware.ts';
import { handle } from '../http/route.ts';
import { clearSessionCookie, setSessionCookie } from '../http/session.middleware.ts';
import type { AuthService } from '../services/auth.service.ts';

const register = defineRoute({
  method: 'post',
  path: '/api/auth/register',
  tag: 'auth',
  summary: 'Create an account and sign in',
  body: RegisterBody,
  status: 201,
  response: MeResponse,
  errors: [409],
});
const login = defineRoute({
  method: 'post',
  path: '/api/auth/login',
  tag: 'auth',
  summary: 'Sign in (sets the hx_session cookie)',
  body: LoginBody,
  response: MeResponse,
  errors: [401],
});
const logout = defineRoute({ method: 'post', path: '/api/auth/logout', tag: 'auth', summary: 'Sign out', auth: 'required', allowUnverified: true });
const me = defineRoute({ method: 'get', path: '/api/me', tag: 'me', summary: 'The signed-in user', auth: 'required', response: MeResponse });
const updateMe = defineRoute({
  method: 'patch',
  path: '/api/me',
  tag: 'me',
  summary: 'Change display name and privacy settings',
  auth: 'required',
  allowUnverified: true, // issue 13: email — managing one's own account
  body: UpdateMeBody,
  response: MeResponse,
});
const setHome = defineRoute({
  method: 'put',
  path: '/api/me/home',
  tag: 'me',
  summary: `Set home by a map point (only its res-9 cell is stored); a move counts for audiences after ${HOME_MOVE_WAIT_DAYS} days, ${HOME_MOVES_PER_30_DAYS} moves per 30 days`,
  auth: 'required',
  allowUnverified: true, // issue 13: email — managing one's own account
  body: SetHomeBody,
  response: MeResponse,
});

export function authRoutes(auth: AuthService, opts: { secureCookies: boolean; authPerMinute: number; rateLimits: RateLimits }): Router {
  const r = Router();
  const limited = opts.rateLimits.auth(opts.authPerMinute, (login) => auth.loginBucket(login));

  r.post(
    register.path,
    ...limited,
    handle(register, async ({ body, res }) => {
      const { user, session } = await auth.register(body);
      setSessionCookie(res, session.token, session.expiresAt, opts.secureCookies);
      return { user };
    }),
  );
  r.post(
    login.path,
    ...limited,
    handle(login, async ({ body, res }) => {
      const { user, session } = await auth.login(body.login, body.password);
      setSessionCookie(res, session.token, session.expiresAt, opts.secureCookies);
      return { user };
    }),
  );
  r.post(
    logout.path,
    handle(logout, async ({ req, res }) => {
      if (req.sessionTokenHash) await auth.logout(req.sessionTokenHash);
      clearSessionCookie(res, opts.secureCookies);
      return undefined;
    }),
  );
  r.get(
    me.path,
    handle(me, async ({ viewer }) => ({ user: await auth.me(viewer) })),
  );
  r.patch(
    updateMe.path,
    handle(updateMe, async ({ viewer, body }) => ({ user: await auth.updateMe(viewer, body) })),
  );
  r.put(
    setHome.path,
    handle(setHome, async ({ viewer, body }) => ({ user: await auth.setHome(viewer, body) })),
  );
  return r;
}
