import type { Knex } from 'knex';

// Activity rollups, maintained on write in the post's own transaction (repositories/rollup.repository.ts). Days are
// UTC days of posts.created_at. Only visible, undeleted posts are counted.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- Per res-7 cell and day: trends and the res-7 heat map. authors = distinct authors that day (exact, from
    -- cell_user_day), so max(authors) over a window is a lower bound of the window's distinct authors.
    CREATE TABLE cell_day (
      h3_7 bigint NOT NULL,
      day date NOT NULL,
      posts integer NOT NULL DEFAULT 0,
      authors integer NOT NULL DEFAULT 0,
      PRIMARY KEY (h3_7, day)
    );

    -- The same at res 8 for the finer heat map; only posts whose display precision is 8 or 9, because a precision-7
    -- post's res-8 column is just the centre child of its res-7 cell and would pile up there.
    CREATE TABLE cell8_day (
      h3_8 bigint NOT NULL,
      day date NOT NULL,
      posts integer NOT NULL DEFAULT 0,
      authors integer NOT NULL DEFAULT 0,
      PRIMARY KEY (h3_8, day)
    );

    CREATE TABLE tag_cell_day (
      h3_7 bigint NOT NULL,
      day date NOT NULL,
      tag text NOT NULL,
      n integer NOT NULL DEFAULT 0,
      PRIMARY KEY (h3_7, day, tag)
    );

    -- Who posted where on which day, at res 7 and res 8 (cell ids of different resolutions never collide). Distinct
    -- people over any window come from here, which is what k-anonymity needs; per-day counters cannot be summed
    -- into distinct counts. posts = 0 rows are left behind by deletes and ignored by readers.
    CREATE TABLE cell_user_day (
      cell bigint NOT NULL,
      day date NOT NULL,
      user_id bigint NOT NULL,
      posts integer NOT NULL DEFAULT 0,
      PRIMARY KEY (cell, day, user_id)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE cell_user_day; DROP TABLE tag_cell_day; DROP TABLE cell8_day; DROP TABLE cell_day;');
}
