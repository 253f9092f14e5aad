-- Live events after an id, oldest first, joined with what a stream needs to decide who may see each one (the post's
-- audience columns, as the audience policy reads them) and to describe it (same text for every viewer: no exact point,
-- no viewer-specific field). Reaction events carry the post's counts as they are when read.
-- Private events (recipient_id set: a new notification, a message) need not be about a post: LEFT JOIN.
-- Alert events carry the alert's area and severity (LEFT JOIN official_alerts).
-- Bindings: 1 after id, 2 limit.
SELECT e.id, e.kind, e.post_id, e.comment_id, e.created_at, e.recipient_id, e.ref_id,
       p.audience, p.author_id, p.h3_7, p.h3_8, p.h3_9, p.region_id, p.status, p.deleted_at,
       p.kind AS post_kind, p.title, p.display_cell, p.created_at AS post_created_at,
       c.body AS comment_body, c.created_at AS comment_created_at, c.deleted_at AS comment_deleted_at,
       c.author_id AS comment_author_id, cu.handle AS comment_author_handle, cu.display_name AS comment_author_display_name,
       CASE WHEN e.kind = 'reaction' THEN (
         SELECT coalesce(jsonb_object_agg(kind, n), '{}'::jsonb)
           FROM (SELECT kind, count(*) AS n FROM reactions r WHERE r.post_id = e.post_id AND r.kind <> 'vote' GROUP BY kind) k
       ) END AS reaction_counts,
       -- issue 13: official alerts — what the alert says and the area it covers (res-8 cells)
       oa.cells8 AS alert_cells8, oa.severity AS alert_severity, oa.ends_at AS alert_ends_at
  FROM events e
  LEFT JOIN posts p ON p.id = e.post_id
  LEFT JOIN comments c ON c.id = e.comment_id
  LEFT JOIN users cu ON cu.id = c.author_id
  LEFT JOIN official_alerts oa ON e.kind = 'alert' AND oa.post_id = e.post_id
 WHERE e.id > ?::bigint
 ORDER BY e.id
 LIMIT ?
