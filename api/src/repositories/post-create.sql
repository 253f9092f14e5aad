-- Creates a post with everything that must commit with it, in one statement (atomic on its own, one round trip):
-- its neighbourhood, the row, its activity-rollup counts, its outbox row for the search relay and its live event. Returns what the
-- database decided (id, times, defaults, neighbourhood) and the author's names; the caller has the rest.
-- Bindings: 1 lon, 2 lat of the display-cell centroid; 3 author_id, 4 kind, 5 title, 6 body, 7 tags, 8 audience,
-- 9 event_starts_at, 10 poll_options, 10a-f poll_closes_at, event_ends_at, event_place, event_capacity,
-- sale_price_cents, sale_condition, 11 lat, 12 lon (exact point), 13 precision, 14 display_cell, 15 h3_9, 16 h3_8,
-- 17 h3_7, 18 h3_5.
WITH anchor AS (
  SELECT ST_SetSRID(ST_MakePoint(?, ?), 4326) AS geom
),
created AS (
  -- the neighbourhood comes from the display centroid, so region membership reveals no more than the display cell
  INSERT INTO posts (author_id, kind, title, body, tags, audience, event_starts_at, poll_options,
                     poll_closes_at, event_ends_at, event_place, event_capacity, sale_price_cents, sale_condition,
                     lat, lon, precision, display_cell, h3_9, h3_8, h3_7, h3_5, geom, region_id)
  SELECT ?, ?, ?, ?, ?::text[], ?, ?::timestamptz, ?::text[],
         ?::timestamptz, ?::timestamptz, ?::text, ?::integer, ?::integer, ?::text,
         ?, ?, ?, ?, ?, ?, ?, ?, anchor.geom,
-- include: neighborhood-at.sql
    FROM anchor
  RETURNING id, author_id, tags, precision, h3_7, h3_8, region_id, status, deleted_at, comment_count, event_starts_at, audience,
            poll_closes_at, event_ends_at, created_at, updated_at
),
queued AS (
  INSERT INTO outbox (entity, entity_id, op) SELECT 'post', id, 'upsert' FROM created
),
-- the live event for SSE streams (its id is drawn in commit order, see migration 20261206600001)
live_event AS (
  INSERT INTO events (kind, post_id, actor_id) SELECT 'post', id, author_id FROM created
),
post_delta AS (
  SELECT h3_7,
         CASE WHEN precision >= 8 THEN h3_8 END AS h3_8,
         (created_at AT TIME ZONE 'UTC')::date AS day,
         author_id, tags, 1 AS delta
    FROM created
   -- aggregates count what anyone may list: public, visible, undeleted (audience.policy.ts with ANONYMOUS)
   WHERE status = 'visible' AND deleted_at IS NULL AND audience = 'public'
),
-- include: rollup-delta.sql
SELECT p.id, p.region_id, p.status, p.comment_count, p.event_starts_at, p.poll_closes_at, p.event_ends_at, p.created_at, p.updated_at, p.deleted_at,
       u.handle AS author_handle, u.display_name AS author_display_name, r.slug AS region_slug, r.name AS region_name
  FROM created p JOIN users u ON u.id = p.author_id LEFT JOIN regions r ON r.id = p.region_id
