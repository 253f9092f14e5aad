import type { Knex } from 'knex';

// The notification centre. A worker reads the live events table (ids in commit order, migration 20261206600001) from
// a cursor of its own and writes one row per recipient, so writing a comment or a reaction costs no more than its
// event. Reactions are batched: one unread row per post counts them ("5 people reacted") until it is read.
// Preferences: a row per kind someone switched off (absent = on).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE notifications (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('comment', 'reply', 'reaction')),
      post_id bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
      comment_id bigint REFERENCES comments(id) ON DELETE CASCADE,
      actor_id bigint REFERENCES users(id) ON DELETE SET NULL,
      count integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz
    );
    CREATE INDEX notifications_inbox ON notifications (user_id, updated_at DESC, id DESC);
    CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
    CREATE UNIQUE INDEX notifications_reaction_batch ON notifications (user_id, post_id) WHERE kind = 'reaction' AND read_at IS NULL;
    CREATE TABLE notification_prefs (
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      kind text NOT NULL,
      in_app boolean NOT NULL,
      PRIMARY KEY (user_id, kind)
    );
    CREATE TABLE notification_cursor (
      id smallint PRIMARY KEY CHECK (id = 1),
      last_event_id bigint NOT NULL
    );
    -- start from now: events from before notifications existed are not news
    INSERT INTO notification_cursor (id, last_event_id) SELECT 1, coalesce(max(id), 0) FROM events;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE notification_cursor; DROP TABLE notification_prefs; DROP TABLE notifications;');
}
