-- Adds (+1) or takes back (-1) one post's contribution to the activity rollups, in the caller's transaction.
-- Bindings: 1 delta, 2 post id. Counts only a post that is visible and undeleted right now, so callers add after
-- publishing and take back before unpublishing. One statement, one round trip.
WITH post_delta AS (
  SELECT h3_7,
         CASE WHEN precision >= 8 THEN h3_8 END AS h3_8,
         (created_at AT TIME ZONE 'UTC')::date AS day,
         author_id, tags, ?::int AS delta
    FROM posts
   -- aggregates count what anyone may list: public, visible, undeleted (audience.policy.ts with ANONYMOUS)
   WHERE id = ? AND status = 'visible' AND deleted_at IS NULL AND audience = 'public'
),
-- include: rollup-delta.sql
SELECT count(*)::int AS counted FROM post_delta
