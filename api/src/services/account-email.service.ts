import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Logger } from 'pino';
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import { normalizeLogin } from '../http/rate-limit.middleware.ts';
import type { EmailTokenPurpose } from '../repositories/email-token.repository.ts';
import type { Repositories, WithTransaction } from '../repositories/repositories.ts';
import type { UserRow } from '../repositories/user.repository.ts';
import { addressChangedMail, passwordResetMail, signUpAttemptMail, verifyEmailMail } from '../mail/templates.ts';
import { argonOptionsFor, hashToken } from './auth.service.ts';

// issue 13: email — confirming addresses, resetting passwords, changing the address. Every mail is queued in the
// transaction of the change that causes it (mail_outbox); the mail worker sends it, so SMTP trouble never fails a request.

export const VERIFY_TOKEN_HOURS = 48;
export const RESET_TOKEN_MINUTES = 60;
/**
 * Sign-up needs no proof of the address, so anyone can make the app mail any address: cap what one address receives
 * per hour (the account is still made; the mail waits for the next sign-up or a resend).
 */
const MAILS_PER_ADDRESS_PER_HOUR = { signup_attempt: 1, verify: 5 } as const;

export interface AccountEmailDeps {
  users: Repositories['users'];
  withTransaction: WithTransaction;
  /** absolute origin for links in mails */
  publicOrigin: string;
  argon2MemoryKiB: number;
  logger: Pick<Logger, 'warn'>;
}

const newToken = () => randomBytes(32).toString('base64url');

const invalidLink = () =>
  new ValidationError(
    [{ field: 'body.token', message: 'this link is invalid, was used already or has expired' }],
    'This link is invalid, used or expired.',
  );

export function createAccountEmailService({ users, withTransaction, publicOrigin, argon2MemoryKiB, logger }: AccountEmailDeps) {
  const argonOptions = argonOptionsFor(argon2MemoryKiB);
  const link = (path: string, token?: string) => `${publicOrigin}${path}${token ? `?token=${encodeURIComponent(token)}` : ''}`;

  async function issue(tx: Repositories, user: UserRow, purpose: EmailTokenPurpose, ttlMs: number): Promise<string> {
    const token = newToken();
    await tx.emailTokens.issue(user.id, purpose, hashToken(token), user.email, new Date(Date.now() + ttlMs));
    return token;
  }

  /**
   * The mail for an address just given (sign-up or change): a verification link, unless a verified account already
   * holds the address — then its owner hears that someone tried, and the new account gets no link (it stays
   * unverified and must change its address to write where verification is required).
   */
  async function mailForNewAddress(tx: Repositories, user: UserRow): Promise<void> {
    const owner = await tx.users.verifiedOwnerOf(user.email, user.id);
    const kind = owner ? 'signup_attempt' : 'verify';
    if ((await tx.mailOutbox.countRecent(kind, owner?.email ?? user.email, 60)) >= MAILS_PER_ADDRESS_PER_HOUR[kind]) return;
    if (owner) {
      const mail = signUpAttemptMail({ displayName: owner.display_name, loginLink: link('/login'), resetLink: link('/forgot-password') });
      await tx.mailOutbox.enqueue('signup_attempt', owner.email, mail);
      return;
    }
    const token = await issue(tx, user, 'verify', VERIFY_TOKEN_HOURS * 3_600_000);
    await tx.mailOutbox.enqueue(
      'verify',
      user.email,
      verifyEmailMail({ displayName: user.display_name, link: link('/verify', token), hours: VERIFY_TOKEN_HOURS }),
    );
  }

  return {
    mailForNewAddress,

    /** Sends a fresh verification link (the older ones stop working). Nothing when confirmed already. */
    async resendVerification(viewer: Viewer): Promise<void> {
      await withTransaction(async (tx) => {
        const user = await tx.users.findById(viewer.id);
        if (!user) throw new NotFoundError('User');
        if (!user.email_verified_at) await mailForNewAddress(tx, user);
      });
    },

    async verify(token: string): Promise<{ status: 'verified' | 'already' }> {
      return withTransaction(async (tx) => {
        const row = await tx.emailTokens.consume(hashToken(token), 'verify');
        if (!row) throw invalidLink();
        const outcome = await tx.users.markEmailVerified(row.user_id, row.email);
        if (outcome === 'changed') throw invalidLink();
        if (outcome === 'taken') throw new ConflictError('Another account confirmed this address first; give your account another address on /me.');
        return { status: outcome };
      });
    },

    /**
     * Answers the same whether or not an account uses the address: the work happens after the answer (so its time
     * tells nothing either), and a mail goes out only when there is an account. Rate-limited per address and client.
     */
    requestPasswordReset(email: string): void {
      const address = normalizeLogin(email);
      void withTransaction(async (tx) => {
        const user = await tx.users.ownerOfEmail(address);
        if (!user) return;
        const token = await issue(tx, user, 'reset', RESET_TOKEN_MINUTES * 60_000);
        await tx.mailOutbox.enqueue(
          'password_reset',
          user.email,
          passwordResetMail({ displayName: user.display_name, link: link('/reset-password', token), minutes: RESET_TOKEN_MINUTES }),
        );
      }).catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'could not queue a password reset mail'));
    },

    /** Sets the new password and ends every session of the account; the caller starts a fresh one. */
    async resetPassword(token: string, password: string): Promise<UserRow> {
      const passwordHash = await hash(password, argonOptions);
      return withTransaction(async (tx) => {
        const row = await tx.emailTokens.consume(hashToken(token), 'reset');
        if (!row) throw invalidLink();
        await tx.users.updatePasswordHash(row.user_id, passwordHash);
        await tx.sessions.deleteAllFor(row.user_id);
        const user = await tx.users.findById(row.user_id);
        if (!user) throw invalidLink();
        return user;
      });
    },

    /** A new address starts unconfirmed and gets its own link; the current password is asked for. */
    async changeEmail(viewer: Viewer, email: string, password: string): Promise<UserRow> {
      const current = await users.findById(viewer.id);
      if (!current) throw new NotFoundError('User');
      const ok = await verify(current.password_hash, password).catch(() => false);
      if (!ok) throw new ValidationError([{ field: 'body.password', message: 'wrong password' }], 'Wrong password.');
      if (current.email.toLowerCase() === email.toLowerCase() && current.email_verified_at) return current;
      return withTransaction(async (tx) => {
        const user = await tx.users.setEmail(viewer.id, email);
        if (!user) throw new NotFoundError('User');
        await mailForNewAddress(tx, user);
        // the old address, if it was really theirs, hears of the change (a hijacker's first move is to change it)
        if (current.email_verified_at && current.email.toLowerCase() !== email.toLowerCase()) {
          const notice = addressChangedMail({ displayName: current.display_name, newAddress: email, resetLink: link('/forgot-password') });
          await tx.mailOutbox.enqueue('address_changed', current.email, notice);
        }
        return user;
      });
    },
  };
}

export type AccountEmailService = ReturnType<typeof createAccountEmailService>;
