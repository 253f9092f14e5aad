import { Router } from 'express';
import { MeResponse } from '../contract/auth.schema.ts';
import {
  ChangeEmailBody,
  PasswordResetBody,
  PasswordResetRequestBody,
  PasswordResetRequestResponse,
  VerifyEmailBody,
  VerifyEmailResponse,
} from '../contract/email.schema.ts';
import { defineRoute } from '../contract/registry.ts';
import type { RateLimits } from '../http/rate-limit.middleware.ts';
import { handle } from '../http/route.ts';
import { setSessionCookie } from '../http/session.middleware.ts';
import type { AccountEmailService } from '../services/account-email.service.ts';
import { RESET_TOKEN_MINUTES } from '../services/account-email.service.ts';
import type { AuthService } from '../services/auth.service.ts';

// issue 13: email — confirm the address, reset a forgotten password, change the address.

const verifyEmail = defineRoute({
  method: 'post',
  path: '/api/auth/verify-email',
  tag: 'auth',
  summary: 'Confirm an email address with the token from the mailed link (single use, expires)',
  body: VerifyEmailBody,
  response: VerifyEmailResponse,
  errors: [409],
  allowUnverified: true,
});
const requestReset = defineRoute({
  method: 'post',
  path: '/api/auth/password-reset',
  tag: 'auth',
  summary: `Mail a password-reset link (valid ${RESET_TOKEN_MINUTES} min) to the address, if an account uses it; the answer is the same either way`,
  body: PasswordResetRequestBody,
  status: 202,
  response: PasswordResetRequestResponse,
  allowUnverified: true,
});
const resetPassword = defineRoute({
  method: 'post',
  path: '/api/auth/password-reset/confirm',
  tag: 'auth',
  summary: 'Set a new password with the mailed token; every other session of the account ends, this one is signed in',
  body: PasswordResetBody,
  response: MeResponse,
  allowUnverified: true,
});
const resendVerification = defineRoute({
  method: 'post',
  path: '/api/me/email/verification',
  tag: 'me',
  summary: 'Mail a new link to confirm my address (earlier links stop working)',
  auth: 'required',
  allowUnverified: true,
});
const changeEmail = defineRoute({
  method: 'put',
  path: '/api/me/email',
  tag: 'me',
  summary: 'Change my email address (needs the current password); the new address starts unconfirmed and gets a link',
  auth: 'required',
  body: ChangeEmailBody,
  response: MeResponse,
  allowUnverified: true,
});

export const RESET_ANSWER = 'If an account uses this address, we have sent it a link to set a new password. Check your inbox.';

export function accountEmailRoutes(
  accountEmail: AccountEmailService,
  auth: AuthService,
  opts: { secureCookies: boolean; mailPerHour: number; rateLimits: RateLimits },
): Router {
  const r = Router();
  const mailLimited = opts.rateLimits.mail(opts.mailPerHour);
  r.post(
    verifyEmail.path,
    handle(verifyEmail, async ({ body }) => accountEmail.verify(body.token)),
  );
  r.post(
    requestReset.path,
    ...mailLimited,
    handle(requestReset, async ({ body }) => {
      accountEmail.requestPasswordReset(body.email);
      return { message: RESET_ANSWER };
    }),
  );
  r.post(
    resetPassword.path,
    handle(resetPassword, async ({ body, res }) => {
      const user = await accountEmail.resetPassword(body.token, body.password);
      const session = await auth.startSession(user.id);
      setSessionCookie(res, session.token, session.expiresAt, opts.secureCookies);
      return { user: auth.present(user) };
    }),
  );
  r.post(
    resendVerification.path,
    ...mailLimited,
    handle(resendVerification, async ({ viewer }) => {
      await accountEmail.resendVerification(viewer);
      return undefined;
    }),
  );
  r.put(
    changeEmail.path,
    ...mailLimited,
    handle(changeEmail, async ({ viewer, body }) => ({ user: auth.present(await accountEmail.changeEmail(viewer, body.email, body.password)) })),
  );
  return r;
}
