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

    async findByLogin(login: string): Promise<UserRow | undefined> {
      return db<UserRow>('users').whereRaw('lower(handle) = lower(?)', [login]).orWhereRaw('lower(email) = lower(?)', [login]).first();
    },

    async idByLogin(login: string): Promise<string | undefined> {
      const row = await db<UserRow>('users').whereRaw('lower(handle) = lower(?)', [login]).orWhereRaw('lower(email) = lower(?)', [login]).first('id');
      return row?.id;
    },

    async findById(id: string): Promise<UserRow | undefined> {
      return db<UserRow>('users').where({ id }).first();
    },

    async handleOrEmailTaken(handle: string, email: string): Promise<{ handle: boolean; email: boolean }> {
      const row = await db.raw<{ rows: { handle: boolean; email: boolean }[] }>(
        `SELECT EXISTS (SELECT 1 FROM users WHERE lower(handle) = lower(?)) AS handle,
                EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(?)) AS email`,
        [handle, email],
      );
      return row.rows[0]!;
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
