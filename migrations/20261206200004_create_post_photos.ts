import type { Knex } from 'knex';

// Photos of a post (up to 4): the re-encoded WebP lives in the photo storage (local disk by default) under
// storage_key; the row keeps what pages need without touching the file (size, alt text, order).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE post_photos (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      post_id bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
      storage_key text NOT NULL UNIQUE,
      width integer NOT NULL,
      height integer NOT NULL,
      bytes integer NOT NULL,
      alt text NOT NULL DEFAULT '' CHECK (char_length(alt) <= 300),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX post_photos_post ON post_photos (post_id, id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE post_photos');
}
