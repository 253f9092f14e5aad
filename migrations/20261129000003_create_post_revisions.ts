import type { Knex } from 'knex';

// Every edit by a post's author keeps the state it replaced: the post shows "edited" with the time, and moderators
// see what a post said before (a report may be about text that was edited away). Moderation status changes are
// actions of their own, not edits.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE posts ADD COLUMN edited_at timestamptz;
    CREATE TABLE post_revisions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      post_id bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
      editor_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      -- the post as it was before this edit
      kind text NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      tags text[] NOT NULL,
      precision smallint NOT NULL,
      display_cell bigint NOT NULL,
      audience text NOT NULL,
      replaced_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX post_revisions_post ON post_revisions (post_id, id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE post_revisions; ALTER TABLE posts DROP COLUMN edited_at;`);
}
