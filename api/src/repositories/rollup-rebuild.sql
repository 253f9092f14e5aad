-- Recomputes every activity rollup from posts (after a bulk load such as the seed, or to repair drift).
-- Same rules as rollup-apply.sql: public visible undeleted posts, UTC days, res-8 rows only for precision 8 and 9.
-- Rows go in in key order, so an area's days sit together on disk for the trends and heat-map range reads.
TRUNCATE cell_day, cell8_day, tag_cell_day, cell_user_day;

CREATE TEMP TABLE rollup_src ON COMMIT DROP AS
SELECT h3_7, CASE WHEN precision >= 8 THEN h3_8 END AS h3_8, (created_at AT TIME ZONE 'UTC')::date AS day, author_id, tags
  FROM posts
 WHERE status = 'visible' AND deleted_at IS NULL AND audience = 'public';

INSERT INTO cell_user_day (cell, day, user_id, posts)
SELECT cell, day, author_id, count(*)
  FROM (SELECT h3_7 AS cell, day, author_id FROM rollup_src
        UNION ALL
        SELECT h3_8, day, author_id FROM rollup_src WHERE h3_8 IS NOT NULL) s
 GROUP BY cell, day, author_id
 ORDER BY cell, day, author_id;

INSERT INTO cell_day (h3_7, day, posts, authors)
SELECT h3_7, day, count(*), count(DISTINCT author_id) FROM rollup_src GROUP BY h3_7, day ORDER BY h3_7, day;

INSERT INTO cell8_day (h3_8, day, posts, authors)
SELECT h3_8, day, count(*), count(DISTINCT author_id) FROM rollup_src WHERE h3_8 IS NOT NULL GROUP BY h3_8, day ORDER BY h3_8, day;

INSERT INTO tag_cell_day (h3_7, day, tag, n)
SELECT h3_7, day, tag, count(*) FROM rollup_src CROSS JOIN unnest(tags) AS tag GROUP BY h3_7, day, tag ORDER BY h3_7, day, tag;

ANALYZE cell_day, cell8_day, tag_cell_day, cell_user_day;
