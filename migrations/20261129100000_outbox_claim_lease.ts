import type { Knex } from 'knex';

// The search relay claims outbox rows with a lease instead of holding a transaction (and its row locks) open while
// Meilisearch works: a claim sets claimed_until, other relays skip the row until then, and a row whose relay died
// becomes claimable again when the lease runs out.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE outbox ADD COLUMN claimed_until timestamptz;
    -- Rows in flight, by post: a claim skips every row of a post that another relay is sending, so a newer state can
    -- never be overtaken by an older one still on its way. Only claimed rows are in it, so it stays tiny.
    CREATE INDEX outbox_in_flight ON outbox (entity, entity_id, claimed_until) WHERE done_at IS NULL AND claimed_until IS NOT NULL;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX outbox_in_flight; ALTER TABLE outbox DROP COLUMN claimed_until;');
}
