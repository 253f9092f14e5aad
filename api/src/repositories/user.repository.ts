import type { Db } from '../db/knex.ts';

export interface UserRow {
  id: string;
  handle: string;
  display_name: string;
  email: string;
  password_hash: string;
  home_h3_9: string | null;
  is_admin: boolean;
  settings: Record<string, unknown>;
  created_at: Date;
  /** issue 13: email — null until the address is confirmed by a mailed link */
  email_verified_at: Date | null;
}

/** security (issue 9): the home that counts for audiences now, and when the declared home starts counting. */
export interface HomeState {
  home_effective_h3_9: string | null;
  home_counts_from: Date | null;
}

/**
 * The home that counts for audiences: the newest home_moves row already in effect; a user without any row (homes set
 * before home_moves existed, or bulk-seeded) counts their declared home.
 */
export function effectiveHomeSql(userAlias: string): string {
  return `coalesce(
      (SELECT m.h3_9 FROM home_moves m WHERE m.user_id = ${userAlias}.id AND m.effective_at <= now() ORDER BY m.effective_at DESC, m.id DESC LIMIT 1),
      CASE WHEN NOT EXISTS (SELECT 1 FROM home_moves m WHERE m.user_id = ${userAlias}.id) THEN ${userAlias}.home_h3_9 END)`;
}

export interface HomeMovePlan {
  effectiveAt: Date;
}

export function createUserRepository(db: Db) {
  return {
    async insert(user: { handle: string; displayName: string; email: string; passwordHash: string }): Promise<UserRow | undefined> {
      // ON CONFLICT DO NOTHING: a taken handle/email is a 409, not a unique-violation 500.
      const rows = await db.raw<{ rows: UserRow[] }>(
        `INSERT INTO users (handle, display_name, email, password_hash)
         VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING *`,
        [user.handle, user.displayName, user.email, user.passwordHash],
      );
      return rows.rows[0];
    },

    /**
     * issue 13: email — an address may sit on several unverified accounts (sign-up does not tell whether it is taken),
     * so a login names: the account with that handle, else the verified owner of that address, else its oldest account.
     */
    async findByLogin(login: string): Promise<UserRow | undefined> {
      return (
        db<UserRow>('users')
          .where((q) => q.whereRaw('lower(handle) = lower(?)', [login]).orWhereRaw('lower(email) = lower(?)', [login]))
          // system accounts (official alerts' author) never sign in
          .where('is_system', false)
          .orderByRaw('(lower(handle) = lower(?)) DESC, (email_verified_at IS NOT NULL) DESC, id', [login])
          .first()
      );
    },

    async idByLogin(login: string): Promise<string | undefined> {
      return (await this.findByLogin(login))?.id;
    },

    /** issue 13: email — who a mail to this address is for: its verified owner, else the oldest account using it. */
    async ownerOfEmail(email: string): Promise<UserRow | undefined> {
      return db<UserRow>('users').whereRaw('lower(email) = lower(?)', [email]).orderByRaw('(email_verified_at IS NOT NULL) DESC, id').first();
    },

    /** issue 13: email — the verified account holding this address, other than `exceptId`. */
    async verifiedOwnerOf(email: string, exceptId: string): Promise<UserRow | undefined> {
      return db<UserRow>('users').whereRaw('lower(email) = lower(?)', [email]).whereNotNull('email_verified_at').whereNot({ id: exceptId }).first();
    },

    /**
     * issue 13: email — confirms the address the token was mailed to, if the account still has it. False when another
     * account confirmed the same address first (the partial unique index decides).
     */
    async markEmailVerified(id: string, email: string): Promise<'verified' | 'already' | 'changed' | 'taken'> {
      const row = await db<UserRow>('users').where({ id }).first('email', 'email_verified_at');
      if (!row || row.email.toLowerCase() !== email.toLowerCase()) return 'changed';
      if (row.email_verified_at) return 'already';
      try {
        const res = await db.raw<{ rows: { id: string }[] }>(
          `UPDATE users SET email_verified_at = now() WHERE id = ? AND email_verified_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM users o WHERE lower(o.email) = lower(?) AND o.email_verified_at IS NOT NULL)
            RETURNING id`,
          [id, email],
        );
        return res.rows.length ? 'verified' : 'taken';
      } catch (error) {
        // two accounts confirming one address at the same moment: the partial unique index lets one through
        if ((error as { code?: string }).code === '23505') return 'taken';
        throw error;
      }
    },

    /** issue 13: email — a new address starts unverified. */
    async setEmail(id: string, email: string): Promise<UserRow | undefined> {
      const [row] = await db<UserRow>('users').where({ id }).update({ email, email_verified_at: null }).returning('*');
      return row;
    },

    async findById(id: string): Promise<UserRow | undefined> {
      return db<UserRow>('users').where({ id }).first();
    },

    /** Where the user's home counts now, and from when their declared home counts (null without a home). */
    async homeState(id: string): Promise<HomeState> {
      const res = await db.raw<{ rows: HomeState[] }>(
        `SELECT ${effectiveHomeSql('u')} AS home_effective_h3_9,
                (SELECT max(m.effective_at) FROM home_moves m WHERE m.user_id = u.id) AS home_counts_from
           FROM users u WHERE u.id = ?`,
        [id],
      );
      return res.rows[0] ?? { home_effective_h3_9: null, home_counts_from: null };
    },

    /**
     * Sets the declared home under a per-user lock: `plan` sees the current home and the times of the user's moves (not
     * counting the first home) and returns when the new home counts, or throws to refuse. Returns the updated row.
     */
    async moveHome(
      id: string,
      h3_9: string,
      plan: (state: { current: string | null; moves: Date[] }) => HomeMovePlan | null,
    ): Promise<UserRow | undefined> {
      return db.transaction(async (trx) => {
        const user = await trx<UserRow>('users').where({ id }).forUpdate().first();
        if (!user) return undefined;
        const moves = await trx.raw<{ rows: { requested_at: Date }[] }>(
          `SELECT requested_at FROM home_moves WHERE user_id = ?
              AND id <> (SELECT min(id) FROM home_moves WHERE user_id = ?) ORDER BY requested_at`,
          [id, id],
        );
        const decided = plan({ current: user.home_h3_9, moves: moves.rows.map((r) => r.requested_at) });
        if (!decided) return user;
        await trx('home_moves').insert({ user_id: id, h3_9, effective_at: decided.effectiveAt });
        const [row] = await trx<UserRow>('users').where({ id }).update({ home_h3_9: h3_9 }).returning('*');
        return row;
      });
    },

    /**
     * issue 13: email — claims up to `limit` users due a daily digest for `day` (turned on, confirmed address, a home,
     * none claimed for that day yet). Run inside the transaction that queues their mails: a claim and its mail commit
     * together, and SKIP LOCKED keeps concurrent runners (other processes) off the same users.
     */
    async claimDigestDay(day: string, limit: number): Promise<UserRow[]> {
      const res = await db.raw<{ rows: UserRow[] }>(
        `UPDATE users SET digest_sent_on = ?::date
          WHERE id IN (SELECT id FROM users
                        WHERE (settings->>'dailyDigest') = 'true' AND email_verified_at IS NOT NULL AND home_h3_9 IS NOT NULL
                          AND (digest_sent_on IS NULL OR digest_sent_on < ?::date)
                        ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
          RETURNING *`,
        [day, day, limit],
      );
      return res.rows;
    },

    async handleTaken(handle: string): Promise<boolean> {
      const row = await db.raw<{ rows: { taken: boolean }[] }>(`SELECT EXISTS (SELECT 1 FROM users WHERE lower(handle) = lower(?)) AS taken`, [
        handle,
      ]);
      return row.rows[0]!.taken;
    },

    async update(id: string, patch: { displayName?: string; settings?: Record<string, unknown>; homeH3_9?: string }): Promise<UserRow | undefined> {
      const changes: Record<string, unknown> = {};
      if (patch.displayName !== undefined) changes.display_name = patch.displayName;
      if (patch.settings !== undefined) changes.settings = db.raw('settings || ?::jsonb', [JSON.stringify(patch.settings)]);
      if (patch.homeH3_9 !== undefined) changes.home_h3_9 = patch.homeH3_9;
      if (!Object.keys(changes).length) return db<UserRow>('users').where({ id }).first();
      const [row] = await db<UserRow>('users').where({ id }).update(changes).returning('*');
      return row;
    },

    async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
      await db('users').where({ id }).update({ password_hash: passwordHash });
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
