import type { Knex } from 'knex';

// "For sale & free": a kind of its own with a price (0 = free, in euro cents) and the item's condition.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE posts DROP CONSTRAINT posts_kind_check;
    ALTER TABLE posts ADD CONSTRAINT posts_kind_check
      CHECK (kind IN ('post', 'question', 'event', 'alert', 'poll', 'lost_found', 'offer', 'for_sale'));
    ALTER TABLE posts
      ADD COLUMN sale_price_cents integer CHECK (sale_price_cents >= 0),
      ADD COLUMN sale_condition text CHECK (sale_condition IN ('new', 'like_new', 'good', 'fair'));
  `);
}

export async function down(knex: Knex): Promise<void> {
  // posts of the kind this removes become plain posts rather than blocking the rollback
  await knex.raw(`
    UPDATE posts SET kind = 'post' WHERE kind = 'for_sale';
    ALTER TABLE posts DROP COLUMN sale_price_cents, DROP COLUMN sale_condition;
    ALTER TABLE posts DROP CONSTRAINT posts_kind_check;
    ALTER TABLE posts ADD CONSTRAINT posts_kind_check
      CHECK (kind IN ('post', 'question', 'event', 'alert', 'poll', 'lost_found', 'offer'));
  `);
}
