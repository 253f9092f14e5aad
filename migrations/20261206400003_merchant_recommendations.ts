import type { Knex } from 'knex';

// "I recommend this shop": one per person and shop; `local` records whether they lived within the shop's neighbour
// ring (its res-7 cell and the ring around it) when they recommended it, so locals' voice can weigh more.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE merchant_recommendations (
      merchant_id bigint NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      local boolean NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (merchant_id, user_id)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE merchant_recommendations');
}
