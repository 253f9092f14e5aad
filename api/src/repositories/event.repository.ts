import type { Db } from '../db/knex.ts';
import { readSql } from './sql-file.ts';

const AFTER_SQL = readSql('live-events.sql');

/** The channel the events insert trigger NOTIFYs (migration 20261206600001) and every API process's live hub LISTENs on. */
export const EVENTS_CHANNEL = 'events';

/**
 * rsvp: someone answered an event post (notifies its author; not streamed). Private kinds (recipient_id set, reach one
 * user's streams only): notification (their notification centre changed), message, claim. alert: an official alert.
 */
export type LiveEventKind = 'post' | 'comment' | 'reaction' | 'rsvp' | 'notification' | 'message' | 'claim' | 'alert';

/** Kinds whose events carry a recipient and reach that user's streams only. */
export type PrivateEventKind = 'notification' | 'message' | 'claim';

/** One event with the post's audience columns and the text streams send (see live-events.sql). */
export interface LiveEventRow {
  id: string;
  kind: LiveEventKind;
  /** the post's columns below are null for a private event that is not about a post */
  post_id: string | null;
  comment_id: string | null;
  created_at: Date;
  /** set: a private event for this user only */
  recipient_id: string | null;
  ref_id: string | null;
  audience: string;
  author_id: string;
  h3_7: string;
  h3_8: string;
  h3_9: string;
  region_id: string | null;
  status: string;
  deleted_at: Date | null;
  post_kind: string;
  title: string;
  display_cell: string;
  post_created_at: Date;
  comment_body: string | null;
  comment_created_at: Date | null;
  comment_deleted_at: Date | null;
  /** issue 13: whose comment it is (streams leave out comments by people the viewer hides) */
  comment_author_id?: string | null;
  comment_author_handle: string | null;
  comment_author_display_name: string | null;
  reaction_counts: Record<string, string | number> | null;
  // issue 13: official alerts (null for other kinds)
  alert_cells8?: string[] | null;
  alert_severity?: string | null;
  alert_ends_at?: Date | null;
}

export function createEventRepository(db: Db) {
  return {
    /**
     * Records a live event. Call it last in the transaction that makes the change: its id is drawn under a lock held
     * until commit (so ids commit in order), and the lock should be held as briefly as possible.
     */
    async append(kind: LiveEventKind, postId: string, actorId: string, commentId: string | null = null): Promise<void> {
      await db('events').insert({ kind, post_id: postId, actor_id: actorId, comment_id: commentId });
    },

    /**
     * Private events: one per recipient, reaching only that user's streams (on any process; replayed on resume). Same
     * rule as append(): call it last in its transaction.
     */
    async appendPrivate(
      kind: PrivateEventKind,
      recipientIds: Iterable<string>,
      about: { postId?: string | null; refId?: string | null; actorId?: string | null } = {},
    ): Promise<void> {
      const rows = [...new Set(recipientIds)].map((r) => ({
        kind,
        recipient_id: r,
        post_id: about.postId ?? null,
        ref_id: about.refId ?? null,
        actor_id: about.actorId ?? null,
      }));
      if (rows.length) await db('events').insert(rows);
    },

    /** Events after an id, oldest first, with what streams need to filter and describe them. */
    async after(afterId: string, limit: number): Promise<LiveEventRow[]> {
      const res = await db.raw<{ rows: LiveEventRow[] }>(AFTER_SQL, [afterId, limit]);
      return res.rows;
    },

    /** The newest id (0 when there was never an event) and the oldest one still kept (null when none is kept). */
    async bounds(): Promise<{ maxId: string; minId: string | null }> {
      const res = await db.raw<{ rows: { max_id: string | null; min_id: string | null }[] }>(
        `SELECT (SELECT max(id) FROM events) AS max_id, (SELECT min(id) FROM events) AS min_id`,
      );
      const row = res.rows[0]!;
      return { maxId: row.max_id ?? '0', minId: row.min_id };
    },

    /** Drops events older than the replay window, always keeping the newest (it anchors resumes). */
    async purgeOlderThan(seconds: number): Promise<number> {
      return db('events')
        .where('created_at', '<', db.raw(`now() - make_interval(secs => ?)`, [seconds]))
        .where('id', '<', db.raw('(SELECT max(id) FROM events)'))
        .delete();
    },
  };
}

export type EventRepository = ReturnType<typeof createEventRepository>;
