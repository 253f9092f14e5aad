import type { Db } from '../db/knex.ts';
import { effectiveHomeSql } from './user.repository.ts';

export interface SessionUserRow {
  user_id: string;
  handle: string;
  /** the home that counts for audiences now (security, issue 9: a move counts only after a waiting period) */
  home_h3_9: string | null;
  is_admin: boolean;
  expires_at: Date;
  /** issue 13: email */
  email_verified_at: Date | null;
}

export function createSessionRepository(db: Db) {
  return {
    async insert(tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
      await db('sessions').insert({ token_hash: tokenHash, user_id: userId, expires_at: expiresAt });
    },

    async findValid(tokenHash: string): Promise<SessionUserRow | undefined> {
      return db('sessions as s')
        .join('users as u', 'u.id', 's.user_id')
        .where('s.token_hash', tokenHash)
        .andWhere('s.expires_at', '>', db.fn.now())
        .first('s.user_id', 'u.handle', db.raw(`${effectiveHomeSql('u')} AS home_h3_9`), 'u.is_admin', 's.expires_at', 'u.email_verified_at');
    },

    async extend(tokenHash: string, expiresAt: Date): Promise<void> {
      await db('sessions').where({ token_hash: tokenHash }).update({ expires_at: expiresAt });
    },

    async delete(tokenHash: string): Promise<void> {
      await db('sessions').where({ token_hash: tokenHash }).delete();
    },

    /** issue 13: email — a password reset signs the account out everywhere. */
    async deleteAllFor(userId: string): Promise<number> {
      return db('sessions').where({ user_id: userId }).delete();
    },

    async deleteExpired(): Promise<number> {
      return db('sessions').where('expires_at', '<', db.fn.now()).delete();
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
