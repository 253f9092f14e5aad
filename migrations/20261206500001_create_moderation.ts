import type { Knex } from 'knex';

// City moderators (issue 11): roles per region, reports collapsed into one case per reported item, the append-only
// action log, appeals and time-boxed suspensions.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- The res-7 parent of each cover cell, derived in SQL from the H3 bit layout (resolution in bits 52-55, the res-8
    -- digit in bits 21-23; an unused digit is 7): a post shown at precision 7 touches every region one of its res-8
    -- children touches, and this finds them with one index probe instead of a geometry test.
    ALTER TABLE region_cells ADD COLUMN h3_7 bigint
      GENERATED ALWAYS AS ((h3_8 & ~(15::bigint << 52)) | (7::bigint << 52) | (7::bigint << 21)) STORED;
    CREATE INDEX region_cells_cell7 ON region_cells (h3_7);

    CREATE TABLE region_roles (
      region_id bigint NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('moderator', 'lead')),
      granted_by bigint REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (region_id, user_id)
    );
    CREATE INDEX region_roles_user ON region_roles (user_id);

    ALTER TABLE comments ADD COLUMN status text NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'hidden', 'removed'));
    ALTER TABLE posts ADD COLUMN comments_locked_at timestamptz;

    -- One case per reported item; reports by many people (and repeated reports by one) collapse into it.
    -- region_ids: every region the item's display cell touches (all levels), fixed when the case opens or is reported
    -- again; the moderation policy confines on it (GIN, so a district's queue is one bitmap scan).
    CREATE TABLE moderation_cases (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      target_kind text NOT NULL CHECK (target_kind IN ('post', 'comment')),
      target_id bigint NOT NULL,
      post_id bigint NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
      author_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      region_ids bigint[] NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
      weight integer NOT NULL DEFAULT 0,
      reporter_count integer NOT NULL DEFAULT 0,
      opened_at timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz,
      UNIQUE (target_kind, target_id)
    );
    CREATE INDEX moderation_cases_open_regions ON moderation_cases USING gin (region_ids) WHERE status = 'open';
    CREATE INDEX moderation_cases_open_order ON moderation_cases (weight DESC, opened_at) WHERE status = 'open';

    CREATE TABLE reports (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      case_id bigint NOT NULL REFERENCES moderation_cases(id) ON DELETE CASCADE,
      reporter_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      reason text NOT NULL,
      text text CHECK (char_length(text) <= 1000),
      -- a reporter living in a region the item touches counts double
      weight smallint NOT NULL CHECK (weight IN (1, 2)),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz
    );
    -- one open report per person and item: reporting again updates it
    CREATE UNIQUE INDEX reports_open_once ON reports (case_id, reporter_id) WHERE resolved_at IS NULL;

    CREATE TABLE moderation_actions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      case_id bigint REFERENCES moderation_cases(id) ON DELETE RESTRICT,
      target_kind text NOT NULL CHECK (target_kind IN ('post', 'comment')),
      target_id bigint NOT NULL,
      target_author_id bigint NOT NULL,
      actor_id bigint NOT NULL,
      action text NOT NULL,
      reason_category text NOT NULL,
      reason_text text NOT NULL CHECK (char_length(reason_text) BETWEEN 1 AND 2000),
      region_ids bigint[] NOT NULL,
      suspended_region_id bigint,
      suspended_until timestamptz,
      appeal_id bigint,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX moderation_actions_regions ON moderation_actions USING gin (region_ids);
    CREATE INDEX moderation_actions_target ON moderation_actions (target_kind, target_id, id);
    CREATE INDEX moderation_actions_created ON moderation_actions (created_at DESC, id DESC);

    -- The log is append-only, enforced by the database: no UPDATE or DELETE of an entry, whoever asks. (TRUNCATE of
    -- the whole database stays possible: the demo seed's --reset and test set-ups wipe everything at once.)
    CREATE FUNCTION moderation_actions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'moderation_actions is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$;
    CREATE TRIGGER moderation_actions_no_change BEFORE UPDATE OR DELETE ON moderation_actions
      FOR EACH ROW EXECUTE FUNCTION moderation_actions_append_only();

    CREATE TABLE appeals (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      -- one appeal per action
      action_id bigint NOT NULL UNIQUE REFERENCES moderation_actions(id) ON DELETE RESTRICT,
      appellant_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 2000),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'granted', 'denied')),
      decided_by bigint REFERENCES users(id) ON DELETE SET NULL,
      decided_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX appeals_pending ON appeals (created_at) WHERE status = 'pending';

    CREATE TABLE region_suspensions (
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      region_id bigint NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
      until timestamptz NOT NULL,
      action_id bigint NOT NULL REFERENCES moderation_actions(id) ON DELETE RESTRICT,
      lifted_at timestamptz,
      PRIMARY KEY (user_id, region_id, action_id)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE region_suspensions;
    DROP TABLE appeals;
    DROP TABLE moderation_actions;
    DROP FUNCTION moderation_actions_append_only();
    DROP TABLE reports;
    DROP TABLE moderation_cases;
    ALTER TABLE posts DROP COLUMN comments_locked_at;
    ALTER TABLE comments DROP COLUMN status;
    DROP TABLE region_roles;
    DROP INDEX region_cells_cell7;
    ALTER TABLE region_cells DROP COLUMN h3_7;
  `);
}
