import type { Db } from '../db/knex.ts';

export interface RoleRow {
  region_id: string;
  region_slug: string;
  region_name: string;
  region_kind: string;
  user_id: string;
  handle: string;
  display_name: string;
  role: 'moderator' | 'lead';
  created_at: Date;
}

const ROLE_SELECT = `rr.region_id, r.slug AS region_slug, r.name AS region_name, r.kind AS region_kind, rr.user_id, u.handle,
  u.display_name, rr.role, rr.created_at`;

/** Who moderates which region (region_roles); appointed by administrators. */
export function createRegionRoleRepository(db: Db) {
  return {
    async ofUser(userId: string): Promise<RoleRow[]> {
      const res = await db.raw<{ rows: RoleRow[] }>(
        `SELECT ${ROLE_SELECT} FROM region_roles rr JOIN regions r ON r.id = rr.region_id JOIN users u ON u.id = rr.user_id
          WHERE rr.user_id = ? ORDER BY r.kind, r.name`,
        [userId],
      );
      return res.rows;
    },

    /** Roles on the given regions (a region and its ancestors: who moderates there), or all roles. */
    async list(regionIds?: string[]): Promise<RoleRow[]> {
      const res = await db.raw<{ rows: RoleRow[] }>(
        `SELECT ${ROLE_SELECT} FROM region_roles rr JOIN regions r ON r.id = rr.region_id JOIN users u ON u.id = rr.user_id
          WHERE (?::bigint[] IS NULL OR rr.region_id = ANY(?::bigint[])) ORDER BY r.kind, r.name, u.handle`,
        [regionIds ?? null, regionIds ?? null],
      );
      return res.rows;
    },

    async upsert(regionId: string, userId: string, role: 'moderator' | 'lead', grantedBy: string): Promise<void> {
      await db.raw(
        `INSERT INTO region_roles (region_id, user_id, role, granted_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (region_id, user_id) DO UPDATE SET role = EXCLUDED.role, granted_by = EXCLUDED.granted_by`,
        [regionId, userId, role, grantedBy],
      );
    },

    async remove(regionId: string, userId: string): Promise<boolean> {
      return (await db('region_roles').where({ region_id: regionId, user_id: userId }).delete()) > 0;
    },

    async userIdByHandle(handle: string): Promise<string | undefined> {
      const row = await db('users').whereRaw('lower(handle) = lower(?)', [handle]).first('id');
      return row ? String(row.id) : undefined;
    },
  };
}

export type RegionRoleRepository = ReturnType<typeof createRegionRoleRepository>;
