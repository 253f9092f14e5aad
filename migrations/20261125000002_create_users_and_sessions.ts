import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE users (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      handle text NOT NULL CHECK (handle ~ '^[A-Za-z0-9_]{3,30}$'),
      display_name text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 60),
      email text NOT NULL CHECK (char_length(email) <= 254),
      password_hash text NOT NULL,
      home_h3_9 bigint,
      settings jsonb NOT NULL DEFAULT '{}'::jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX users_handle_lower ON users (lower(handle));
    CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

    CREATE TABLE sessions (
      token_hash text PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );
    CREATE INDEX sessions_user ON sessions (user_id);
    CREATE INDEX sessions_expires ON sessions (expires_at);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE sessions; DROP TABLE users;');
}
