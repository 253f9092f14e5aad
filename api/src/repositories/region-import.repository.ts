import type { Db } from '../db/knex.ts';

export interface StagedRegion {
  idx: number;
  slug: string;
  name: string;
  kind: 'city' | 'district' | 'neighborhood';
  parent: string | null;
  geometry: string;
}

export interface StagedCheck {
  idx: number;
  slug: string;
  valid: boolean;
  reason: string;
  area_m2: number;
  npoints: number;
}

/**
 * Region import (issue 11), one transaction: stage the features in a temporary table, check and repair them there,
 * then upsert the regions by slug and replace their cover cells. Pass the transaction's handle.
 */
export function createRegionImportRepository(db: Db) {
  return {
    async stage(features: StagedRegion[]): Promise<StagedCheck[]> {
      await db.raw(`CREATE TEMPORARY TABLE import_regions (
                      idx int PRIMARY KEY, slug text NOT NULL, name text NOT NULL, kind text NOT NULL, parent text,
                      geom geometry NOT NULL, made_valid boolean NOT NULL DEFAULT false) ON COMMIT DROP`);
      await db.raw(
        `INSERT INTO import_regions (idx, slug, name, kind, parent, geom)
         SELECT r.idx, r.slug, r.name, r.kind, r.parent, ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), 4326)
           FROM json_to_recordset(?::json) AS r(idx int, slug text, name text, kind text, parent text, geometry text)`,
        [JSON.stringify(features)],
      );
      const res = await db.raw<{ rows: StagedCheck[] }>(
        `SELECT idx, slug, ST_IsValid(geom) AS valid, ST_IsValidReason(geom) AS reason,
                CASE WHEN ST_IsValid(geom) THEN ST_Area(geom::geography) ELSE 0 END AS area_m2, ST_NPoints(geom) AS npoints
           FROM import_regions ORDER BY idx`,
      );
      return res.rows;
    },

    /** Repairs what ST_MakeValid can repair without changing the shape's meaning (kept polygonal), and makes all multi. */
    async repair(idxs: number[]): Promise<void> {
      await db.raw(`UPDATE import_regions SET geom = ST_CollectionExtract(ST_MakeValid(geom), 3), made_valid = true WHERE idx = ANY(?::int[])`, [
        idxs,
      ]);
      await db.raw(`UPDATE import_regions SET geom = ST_Multi(geom)`);
    },

    /** Share of each child's area outside its parent (in the file or already stored); null parent = not found. */
    async parentCoverage(): Promise<{ idx: number; slug: string; parent: string; parent_found: boolean; outside_share: number | null }[]> {
      const res = await db.raw(
        `SELECT c.idx, c.slug, c.parent, (p.geom IS NOT NULL) AS parent_found,
                CASE WHEN p.geom IS NULL THEN NULL
                     ELSE ST_Area(ST_Difference(c.geom, p.geom)::geography) / nullif(ST_Area(c.geom::geography), 0) END AS outside_share
           FROM import_regions c
           LEFT JOIN LATERAL (
             SELECT geom FROM import_regions s WHERE s.slug = c.parent
             UNION ALL SELECT geom FROM regions r WHERE r.slug = c.parent AND NOT EXISTS (SELECT 1 FROM import_regions s2 WHERE s2.slug = c.parent)
             LIMIT 1) p ON true
          WHERE c.parent IS NOT NULL`,
      );
      return res.rows;
    },

    async parentKind(slug: string): Promise<string | undefined> {
      const staged = await db.raw(`SELECT kind FROM import_regions WHERE slug = ? UNION ALL SELECT kind FROM regions WHERE slug = ? LIMIT 1`, [
        slug,
        slug,
      ]);
      return staged.rows[0]?.kind;
    },

    /** Upserts one level (parents before children) by slug; returns the ids, whether each was new, and its geometry. */
    async apply(kind: string): Promise<{ id: string; slug: string; created: boolean; made_valid: boolean; geojson: string }[]> {
      const res = await db.raw(
        `WITH up AS (
           INSERT INTO regions (parent_id, slug, name, kind, area_m2, geom)
           SELECT (SELECT id FROM regions p WHERE p.slug = s.parent), s.slug, s.name, s.kind, ST_Area(s.geom::geography), s.geom
             FROM import_regions s WHERE s.kind = ?
           ON CONFLICT (slug) DO UPDATE SET parent_id = EXCLUDED.parent_id, name = EXCLUDED.name, kind = EXCLUDED.kind,
                                            area_m2 = EXCLUDED.area_m2, geom = EXCLUDED.geom
           RETURNING id, slug, (xmax = 0) AS created)
         SELECT up.id, up.slug, up.created, s.made_valid, ST_AsGeoJSON(s.geom) AS geojson FROM up JOIN import_regions s ON s.slug = up.slug`,
        [kind],
      );
      return res.rows;
    },

    async replaceCells(regionId: string, cells: string[]): Promise<void> {
      await db.raw(`DELETE FROM region_cells WHERE region_id = ?`, [regionId]);
      await db.raw(`INSERT INTO region_cells (region_id, h3_8) SELECT ?, unnest(?::bigint[])`, [regionId, cells]);
    },
  };
}

export type RegionImportRepository = ReturnType<typeof createRegionImportRepository>;
