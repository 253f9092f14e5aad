-- The activity rollups' side of one post change, to be included in a WITH clause after a CTE named post_delta
-- (h3_7, h3_8 — NULL for a precision-7 post, whose res-8 cell is meaningless —, day, author_id, tags, delta ±1) that
-- yields the post when it counts (public, visible and undeleted) and nothing otherwise. Used by rollup-apply.sql (edits,
-- deletes) and post-create.sql (the whole creation in one statement), so both maintain the same exact counts.
people AS (
  INSERT INTO cell_user_day AS c (cell, day, user_id, posts)
  SELECT v.cell, p.day, p.author_id, p.delta FROM post_delta p CROSS JOIN LATERAL (VALUES (p.h3_7), (p.h3_8)) AS v(cell)
   WHERE v.cell IS NOT NULL
  ON CONFLICT (cell, day, user_id) DO UPDATE SET posts = c.posts + EXCLUDED.posts
  -- the new value decides whether this author just appeared (1 after +1) or vanished (0 after -1); a concurrent
  -- writer on the same key waits for our row lock and then sees our value, so author counts stay exact
  RETURNING c.cell, c.posts
),
author_delta AS (
  SELECT people.cell, CASE WHEN p.delta > 0 THEN (people.posts = 1)::int ELSE -((people.posts = 0)::int) END AS d
    FROM people CROSS JOIN post_delta p
),
res7 AS (
  INSERT INTO cell_day AS d (h3_7, day, posts, authors)
  SELECT p.h3_7, p.day, p.delta, coalesce((SELECT a.d FROM author_delta a WHERE a.cell = p.h3_7), 0) FROM post_delta p
  ON CONFLICT (h3_7, day) DO UPDATE SET posts = d.posts + EXCLUDED.posts, authors = d.authors + EXCLUDED.authors
),
res8 AS (
  INSERT INTO cell8_day AS d (h3_8, day, posts, authors)
  SELECT p.h3_8, p.day, p.delta, coalesce((SELECT a.d FROM author_delta a WHERE a.cell = p.h3_8), 0) FROM post_delta p
   WHERE p.h3_8 IS NOT NULL
  ON CONFLICT (h3_8, day) DO UPDATE SET posts = d.posts + EXCLUDED.posts, authors = d.authors + EXCLUDED.authors
),
tagged AS (
  -- in tag order, so two writers with the same tags lock the shared rows in the same order and cannot deadlock
  INSERT INTO tag_cell_day AS t (h3_7, day, tag, n)
  SELECT p.h3_7, p.day, tag, p.delta FROM post_delta p CROSS JOIN unnest(p.tags) AS tag ORDER BY tag
  ON CONFLICT (h3_7, day, tag) DO UPDATE SET n = t.n + EXCLUDED.n
)
