import type { Knex } from 'knex';

// Area subscriptions: a resident watches cells drawn on the map (H3 res 7–9, kept as cells so they survive boundary
// edits), optionally only some kinds or tags; the notification worker tells them about matching new posts they may see.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE area_subscriptions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      name text NOT NULL,
      cells bigint[] NOT NULL CHECK (cardinality(cells) BETWEEN 1 AND 500),
      kinds text[] NOT NULL DEFAULT '{}',
      tags text[] NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX area_subscriptions_cells ON area_subscriptions USING gin (cells);
    CREATE INDEX area_subscriptions_user ON area_subscriptions (user_id, id);
    ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
    ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('comment', 'reply', 'reaction', 'area_post'));
    ALTER TABLE notifications ADD COLUMN subscription_id bigint REFERENCES area_subscriptions(id) ON DELETE SET NULL;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DELETE FROM notifications WHERE kind = 'area_post';
    ALTER TABLE notifications DROP COLUMN subscription_id;
    ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
    ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('comment', 'reply', 'reaction'));
    DROP TABLE area_subscriptions;
  `);
}
