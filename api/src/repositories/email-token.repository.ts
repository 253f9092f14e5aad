import type { Db } from '../db/knex.ts';

export type EmailTokenPurpose = 'verify' | 'reset';

export interface EmailTokenRow {
  id: string;
  user_id: string;
  purpose: EmailTokenPurpose;
  email: string;
  expires_at: Date;
}

/** issue 13: email — single-use, expiring tokens sent as links; only their SHA-256 is stored. */
export function createEmailTokenRepository(db: Db) {
  return {
    /** A new token voids the user's earlier ones of the same purpose: only the newest link works. */
    async issue(userId: string, purpose: EmailTokenPurpose, tokenHash: string, email: string, expiresAt: Date): Promise<void> {
      await db('email_tokens').where({ user_id: userId, purpose }).whereNull('used_at').update({ used_at: db.fn.now() });
      await db('email_tokens').insert({ user_id: userId, purpose, token_hash: tokenHash, email, expires_at: expiresAt });
    },

    /** Uses the token up in the same statement that finds it: two clicks race for one row, one wins. */
    async consume(tokenHash: string, purpose: EmailTokenPurpose): Promise<EmailTokenRow | undefined> {
      const res = await db.raw<{ rows: EmailTokenRow[] }>(
        `UPDATE email_tokens SET used_at = now()
          WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > now()
          RETURNING id, user_id, purpose, email, expires_at`,
        [tokenHash, purpose],
      );
      return res.rows[0];
    },

    /** Expired or used a week ago: nothing can use them any more. */
    async deleteExpired(): Promise<number> {
      return db('email_tokens')
        .where('expires_at', '<', db.raw("now() - interval '7 days'"))
        .orWhere('used_at', '<', db.raw("now() - interval '7 days'"))
        .delete();
    },
  };
}

export type EmailTokenRepository = ReturnType<typeof createEmailTokenRepository>;
