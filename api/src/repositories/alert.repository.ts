import type { Db } from '../db/knex.ts';
import type { SqlCondition } from '../policy/policy.ts';

/** An official alert with its post's audience columns (for the policy) and what its page shows. */
export interface AlertRow {
  post_id: string;
  author_id: string | null;
  title: string;
  body: string;
  severity: 'info' | 'warning' | 'urgent';
  link: string | null;
  region_id: string | null;
  region_name: string | null;
  cells8: string[];
  starts_at: Date;
  ends_at: Date;
  created_at: Date;
  seen_count: number;
  seen_by_me: boolean;
}

export interface NewAlert {
  authorId: string;
  title: string;
  body: string;
  severity: AlertRow['severity'];
  link: string | null;
  regionId: string | null;
  cells8: string[];
  endsAt: Date;
  /** where the alert's post is anchored (precision 8): the area's middle cell, its centre child, parents */
  anchor: { h3_9: string; h3_8: string; h3_7: string; h3_5: string; lat: number; lon: number };
}

// The ack count is counted, not kept: (post_id, user_id) is the primary key, so count(*) is an index-only scan and
// always exact, with nothing to drift under concurrent acks.
/** The system account official alerts' posts are written by ("Hexhood moderators"); same statement as its migration. */
const OFFICIAL_ACCOUNT_SQL = `
  INSERT INTO users (handle, display_name, email, password_hash, is_system, who_may_message, email_verified_at)
  SELECT CASE WHEN EXISTS (SELECT 1 FROM users WHERE lower(handle) = 'hexhood_alerts')
              THEN 'hexhood_alerts_' || substr(md5(random()::text), 1, 8) ELSE 'hexhood_alerts' END,
         'Hexhood moderators', 'alerts@hexhood.invalid', '!', true, 'nobody', now()
   WHERE NOT EXISTS (SELECT 1 FROM users WHERE is_system)
  ON CONFLICT DO NOTHING`;

const COLUMNS = `a.post_id, a.author_id, p.title, p.body, a.severity, a.link, a.region_id, r.name AS region_name, a.cells8,
  a.starts_at, a.ends_at, a.created_at,
  (SELECT count(*)::int FROM alert_acks k WHERE k.post_id = a.post_id) AS seen_count,
  EXISTS (SELECT 1 FROM alert_acks k WHERE k.post_id = a.post_id AND k.user_id = ?::bigint) AS seen_by_me`;
const FROM = `official_alerts a JOIN posts p ON p.id = a.post_id LEFT JOIN regions r ON r.id = a.region_id`;

export function createAlertRepository(db: Db) {
  return {
    /**
     * The alert's post (kind 'alert', audience 'public', precision 8 at the area's middle), its alert row and outbox row.
     * Not through the post-create statement: an alert is not a resident's post, so it stays out of the activity rollups
     * (trends, heat maps) as offers do. Call in a transaction; append its live event after.
     */
    async insert(a: NewAlert): Promise<string> {
      // the post speaks for the region's moderators: written by the system account (migration 20261206850001; created
      // here if a reset seed removed it), while official_alerts below keeps who issued it
      await db.raw(OFFICIAL_ACCOUNT_SQL);
      const post = await db.raw<{ rows: { id: string }[] }>(
        `INSERT INTO posts (author_id, kind, title, body, tags, lat, lon, precision, display_cell, h3_9, h3_8, h3_7, h3_5, geom, audience)
         VALUES ((SELECT id FROM users WHERE is_system), 'alert', ?, ?, '{}', ?, ?, 8, ?, ?, ?, ?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326), 'public')
         RETURNING id`,
        [
          a.title,
          a.body,
          a.anchor.lat,
          a.anchor.lon,
          a.anchor.h3_8,
          a.anchor.h3_9,
          a.anchor.h3_8,
          a.anchor.h3_7,
          a.anchor.h3_5,
          a.anchor.lon,
          a.anchor.lat,
        ],
      );
      const postId = post.rows[0]!.id;
      await db.raw(
        `INSERT INTO official_alerts (post_id, author_id, severity, link, region_id, cells8, ends_at) VALUES (?, ?, ?, ?, ?, ?::bigint[], ?)`,
        [postId, a.authorId, a.severity, a.link, a.regionId, a.cells8, a.endsAt],
      );
      await db.raw(`INSERT INTO outbox (entity, entity_id, op) VALUES ('post', ?, 'upsert')`, [postId]);
      return postId;
    },

    /** One alert, ended or not, if the viewer may read its post (`readable` on alias p). */
    async find(postId: string, viewerId: string | null, readable: SqlCondition): Promise<AlertRow | undefined> {
      const res = await db.raw<{ rows: AlertRow[] }>(`SELECT ${COLUMNS} FROM ${FROM} WHERE a.post_id = ? AND (${readable.sql})`, [
        viewerId ?? '0',
        postId,
        ...readable.bindings,
      ]);
      return res.rows[0];
    },

    /** Running alerts whose area shares a res-8 cell with `cells8`, most severe first, then newest. */
    async pinned(cells8: string[], viewerId: string | null, listable: SqlCondition, limit: number): Promise<AlertRow[]> {
      const res = await db.raw<{ rows: AlertRow[] }>(
        `SELECT ${COLUMNS} FROM ${FROM}
          WHERE a.cells8 && ?::bigint[] AND a.ends_at > now() AND a.starts_at <= now() AND (${listable.sql})
          ORDER BY array_position(ARRAY['urgent', 'warning', 'info'], a.severity), a.created_at DESC
          LIMIT ?`,
        [viewerId ?? '0', cells8, ...listable.bindings, limit],
      );
      return res.rows;
    },

    /** Alerts the user issued, newest first (their moderation page). */
    async byAuthor(userId: string, limit: number): Promise<AlertRow[]> {
      const res = await db.raw<{ rows: AlertRow[] }>(
        `SELECT ${COLUMNS} FROM ${FROM} WHERE a.author_id = ? AND p.deleted_at IS NULL ORDER BY a.created_at DESC LIMIT ?`,
        [userId, userId, limit],
      );
      return res.rows;
    },

    /** "Seen": once per person; a second press (or a concurrent one) changes nothing. */
    async acknowledge(postId: string, userId: string): Promise<void> {
      await db.raw(`INSERT INTO alert_acks (post_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, [postId, userId]);
    },

    /** Ends a running alert now (it leaves the pins; its page stays). False when it had ended already. */
    async end(postId: string): Promise<boolean> {
      const res = await db.raw<{ rows: unknown[] }>(
        `UPDATE official_alerts SET ends_at = greatest(now(), starts_at + interval '1 millisecond') WHERE post_id = ? AND ends_at > now() RETURNING 1`,
        [postId],
      );
      return res.rows.length > 0;
    },

    /** The res-8 cover of a region (its region_cells). */
    async regionCells(regionId: string): Promise<string[]> {
      const res = await db.raw<{ rows: { h3_8: string }[] }>(`SELECT h3_8 FROM region_cells WHERE region_id = ? ORDER BY h3_8`, [regionId]);
      return res.rows.map((r) => String(r.h3_8));
    },

    /** For each res-8 cell, every region (at every level) its cover touches; cells in no region are missing. */
    async regionsOfCells(cells8: string[]): Promise<Map<string, string[]>> {
      const res = await db.raw<{ rows: { h3_8: string; region_ids: string[] }[] }>(
        `SELECT h3_8, array_agg(region_id ORDER BY region_id) AS region_ids FROM region_cells WHERE h3_8 = ANY(?::bigint[]) GROUP BY h3_8`,
        [cells8],
      );
      return new Map(res.rows.map((r) => [String(r.h3_8), r.region_ids.map(String)]));
    },

    // --- the notification worker's fan-out ---

    /** Alerts whose notifications are not all written yet. */
    async pendingFanouts(): Promise<string[]> {
      const res = await db.raw<{ rows: { post_id: string }[] }>(`SELECT post_id FROM official_alerts WHERE fanout_done_at IS NULL ORDER BY post_id`);
      return res.rows.map((r) => String(r.post_id));
    },

    /**
     * Resolves who an alert reaches, once (skipped when another process holds the alert): subscribers whose cells
     * touch its area (`areaKeys`: its res-8 cells, their res-7 parents and res-9 children, as subscriptions mix
     * resolutions) and residents whose home cell is inside (`homeCells9`: the res-9 children), never its author.
     */
    async resolveRecipients(postId: string, areaKeys: string[], homeCells9: string[]): Promise<void> {
      await db.raw(
        `WITH a AS (SELECT post_id, author_id FROM official_alerts WHERE post_id = ? AND NOT fanout_resolved FOR UPDATE SKIP LOCKED),
              ins AS (
                INSERT INTO alert_recipients (post_id, user_id)
                SELECT a.post_id, r.user_id FROM a, (
                  SELECT s.user_id FROM area_subscriptions s WHERE s.cells && ?::bigint[]
                  UNION
                  SELECT u.id FROM users u WHERE u.home_h3_9 = ANY(?::bigint[])
                ) r
                 WHERE r.user_id IS DISTINCT FROM a.author_id
                ON CONFLICT DO NOTHING)
         UPDATE official_alerts SET fanout_resolved = true WHERE post_id IN (SELECT post_id FROM a)`,
        [postId, areaKeys, homeCells9],
      );
    },

    /**
     * Notifies the next `size` recipients (by user id, after the alert's cursor) and moves the cursor; marks the fan-out
     * done on a short batch. Respects each person's "alerts" preference except for urgent alerts, and writes nothing
     * while the alert's post is not listable (`listable` on alias p: hidden or removed by a moderator meanwhile).
     * Returns null when the alert is busy elsewhere or done, else who was notified.
     */
    async notifyBatch(postId: string, size: number, listable: SqlCondition): Promise<{ notified: string[]; done: boolean } | null> {
      const res = await db.raw<{ rows: { locked: number; notified: string[] | null; taken: number }[] }>(
        `WITH a AS (
                SELECT oa.post_id, oa.fanout_after, oa.severity, (${listable.sql}) AS listable
                  FROM official_alerts oa JOIN posts p ON p.id = oa.post_id
                 WHERE oa.post_id = ? AND oa.fanout_resolved AND oa.fanout_done_at IS NULL
                   FOR UPDATE OF oa SKIP LOCKED),
              chunk AS (
                SELECT r.user_id FROM alert_recipients r JOIN a ON r.post_id = a.post_id JOIN users u ON u.id = r.user_id
                 WHERE r.user_id > a.fanout_after ORDER BY r.user_id LIMIT ?),
              ins AS (
                INSERT INTO notifications (user_id, kind, post_id)
                SELECT c.user_id, 'alert', a.post_id FROM chunk c, a
                 WHERE a.listable
                   AND (a.severity = 'urgent' OR NOT EXISTS (
                     SELECT 1 FROM notification_prefs np WHERE np.user_id = c.user_id AND np.kind = 'alert' AND NOT np.in_app))
                RETURNING user_id),
              upd AS (
                UPDATE official_alerts oa
                   SET fanout_after = coalesce((SELECT max(user_id) FROM chunk), oa.fanout_after),
                       fanout_done_at = CASE WHEN (SELECT count(*) FROM chunk) < ? THEN now() END
                 WHERE oa.post_id IN (SELECT post_id FROM a)
                RETURNING 1)
         SELECT (SELECT count(*)::int FROM upd) AS locked, (SELECT array_agg(user_id) FROM ins) AS notified,
                (SELECT count(*)::int FROM chunk) AS taken`,
        [...listable.bindings, postId, size, size],
      );
      const row = res.rows[0]!;
      if (!row.locked) return null;
      return { notified: (row.notified ?? []).map(String), done: row.taken < size };
    },
  };
}

export type AlertRepository = ReturnType<typeof createAlertRepository>;
