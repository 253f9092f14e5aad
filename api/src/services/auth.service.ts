import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { z } from 'zod';
import type { Me, RegisterBody, UpdateMeBody } from '../contract/auth.schema.ts';
import { bigintToCell, cellCentroid, cellToBigint, snapOrigin, type LatLon, type Precision } from '../geo/h3.ts';
import { HOME_MOVE_WAIT_DAYS, HOME_MOVES_PER_30_DAYS } from '../contract/limits.ts';
import { ConflictError, NotFoundError, TooManyRequestsError, UnauthorizedError } from '../http/errors.ts';
import { normalizeLogin } from '../http/rate-limit.middleware.ts';
import type { Viewer } from '../http/route.ts';
import type { Repositories, WithTransaction } from '../repositories/repositories.ts';
import type { SessionRepository } from '../repositories/session.repository.ts';
import type { HomeState, UserRepository, UserRow } from '../repositories/user.repository.ts';

export type MeDto = z.infer<typeof Me>;

export interface UserSettings {
  defaultPrecision: Precision;
  whoCanReply: 'everyone' | 'neighbors';
  dailyDigest: boolean; // issue 13: email
}

const DEFAULT_SETTINGS: UserSettings = { defaultPrecision: 8, whoCanReply: 'everyone', dailyDigest: false };

export function settingsOf(row: Pick<UserRow, 'settings'>): UserSettings {
  return { ...DEFAULT_SETTINGS, ...(row.settings as Partial<UserSettings>) };
}

const MONTH_MS = 30 * 86_400_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** OWASP's argon2id minimum: m=19 MiB, t=2, p=1; algorithm 2 = Algorithm.Argon2id (a const enum, which isolated modules can't import) */
export function argonOptionsFor(argon2MemoryKiB: number) {
  return { algorithm: 2 as const, memoryCost: argon2MemoryKiB, timeCost: 2, parallelism: 1 };
}

export interface AuthDeps {
  users: UserRepository;
  sessions: SessionRepository;
  sessionDays: number;
  argon2MemoryKiB: number;
  // --- issue 13: email ---
  withTransaction: WithTransaction;
  /** queues the sign-up's mail (verification link, or "someone tried" to the address's verified owner) with the account */
  signUpMail: (tx: Repositories, user: UserRow) => Promise<void>;
  /** REQUIRE_VERIFIED_EMAIL: an unverified account reads only */
  requireVerifiedEmail: boolean;
}

export function createAuthService({ users, sessions, sessionDays, argon2MemoryKiB, withTransaction, signUpMail, requireVerifiedEmail }: AuthDeps) {
  const argonOptions = argonOptionsFor(argon2MemoryKiB);
  // Verified when the login names nobody, so a miss costs as long as a wrong password (no user enumeration by timing).
  const dummyHash = hash('not-a-real-password-0000', argonOptions);

  function present(row: UserRow, home?: HomeState): MeDto {
    const homeCell = row.home_h3_9 ? bigintToCell(row.home_h3_9) : null;
    const countingHome = home ? home.home_effective_h3_9 : row.home_h3_9;
    return {
      audienceHomeCell: countingHome ? bigintToCell(countingHome) : null,
      homeCountsFrom: home?.home_counts_from ? home.home_counts_from.toISOString() : homeCell ? row.created_at.toISOString() : null,
      id: row.id,
      handle: row.handle,
      displayName: row.display_name,
      email: row.email,
      emailVerified: row.email_verified_at !== null, // issue 13: email
      homeCell,
      homeCentroid: homeCell ? cellCentroid(homeCell) : null,
      settings: settingsOf(row),
      isAdmin: row.is_admin,
      createdAt: row.created_at.toISOString(),
    };
  }

  async function startSession(userId: string): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + sessionDays * 86_400_000);
    await sessions.insert(hashToken(token), userId, expiresAt);
    return { token, expiresAt };
  }

  return {
    present,

    /**
     * issue 13: email — answers alike whether or not the address is taken: the account is made and signed in either
     * way, and its mail (queued in the same transaction) is a verification link, or, when a verified account holds the
     * address, a "someone tried to sign up" mail to that owner. Handles are public, so a taken one stays a field error.
     */
    async register(input: z.output<typeof RegisterBody>) {
      const passwordHash = await hash(input.password, argonOptions);
      const row = await withTransaction(async (tx) => {
        const user = await tx.users.insert({ handle: input.handle, displayName: input.displayName, email: input.email, passwordHash });
        if (user) await signUpMail(tx, user);
        return user;
      });
      if (!row) {
        const taken = await users.handleTaken(input.handle);
        throw new ConflictError('Handle already taken.', taken ? [{ field: 'body.handle', message: 'this handle is taken' }] : []);
      }
      return { user: present(row), session: await startSession(row.id) };
    },

    /** One rate-limit key per account, whichever form of its handle or email is typed; the normalised name otherwise. */
    async loginBucket(login: string): Promise<string> {
      const name = normalizeLogin(login);
      const id = name ? await users.idByLogin(name) : undefined;
      return id ? `user:${id}` : `login:${name}`;
    },

    async login(login: string, password: string) {
      const row = await users.findByLogin(normalizeLogin(login));
      const ok = await verify(row?.password_hash ?? (await dummyHash), password).catch(() => false);
      if (!row || !ok) throw new UnauthorizedError('Wrong handle/email or password.');
      return { user: present(row, await users.homeState(row.id)), session: await startSession(row.id) };
    },

    /** issue 13: email — a fresh session after a password reset (which ended all the others). */
    startSession,

    async logout(tokenHash: string): Promise<void> {
      await sessions.delete(tokenHash);
    },

    /** Resolves a cookie token to the viewer, sliding the expiry when it is past half-life. */
    async viewerForToken(token: string): Promise<{ viewer: Viewer; tokenHash: string; expiresAt: Date } | undefined> {
      const tokenHash = hashToken(token);
      const row = await sessions.findValid(tokenHash);
      if (!row) return undefined;
      let expiresAt = row.expires_at;
      if (expiresAt.getTime() - Date.now() < (sessionDays * 86_400_000) / 2) {
        expiresAt = new Date(Date.now() + sessionDays * 86_400_000);
        await sessions.extend(tokenHash, expiresAt);
      }
      return {
        viewer: {
          id: row.user_id,
          handle: row.handle,
          homeCell: row.home_h3_9 ? bigintToCell(row.home_h3_9) : null,
          isAdmin: row.is_admin,
          ...(requireVerifiedEmail && !row.email_verified_at ? { mustVerifyEmail: true } : {}), // issue 13: email
        },
        tokenHash,
        expiresAt,
      };
    },

    async me(viewer: Viewer): Promise<MeDto> {
      const row = await users.findById(viewer.id);
      if (!row) throw new NotFoundError('User');
      return present(row, await users.homeState(viewer.id));
    },

    async settingsFor(viewer: Viewer): Promise<UserSettings> {
      const row = await users.findById(viewer.id);
      if (!row) throw new NotFoundError('User');
      return settingsOf(row);
    },

    async updateMe(viewer: Viewer, input: z.output<typeof UpdateMeBody>): Promise<MeDto> {
      const row = await users.update(viewer.id, { displayName: input.displayName, settings: input.settings });
      if (!row) throw new NotFoundError('User');
      return present(row, await users.homeState(viewer.id));
    },

    /**
     * Home is kept only as its res-9 cell; the submitted point is dropped here. Homes decide neighbour and district
     * audiences, so a first home counts at once, a move counts HOME_MOVE_WAIT_DAYS later (the previous home counts
     * meanwhile), and at most HOME_MOVES_PER_30_DAYS moves fit in any 30 days.
     */
    async setHome(viewer: Viewer, point: LatLon, now = new Date()): Promise<MeDto> {
      const { cell } = snapOrigin(point);
      const h3_9 = cellToBigint(cell).toString();
      const row = await users.moveHome(viewer.id, h3_9, ({ current, moves }) => {
        if (current === h3_9) return null;
        if (current === null) return { effectiveAt: now };
        const recent = moves.filter((m) => now.getTime() - m.getTime() < MONTH_MS);
        if (recent.length >= HOME_MOVES_PER_30_DAYS) {
          const freeAt = new Date(recent[recent.length - HOME_MOVES_PER_30_DAYS]!.getTime() + MONTH_MS);
          throw new TooManyRequestsError(
            (freeAt.getTime() - now.getTime()) / 1000,
            `You can move your home at most ${HOME_MOVES_PER_30_DAYS} times in 30 days; you can move again from ${freeAt.toISOString().slice(0, 10)}.`,
          );
        }
        return { effectiveAt: new Date(now.getTime() + HOME_MOVE_WAIT_DAYS * 86_400_000) };
      });
      if (!row) throw new NotFoundError('User');
      return present(row, await users.homeState(viewer.id));
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
