import type { Db } from '../db/knex.ts';

export function createRsvpRepository(db: Db) {
  return {
    /**
     * Sets a person's RSVP. Call inside a transaction: the event's post row is locked first, so RSVPs to one event
     * run one at a time and the 'going' count read under the lock is exact — capacity can never be exceeded, and no
     * stored counter can drift from the rows. Returns 'full' (nothing written) when going would exceed capacity,
     * 'gone' when the post is not an event.
     */
    async set(postId: string, userId: string, status: 'going' | 'maybe'): Promise<'ok' | 'full' | 'gone'> {
      const locked = await db.raw<{ rows: { event_capacity: number | null }[] }>(
        `SELECT event_capacity FROM posts WHERE id = ? AND kind = 'event' AND deleted_at IS NULL FOR UPDATE`,
        [postId],
      );
      const event = locked.rows[0];
      if (!event) return 'gone';
      if (status === 'going' && event.event_capacity !== null) {
        const others = await db.raw<{ rows: { n: number }[] }>(
          `SELECT count(*)::int AS n FROM event_rsvps WHERE post_id = ? AND status = 'going' AND user_id <> ?`,
          [postId, userId],
        );
        if (others.rows[0]!.n >= event.event_capacity) return 'full';
      }
      await db.raw(
        `INSERT INTO event_rsvps (post_id, user_id, status) VALUES (?, ?, ?)
         ON CONFLICT (post_id, user_id) DO UPDATE SET status = EXCLUDED.status, updated_at = now()`,
        [postId, userId, status],
      );
      return 'ok';
    },

    async remove(postId: string, userId: string): Promise<void> {
      await db('event_rsvps').where({ post_id: postId, user_id: userId }).delete();
    },
  };
}

export type RsvpRepository = ReturnType<typeof createRsvpRepository>;
