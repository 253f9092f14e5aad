import type { Knex } from 'knex';

// Global administrators: approve shop claims, appoint region moderators, import regions. Everyone else is a member;
// roles tied to a shop or a region live in their own tables.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE users ADD COLUMN is_admin boolean NOT NULL DEFAULT false`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE users DROP COLUMN is_admin`);
}
