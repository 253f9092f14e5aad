-- Adds (+1) or takes back (-1) one post's contribution to the activity rollups, in the caller's transaction.
-- Bindings: 1 post id, 2 delta. Counts only a post that is visible and undeleted right now, so callers add after
-- publishing and take back before unpublishing. One statement, one round trip.
WITH p AS (
  SELECT h3_7,
         CASE WHEN precision >= 8 THEN h3_8 END AS h3_8, -- a precision-7 post has no meaningful res-8 cell
         (created_at AT TIME ZONE 'UTC')::date AS day,
         author_id, tags, ?::int AS delta
    FROM posts
   WHERE id = ? AND status = 'visible' AND deleted_at IS NULL
),
people AS (
  INSERT INTO cell_user_day AS c (cell, day, user_id, posts)
  SELECT v.cell, p.day, p.author_id, p.delta FROM p CROSS JOIN LATERAL (VALUES (p.h3_7), (p.h3_8)) AS v(cell)
   WHERE v.cell IS NOT NULL
  ON CONFLICT (cell, day, user_id) DO UPDATE SET posts = c.posts + EXCLUDED.posts
  -- the new value decides whether this author just appeared (1 after +1) or vanished (0 after -1); a concurrent
  -- writer on the same key waits for our row lock and then sees our value, so author counts stay exact
  RETURNING c.cell, c.posts
),
author_delta AS (
  SELECT people.cell, CASE WHEN p.delta > 0 THEN (people.posts = 1)::int ELSE -((people.posts = 0)::int) END AS d
    FROM people CROSS JOIN p
),
res7 AS (
  INSERT INTO cell_day AS d (h3_7, day, posts, authors)
  SELECT p.h3_7, p.day, p.delta, coalesce((SELECT a.d FROM author_delta a WHERE a.cell = p.h3_7), 0) FROM p
  ON CONFLICT (h3_7, day) DO UPDATE SET posts = d.posts + EXCLUDED.posts, authors = d.authors + EXCLUDED.authors
),
res8 AS (
  INSERT INTO cell8_day AS d (h3_8, day, posts, authors)
  SELECT p.h3_8, p.day, p.delta, coalesce((SELECT a.d FROM author_delta a WHERE a.cell = p.h3_8), 0) FROM p
   WHERE p.h3_8 IS NOT NULL
  ON CONFLICT (h3_8, day) DO UPDATE SET posts = d.posts + EXCLUDED.posts, authors = d.authors + EXCLUDED.authors
),
tagged AS (
  INSERT INTO tag_cell_day AS t (h3_7, day, tag, n)
  SELECT p.h3_7, p.day, tag, p.delta FROM p CROSS JOIN unnest(p.tags) AS tag
  ON CONFLICT (h3_7, day, tag) DO UPDATE SET n = t.n + EXCLUDED.n
)
SELECT count(*)::int AS counted FROM p
