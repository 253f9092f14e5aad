import type { Knex } from 'knex';

// Poll votes get a table of their own instead of reactions(kind = 'vote'): one row per voter and poll is the primary
// key itself, so "vote once, change until it closes" is a single upsert, the option is NOT NULL and range-checked, and
// counting votes never has to filter them out of the reaction counts. An optional closing time lives on the post.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE posts ADD COLUMN poll_closes_at timestamptz;
    CREATE TABLE poll_votes (
      post_id bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      option smallint NOT NULL CHECK (option BETWEEN 0 AND 9),
      voted_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (post_id, user_id)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE poll_votes; ALTER TABLE posts DROP COLUMN poll_closes_at;`);
}
