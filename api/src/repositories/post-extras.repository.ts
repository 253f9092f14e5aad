import type { Db } from '../db/knex.ts';
import type { PhotoRow } from './photo.repository.ts';

/** What a post shows besides its own row: poll votes, RSVPs and photos, with the viewer's own vote and RSVP. */
export interface PostExtras {
  pollCounts: Map<number, number>;
  myVote: number | null;
  going: number;
  maybe: number;
  myRsvp: 'going' | 'maybe' | null;
  photos: PhotoRow[];
}

function empty(): PostExtras {
  return { pollCounts: new Map(), myVote: null, going: 0, maybe: 0, myRsvp: null, photos: [] };
}

export function createPostExtrasRepository(db: Db) {
  return {
    /** For many posts in three round trips (each an index range scan on the tables' leading post_id). */
    async load(postIds: string[], viewerId: string | null): Promise<Map<string, PostExtras>> {
      const out = new Map<string, PostExtras>();
      if (!postIds.length) return out;
      const entry = (id: string) => {
        let e = out.get(id);
        if (!e) out.set(id, (e = empty()));
        return e;
      };
      const [votes, rsvps, photos] = await Promise.all([
        db.raw<{ rows: { post_id: string; option: number; n: number; mine: boolean }[] }>(
          `SELECT post_id, option, count(*)::int AS n, coalesce(bool_or(user_id = ?::bigint), false) AS mine
             FROM poll_votes WHERE post_id = ANY(?::bigint[]) GROUP BY post_id, option`,
          [viewerId, postIds],
        ),
        db.raw<{ rows: { post_id: string; status: 'going' | 'maybe'; n: number; mine: boolean }[] }>(
          `SELECT post_id, status, count(*)::int AS n, coalesce(bool_or(user_id = ?::bigint), false) AS mine
             FROM event_rsvps WHERE post_id = ANY(?::bigint[]) GROUP BY post_id, status`,
          [viewerId, postIds],
        ),
        db.raw<{ rows: PhotoRow[] }>(
          `SELECT id, post_id, storage_key, width, height, bytes, alt FROM post_photos WHERE post_id = ANY(?::bigint[]) ORDER BY post_id, id`,
          [postIds],
        ),
      ]);
      for (const v of votes.rows) {
        const e = entry(v.post_id);
        e.pollCounts.set(v.option, v.n);
        if (v.mine) e.myVote = v.option;
      }
      for (const r of rsvps.rows) {
        const e = entry(r.post_id);
        e[r.status] = r.n;
        if (r.mine) e.myRsvp = r.status;
      }
      for (const p of photos.rows) entry(p.post_id).photos.push(p);
      return out;
    },
  };
}

export type PostExtrasRepository = ReturnType<typeof createPostExtrasRepository>;
