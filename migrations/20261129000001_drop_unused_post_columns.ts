import type { Knex } from 'knex';

// Search runs on Meilisearch, so the generated tsvector (and its GIN index, updated on every insert) was never read;
// reactions are counted from their own table when read, so reaction_count was written and never read.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP INDEX IF EXISTS posts_tsv;
    ALTER TABLE posts DROP COLUMN tsv, DROP COLUMN reaction_count;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE posts
      ADD COLUMN reaction_count integer NOT NULL DEFAULT 0,
      ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')
      ) STORED;
    UPDATE posts p SET reaction_count = (SELECT count(*) FROM reactions r WHERE r.post_id = p.id AND r.kind <> 'vote');
    CREATE INDEX posts_tsv ON posts USING gin (tsv);
  `);
}
