import type { Knex } from 'knex';

// Official alerts (issue 13): a moderator or administrator warns an area (road works, water outage, lost child).
// - The alert is a post (kind 'alert', audience 'public': it is public information) so feeds, boards, search, single
//   reads and moderation treat it like any post through the one audience policy; `official_alerts` holds what only an
//   official alert has: severity, end, link, and the area it covers as res-8 cells (kept as cells, like area
//   subscriptions, so it survives boundary edits). Residents' own posts of kind 'alert' have no row here.
// - alert_acks: one row per person who pressed "Seen" (the primary key makes it idempotent under concurrency).
// - alert_recipients: who the notification worker resolved as reached (subscribers and residents inside), worked off
//   in keyset batches (fanout_after = last user id done) so no single transaction writes 100k notifications.
// - users_home_h3_9: residents inside an area are found by their home cell.
// - reports.outcome: what the reporter is told when their report is answered (never who answered).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE official_alerts (
      post_id bigint PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
      author_id bigint REFERENCES users(id) ON DELETE SET NULL,
      severity text NOT NULL CHECK (severity IN ('info', 'warning', 'urgent')),
      link text CHECK (link IS NULL OR char_length(link) <= 500),
      region_id bigint REFERENCES regions(id) ON DELETE SET NULL,
      cells8 bigint[] NOT NULL CHECK (cardinality(cells8) BETWEEN 1 AND 5000),
      starts_at timestamptz NOT NULL DEFAULT now(),
      ends_at timestamptz NOT NULL,
      fanout_resolved boolean NOT NULL DEFAULT false,
      fanout_after bigint NOT NULL DEFAULT 0,
      fanout_done_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (ends_at > starts_at)
    );
    -- pinned alerts: "whose cells overlap the viewed cells" (GIN), then "not ended" on the few that match
    CREATE INDEX official_alerts_cells ON official_alerts USING gin (cells8);
    -- the worker's "what still needs fanning out" is a scan of this tiny partial index
    CREATE INDEX official_alerts_fanout ON official_alerts (post_id) WHERE fanout_done_at IS NULL;
    CREATE INDEX official_alerts_author ON official_alerts (author_id, created_at DESC);

    CREATE TABLE alert_acks (
      post_id bigint NOT NULL REFERENCES official_alerts(post_id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (post_id, user_id)
    );

    CREATE TABLE alert_recipients (
      post_id bigint NOT NULL REFERENCES official_alerts(post_id) ON DELETE CASCADE,
      user_id bigint NOT NULL,
      PRIMARY KEY (post_id, user_id)
    );

    CREATE INDEX users_home_h3_9 ON users (home_h3_9) WHERE home_h3_9 IS NOT NULL;

    ALTER TABLE reports ADD COLUMN outcome text CHECK (outcome IN ('action_taken', 'no_action'));
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE reports DROP COLUMN outcome;
    DROP INDEX users_home_h3_9;
    DROP TABLE alert_recipients;
    DROP TABLE alert_acks;
    DROP TABLE official_alerts;
  `);
}
