import type { Db } from '../db/knex.ts';
import { audiencePolicy, type AudienceScope } from '../policy/audience.policy.ts';
import { NEIGHBORHOOD_AT_SQL } from './region.repository.ts';

export interface ProfileRow {
  id: string;
  handle: string;
  display_name: string;
  home_h3_9: string | null;
  created_at: Date;
}

export function createProfileRepository(db: Db) {
  return {
    async findByHandle(handle: string): Promise<ProfileRow | undefined> {
      return db<ProfileRow>('users').whereRaw('lower(handle) = lower(?)', [handle]).first('id', 'handle', 'display_name', 'home_h3_9', 'created_at');
    },

    /** Name of the neighbourhood around a res-7 cell centroid (never anything finer than the res-7 cell). */
    async neighborhoodNameAt(lat: number, lon: number): Promise<string | null> {
      const res = await db.raw<{ rows: { name: string | null }[] }>(
        `WITH anchor AS (SELECT ST_SetSRID(ST_MakePoint(?, ?), 4326) AS geom)
         SELECT (SELECT name FROM regions WHERE id = ${NEIGHBORHOOD_AT_SQL}) AS name FROM anchor`,
        [lon, lat],
      );
      return res.rows[0]?.name ?? null;
    },

    /**
     * Newest posts of one author that `scope` may list (the audience policy's list condition), via the
     * (author_id, created_at DESC) index.
     */
    async recentPostIds(authorId: string, scope: AudienceScope, limit: number): Promise<string[]> {
      const cond = audiencePolicy.listSql(scope);
      const res = await db.raw<{ rows: { id: string }[] }>(
        `SELECT id FROM posts WHERE author_id = ? AND ${cond.sql} ORDER BY created_at DESC, id DESC LIMIT ?`,
        [authorId, ...cond.bindings, limit],
      );
      return res.rows.map((r) => r.id);
    },
  };
}

export type ProfileRepository = ReturnType<typeof createProfileRepository>;
