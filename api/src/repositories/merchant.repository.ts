import type { Knex } from 'knex';
import type { Db } from '../db/knex.ts';
import { statementName } from './sql-file.ts';

export interface MerchantRow {
  id: string;
  name: string;
  category: string;
  cuisine: string | null;
  street: string | null;
  housenumber: string | null;
  postcode: string | null;
  website: string | null;
  opening_hours: string | null;
  lat: number;
  lon: number;
  h3_9: string;
  h3_8: string;
  h3_7: string;
  status: 'unclaimed' | 'claimed';
  source_id: string | null;
  distance_m?: number;
  active_offers: number;
}

export interface NearFilter {
  category?: string;
  /** cap on rows read (the open-now filter runs on them afterwards) */
  max: number;
}

export type MerchantArea =
  | { kind: 'near'; lat: number; lon: number; radius: number }
  | { kind: 'cell'; column: 'h3_7' | 'h3_8' | 'h3_9'; cell: string }
  | { kind: 'region'; slug: string }
  | { kind: 'ids'; ids: string[] };

const COLUMNS = `m.id, m.name, m.category, m.cuisine, m.street, m.housenumber, m.postcode, m.website, m.opening_hours,
  m.lat, m.lon, m.h3_9, m.h3_8, m.h3_7, m.status, m.source_id, coalesce(a.n, 0) AS active_offers`;
// running offers per shop: a small set, hash-joined once rather than probed per listed shop
const ACTIVE = `LEFT JOIN (SELECT merchant_id, count(*)::int AS n FROM offers
    WHERE withdrawn_at IS NULL AND remaining > 0 AND now() >= starts_at AND now() < ends_at GROUP BY merchant_id) a ON a.merchant_id = m.id`;

export interface NewMerchant {
  name: string;
  category: string;
  lat: number;
  lon: number;
  h3_9: string;
  h3_8: string;
  h3_7: string;
  street: string | null;
  housenumber: string | null;
  postcode: string | null;
  website: string | null;
  opening_hours: string | null;
}

export interface OwnershipRequestRow {
  id: string;
  merchant_id: string;
  merchant_name: string;
  user_id: string;
  user_handle: string;
  note: string;
  status: 'pending' | 'approved' | 'rejected';
  created_at: Date;
}

export function createMerchantRepository(db: Db) {
  return {
    /** Shops in an area, nearest first when near a point; `max` bounds the rows read. */
    async list(area: MerchantArea, filter: NearFilter): Promise<MerchantRow[]> {
      const where: string[] = [];
      const bindings: Knex.RawBinding[] = [];
      let order = 'm.id';
      let distance = '';
      let from = 'merchants m';
      if (area.kind === 'near') {
        distance = `, ST_Distance(m.geog, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography) AS distance_m`;
        where.push(`ST_DWithin(m.geog, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?)`);
        bindings.push(area.lon, area.lat, area.radius);
        order = 'distance_m';
      } else if (area.kind === 'cell') {
        where.push(`m.${area.column} = ?`);
        bindings.push(area.cell);
      } else if (area.kind === 'region') {
        from = `merchants m JOIN regions r ON r.slug = ? AND ST_Intersects(r.geom, m.geog::geometry)`;
        bindings.push(area.slug);
      } else {
        where.push(`m.id = ANY(?::bigint[])`);
        bindings.push(area.ids);
        order = `array_position(?::bigint[], m.id)`;
      }
      if (filter.category) {
        where.push('m.category = ?');
        bindings.push(filter.category);
      }
      const sql = `SELECT ${COLUMNS}${distance} FROM ${from} ${ACTIVE} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY ${order} LIMIT ?`;
      const all: Knex.RawBinding[] =
        area.kind === 'near'
          ? [area.lon, area.lat, ...bindings, filter.max]
          : area.kind === 'ids'
            ? [...bindings, area.ids, filter.max]
            : [...bindings, filter.max];
      const res = await db.raw<{ rows: MerchantRow[] }>(sql, all).options({ name: statementName('merchants', sql) });
      return res.rows;
    },

    async findById(id: string): Promise<MerchantRow | undefined> {
      const res = await db.raw<{ rows: MerchantRow[] }>(`SELECT ${COLUMNS} FROM merchants m ${ACTIVE} WHERE m.id = ?`, [id]);
      return res.rows[0];
    },

    async insert(m: NewMerchant): Promise<string> {
      const res = await db.raw<{ rows: { id: string }[] }>(
        `INSERT INTO merchants (name, category, lat, lon, geog, h3_9, h3_8, h3_7, street, housenumber, postcode, website, opening_hours)
         VALUES (?, ?, ?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326)::geography, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [m.name, m.category, m.lat, m.lon, m.lon, m.lat, m.h3_9, m.h3_8, m.h3_7, m.street, m.housenumber, m.postcode, m.website, m.opening_hours],
      );
      return res.rows[0]!.id;
    },

    async update(id: string, patch: { opening_hours?: string | null; website?: string | null }): Promise<void> {
      await db('merchants')
        .where({ id })
        .update({ ...patch, updated_at: db.fn.now() });
    },

    async roleOf(merchantId: string, userId: string): Promise<'owner' | 'staff' | null> {
      const row = await db('merchant_roles').where({ merchant_id: merchantId, user_id: userId }).first('role');
      return (row?.role as 'owner' | 'staff' | undefined) ?? null;
    },

    async rolesOf(userId: string): Promise<{ id: string; name: string; category: string; role: 'owner' | 'staff' }[]> {
      const res = await db.raw<{ rows: { id: string; name: string; category: string; role: 'owner' | 'staff' }[] }>(
        `SELECT m.id, m.name, m.category, r.role FROM merchant_roles r JOIN merchants m ON m.id = r.merchant_id
          WHERE r.user_id = ? ORDER BY m.name`,
        [userId],
      );
      return res.rows;
    },

    async grantRole(merchantId: string, userId: string, role: 'owner' | 'staff'): Promise<void> {
      await db.raw(
        `INSERT INTO merchant_roles (merchant_id, user_id, role) VALUES (?, ?, ?)
         ON CONFLICT (merchant_id, user_id) DO UPDATE SET role = CASE WHEN merchant_roles.role = 'owner' THEN 'owner' ELSE EXCLUDED.role END`,
        [merchantId, userId, role],
      );
    },

    async markClaimed(merchantId: string): Promise<void> {
      await db('merchants').where({ id: merchantId }).update({ status: 'claimed', updated_at: db.fn.now() });
    },

    /** A pending "this is my shop" request; false when one is already pending. */
    async requestOwnership(merchantId: string, userId: string, note: string): Promise<boolean> {
      const res = await db.raw<{ rows: unknown[] }>(
        `INSERT INTO merchant_ownership_requests (merchant_id, user_id, note) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
        [merchantId, userId, note],
      );
      return res.rows.length > 0;
    },

    async hasPendingRequest(merchantId: string, userId: string): Promise<boolean> {
      const row = await db('merchant_ownership_requests').where({ merchant_id: merchantId, user_id: userId, status: 'pending' }).first('id');
      return Boolean(row);
    },

    async pendingRequests(): Promise<OwnershipRequestRow[]> {
      const res = await db.raw<{ rows: OwnershipRequestRow[] }>(
        `SELECT q.id, q.merchant_id, m.name AS merchant_name, q.user_id, u.handle AS user_handle, q.note, q.status, q.created_at
           FROM merchant_ownership_requests q JOIN merchants m ON m.id = q.merchant_id JOIN users u ON u.id = q.user_id
          WHERE q.status = 'pending' ORDER BY q.created_at LIMIT 200`,
      );
      return res.rows;
    },

    /** Decides a pending request (one statement: a decided request is never decided again). */
    async decide(requestId: string, adminId: string, approve: boolean): Promise<{ merchant_id: string; user_id: string } | undefined> {
      const res = await db.raw<{ rows: { merchant_id: string; user_id: string }[] }>(
        `UPDATE merchant_ownership_requests SET status = ?, decided_by = ?, decided_at = now()
          WHERE id = ? AND status = 'pending' RETURNING merchant_id, user_id`,
        [approve ? 'approved' : 'rejected', adminId, requestId],
      );
      return res.rows[0];
    },

    async userIdByHandle(handle: string): Promise<string | undefined> {
      const row = await db('users').whereRaw('lower(handle) = lower(?)', [handle]).first('id');
      return row?.id as string | undefined;
    },
  };
}

export type MerchantRepository = ReturnType<typeof createMerchantRepository>;
