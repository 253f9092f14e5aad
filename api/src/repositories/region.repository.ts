import type { Db } from '../db/knex.ts';
import { readSql } from './sql-file.ts';

/** The neighbourhood rule (neighborhood-at.sql) as an expression over a row source `anchor(geom)`. */
export const NEIGHBORHOOD_AT_SQL = readSql('neighborhood-at.sql');
const AT_POINT = `WITH anchor AS (SELECT ST_SetSRID(ST_MakePoint(?, ?), 4326) AS geom)`;

export interface RegionRow {
  id: string;
  parent_id: string | null;
  slug: string;
  name: string;
  kind: 'city' | 'district' | 'neighborhood';
  population: number | null;
  households: number | null;
  area_m2: number | null;
}

const COLUMNS = ['id', 'parent_id', 'slug', 'name', 'kind', 'population', 'households', 'area_m2'] as const;

export function createRegionRepository(db: Db) {
  return {
    async list(filter: { kind?: string; parentId?: string }): Promise<RegionRow[]> {
      const q = db<RegionRow>('regions')
        .select(...COLUMNS)
        .orderBy([{ column: 'kind' }, { column: 'name' }]);
      if (filter.kind) q.where('kind', filter.kind);
      if (filter.parentId) q.where('parent_id', filter.parentId);
      return q;
    },

    async findBySlugOrId(key: string): Promise<RegionRow | undefined> {
      const q = db<RegionRow>('regions').select(...COLUMNS);
      return /^[0-9]+$/.test(key) ? q.where('id', key).first() : q.where('slug', key).first();
    },

    /** The neighbourhood of a display-cell centroid (neighborhood-at.sql). */
    async neighborhoodAt(lat: number, lon: number): Promise<string | null> {
      const res = await db.raw<{ rows: { id: string | null }[] }>(`${AT_POINT} SELECT ${NEIGHBORHOOD_AT_SQL} AS id FROM anchor`, [lon, lat]);
      return res.rows[0]?.id ?? null;
    },

    /** The neighbourhood ids sharing a district with the neighbourhood of a point (for audience=region checks). */
    async sameDistrictNeighborhoods(lat: number, lon: number): Promise<string[]> {
      const res = await db.raw<{ rows: { id: string }[] }>(
        `${AT_POINT}, home AS (SELECT ${NEIGHBORHOOD_AT_SQL} AS id FROM anchor)
         SELECT sibling.id FROM home JOIN regions n ON n.id = home.id
           JOIN regions sibling ON sibling.parent_id = n.parent_id AND sibling.kind = 'neighborhood'
          ORDER BY sibling.id`,
        [lon, lat],
      );
      return res.rows.map((r) => r.id);
    },

    /** A region and all its ancestors, nearest first. */
    async withAncestors(id: string): Promise<RegionRow[]> {
      const res = await db.raw<{ rows: RegionRow[] }>(
        `WITH RECURSIVE up AS (
           SELECT ${COLUMNS.join(', ')}, 0 AS depth FROM regions WHERE id = ?
           UNION ALL
           SELECT ${COLUMNS.map((c) => `r.${c}`).join(', ')}, up.depth + 1 FROM regions r JOIN up ON r.id = up.parent_id
         ) SELECT ${COLUMNS.join(', ')} FROM up ORDER BY depth`,
        [id],
      );
      return res.rows;
    },

    async geojson(filter: { kind?: string }): Promise<unknown> {
      const res = await db.raw<{ rows: { fc: unknown }[] }>(
        `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
                  'type', 'Feature', 'id', id,
                  'properties', json_build_object('id', id::text, 'slug', slug, 'name', name, 'kind', kind, 'parentId', parent_id::text),
                  'geometry', ST_AsGeoJSON(geom, 5)::json) ORDER BY id), '[]'::json)) AS fc
           FROM regions WHERE (?::text IS NULL OR kind = ?)`,
        [filter.kind ?? null, filter.kind ?? null],
      );
      return res.rows[0]?.fc;
    },
  };
}

export type RegionRepository = ReturnType<typeof createRegionRepository>;
