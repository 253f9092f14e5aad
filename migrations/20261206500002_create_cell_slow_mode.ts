import type { Knex } from 'knex';

// Slow mode (issue 11): in a res-7 cell, one post per person per `minutes`. Set by a moderator of a region the cell
// touches, or automatically when the cell's posts today far exceed its own usual daily rate (cell_day rollups).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE cell_slow_mode (
      h3_7 bigint PRIMARY KEY,
      minutes smallint NOT NULL CHECK (minutes BETWEEN 1 AND 1440),
      automatic boolean NOT NULL,
      set_by bigint REFERENCES users(id) ON DELETE SET NULL,
      reason text NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      ends_at timestamptz NOT NULL
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE cell_slow_mode');
}
