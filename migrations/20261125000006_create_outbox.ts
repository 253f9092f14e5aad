import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- Written in the same transaction as each change; the search relay drains it (FOR UPDATE SKIP LOCKED).
    CREATE TABLE outbox (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      entity text NOT NULL,
      entity_id bigint NOT NULL,
      op text NOT NULL CHECK (op IN ('upsert', 'delete')),
      created_at timestamptz NOT NULL DEFAULT now(),
      done_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_error text
    );
    CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE done_at IS NULL;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE outbox');
}
