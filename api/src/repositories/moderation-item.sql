-- One item (a post, a comment or a message) as moderators see it, with `region_ids`: every region it touches.
-- Bindings: 1 target kind ('post' | 'comment' | 'message'), 2 target id, repeated three times (one pair per branch);
-- the caller appends the moderation policy's condition on `item` (policy/moderation.policy.ts), so an item outside the
-- viewer's regions is simply not found.
-- Touching: a display cell at precision 8 or 9 touches the regions whose res-8 cover holds its res-8 cell (h3_8); at
-- precision 7, those covering any of its res-8 children (region_cells.h3_7 is each cover cell's res-7 parent).
-- A message (issue 13) belongs to no post: it touches the regions of its sender's home res-8 cell (the res-9 home with
-- its resolution set to 8 and its res-9 digit, bits 18-20, unused), so the moderators where the sender lives see it.
-- Every probe is an index lookup (region_cells_cell, region_cells_cell7); no geometry at read time.
WITH target AS (
  SELECT 'post'::text AS target_kind, p.id AS target_id, p.id AS post_id, p.author_id, p.body, p.status,
         p.created_at, p.deleted_at
    FROM posts p WHERE ?::text = 'post' AND p.id = ?::bigint
  UNION ALL
  SELECT 'comment', c.id, c.post_id, c.author_id, c.body, c.status, c.created_at, c.deleted_at
    FROM comments c WHERE ?::text = 'comment' AND c.id = ?::bigint
  UNION ALL
  SELECT 'message', m.id, NULL::bigint, m.sender_id, m.body, m.status, m.created_at, NULL::timestamptz
    FROM messages m WHERE ?::text = 'message' AND m.id = ?::bigint
),
item AS (
  SELECT t.target_kind, t.target_id, t.post_id, t.author_id, t.body, t.status, t.created_at,
         p.title AS post_title, p.kind AS post_kind, p.status AS post_status, p.comments_locked_at, p.edited_at,
         p.region_id AS home_region_id, p.h3_7 AS post_h3_7, u.handle AS author_handle, u.display_name AS author_display_name,
         ARRAY(
           SELECT DISTINCT x.region_id FROM (
             SELECT rc.region_id FROM region_cells rc WHERE p.precision >= 8 AND rc.h3_8 = p.h3_8
             UNION ALL
             SELECT rc.region_id FROM region_cells rc WHERE p.precision = 7 AND rc.h3_7 = p.h3_7
             UNION ALL
             SELECT rc.region_id FROM region_cells rc
              WHERE t.target_kind = 'message'
                AND rc.h3_8 = (u.home_h3_9 & ~(15::bigint << 52)) | (8::bigint << 52) | (7::bigint << 18)
           ) x ORDER BY x.region_id
         ) AS region_ids
    FROM target t LEFT JOIN posts p ON p.id = t.post_id JOIN users u ON u.id = t.author_id
   WHERE t.deleted_at IS NULL AND (t.post_id IS NULL OR p.deleted_at IS NULL)
)
SELECT * FROM item
