import type { Knex } from 'knex';

// Live events (SSE): one row per change a stream may push (a post created, a comment added, a reaction changed), written
// in the same statement or transaction as the change. Ids are handed out in commit order: a BEFORE INSERT trigger takes
// a transaction-scoped advisory lock and only then draws the id, so a transaction that drew id N commits before any
// other can draw N+1. Readers that saw id N therefore never find a smaller id committing later — "after id N" is gap
// free, which is what Last-Event-ID resume relies on. The lock is held from the event insert to commit (writers insert
// their event last). NOTIFY events (statement level, sent on commit) wakes every API process's hub.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE SEQUENCE events_id_seq;
    CREATE TABLE events (
      id bigint PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('post', 'comment', 'reaction')),
      post_id bigint NOT NULL,
      comment_id bigint,
      -- who made the change (the post's or comment's author, the reacting user): notifications name them
      actor_id bigint,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX events_created ON events (created_at);
    CREATE FUNCTION events_assign_id() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(7326411390241);
      NEW.id := nextval('events_id_seq');
      RETURN NEW;
    END $$;
    CREATE TRIGGER events_assign_id BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_assign_id();
    CREATE FUNCTION events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('events', '');
      RETURN NULL;
    END $$;
    CREATE TRIGGER events_notify AFTER INSERT ON events FOR EACH STATEMENT EXECUTE FUNCTION events_notify();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE events;
    DROP FUNCTION events_assign_id();
    DROP FUNCTION events_notify();
    DROP SEQUENCE events_id_seq;
  `);
}
