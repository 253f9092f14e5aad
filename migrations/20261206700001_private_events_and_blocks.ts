import type { Knex } from 'knex';

// Foundation for the rest of issue 13 (messages, alerts, shop claims, follow/mute/block):
// - A live event may be private: `recipient_id` set → it reaches that user's streams only (a new notification, a
//   message). Such events need not be about a post, so post_id becomes optional; `ref_id` names what they are about
//   (a message, a claim). Going through the events table (not a process-local signal) makes them reach a stream on any
//   API process and lets Last-Event-ID resume replay them.
// - Notifications may be about something other than a post (a message, a report's answer): post_id optional, ref_id.
// - user_blocks: who blocked whom. Blocks work both ways for visibility (neither sees the other's posts, comments,
//   profile or messages); the row records who did it (only they can lift it).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE events DROP CONSTRAINT events_kind_check;
    ALTER TABLE events ADD CONSTRAINT events_kind_check
      CHECK (kind IN ('post', 'comment', 'reaction', 'rsvp', 'notification', 'message', 'claim', 'alert'));
    ALTER TABLE events ALTER COLUMN post_id DROP NOT NULL;
    ALTER TABLE events ADD COLUMN recipient_id bigint, ADD COLUMN ref_id bigint;

    ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
    ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
      CHECK (kind IN ('comment', 'reply', 'reaction', 'rsvp', 'area_post', 'alert', 'message', 'claim', 'report', 'appeal', 'follow_post'));
    ALTER TABLE notifications ALTER COLUMN post_id DROP NOT NULL;
    ALTER TABLE notifications ADD COLUMN ref_id bigint;

    CREATE TABLE user_blocks (
      blocker_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      blocked_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (blocker_id, blocked_id),
      CHECK (blocker_id <> blocked_id)
    );
    CREATE INDEX user_blocks_blocked ON user_blocks (blocked_id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE user_blocks;
    DELETE FROM notifications WHERE post_id IS NULL OR kind NOT IN ('comment', 'reply', 'reaction', 'rsvp', 'area_post');
    ALTER TABLE notifications DROP COLUMN ref_id;
    ALTER TABLE notifications ALTER COLUMN post_id SET NOT NULL;
    ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
    ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('comment', 'reply', 'reaction', 'rsvp', 'area_post'));
    DELETE FROM events WHERE post_id IS NULL OR kind NOT IN ('post', 'comment', 'reaction', 'rsvp');
    ALTER TABLE events DROP COLUMN recipient_id, DROP COLUMN ref_id;
    ALTER TABLE events ALTER COLUMN post_id SET NOT NULL;
    ALTER TABLE events DROP CONSTRAINT events_kind_check;
    ALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind IN ('post', 'comment', 'reaction', 'rsvp'));
  `);
}
