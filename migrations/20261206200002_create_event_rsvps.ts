import type { Knex } from 'knex';

// Events: an end time, a place name and an optional capacity on the post; RSVPs (going / maybe) one per person.
// Capacity is enforced by counting 'going' rows while holding the event's post row lock (rsvp.repository.ts), so the
// count can never drift from the rows; the partial index keeps that count a short index-only scan.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE posts
      ADD COLUMN event_ends_at timestamptz,
      ADD COLUMN event_place text CHECK (char_length(event_place) <= 140),
      ADD COLUMN event_capacity integer CHECK (event_capacity > 0);
    CREATE TABLE event_rsvps (
      post_id bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      status text NOT NULL CHECK (status IN ('going', 'maybe')),
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (post_id, user_id)
    );
    CREATE INDEX event_rsvps_going ON event_rsvps (post_id) WHERE status = 'going';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE event_rsvps;
    ALTER TABLE posts DROP COLUMN event_ends_at, DROP COLUMN event_place, DROP COLUMN event_capacity;
  `);
}
