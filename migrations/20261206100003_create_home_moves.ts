import type { Knex } from 'knex';

// Homes decide who counts as a neighbour (and district member) of a post. A first home counts at once; a move counts
// only after a waiting period, and moves per 30 days are limited (services/home.rules.ts). Each home a user sets is a
// row here with the moment it starts counting; users.home_h3_9 stays the declared home. Existing homes count already.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE home_moves (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      h3_9 bigint NOT NULL,
      requested_at timestamptz NOT NULL DEFAULT now(),
      effective_at timestamptz NOT NULL
    );
    CREATE INDEX home_moves_user ON home_moves (user_id, effective_at DESC);
    INSERT INTO home_moves (user_id, h3_9, requested_at, effective_at)
    SELECT id, home_h3_9, created_at, created_at FROM users WHERE home_h3_9 IS NOT NULL;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE home_moves');
}
