import type pg from 'pg';
import type { Db } from '../db/knex.ts';

// The base map's vector tiles, built in PostgreSQL the way martin does it: each layer's features in the tile (plus a
// buffer) are simplified for the zoom, clipped and quantised with ST_AsMVTGeom, encoded with ST_AsMVT, and the layers
// concatenated into one tile. basemap_features is stored in EPSG:3857, so nothing is transformed per request.

export const TILE_EXTENT = 4096;
const BUFFER = 64;

interface TileLayer {
  layer: string;
  /** attribute list: column AS name */
  columns: string;
  /** points: no buffer (a label in two tiles would be drawn twice) */
  points?: boolean;
}

export const TILE_LAYERS: readonly TileLayer[] = [
  // the city's land (district polygons, stored in pieces) and the district and Ortsteil borders as lines
  { layer: 'districts', columns: 'f.name' },
  { layer: 'boundaries', columns: 'f.kind, f.name' },
  { layer: 'water', columns: 'f.kind, f.name' },
  { layer: 'green', columns: 'f.kind' },
  { layer: 'rail', columns: 'f.kind, f.underground' },
  { layer: 'streets', columns: 'f.name, f.kind AS class' },
  { layer: 'stations', columns: 'f.name, f.kind AS network', points: true },
  { layer: 'labels', columns: 'f.name, f.kind', points: true },
];

function layerSql({ layer, columns, points }: TileLayer): string {
  const geom = points ? 'f.geom' : 'CASE WHEN t.tol > 0 THEN ST_Simplify(f.geom, t.tol) ELSE f.geom END';
  return `(SELECT COALESCE(ST_AsMVT(q, '${layer}', ${TILE_EXTENT}, 'geom'), ''::bytea) FROM (
      SELECT ST_AsMVTGeom(${geom}, t.env, ${TILE_EXTENT}, ${points ? 0 : BUFFER}, true) AS geom, ${columns}
      FROM basemap_features f
      WHERE f.layer = '${layer}' AND f.minzoom <= t.z AND f.geom && ${points ? 't.env' : 't.benv'}
    ) q WHERE q.geom IS NOT NULL)`;
}

const TILE_SQL = `
  WITH t AS (
    SELECT ST_TileEnvelope($1::int, $2::int, $3::int) AS env,
           ST_TileEnvelope($1::int, $2::int, $3::int, margin => ${BUFFER / TILE_EXTENT}) AS benv,
           $1::int AS z, $4::float8 AS tol
  )
  SELECT ${TILE_LAYERS.map(layerSql).join('\n  || ')} AS tile FROM t`;

/** A named statement: each pooled connection plans the eight-layer query once, not per tile. */
const TILE_STATEMENT = 'hexhood_basemap_tile_v1';

/** Web Mercator metres per tile pixel (of TILE_EXTENT) at zoom z. */
export const pixelMetres = (z: number) => 40_075_016.686 / 2 ** z / TILE_EXTENT;

export function createBasemapRepository(db: Db) {
  return {
    /** The tile's MVT bytes (empty when nothing is there). */
    async tile(z: number, x: number, y: number): Promise<Buffer> {
      // Below street zoom, drop detail finer than a pixel; close up the data's own ~2 m simplification is enough.
      const tol = z < 14 ? pixelMetres(z) : 0;
      const conn = (await db.client.acquireConnection()) as pg.ClientBase;
      try {
        const res = await conn.query<{ tile: Buffer }>({ name: TILE_STATEMENT, text: TILE_SQL, values: [z, x, y, tol] });
        return res.rows[0]?.tile ?? Buffer.alloc(0);
      } finally {
        await db.client.releaseConnection(conn);
      }
    },

    /** A number that changes whenever the base map is reloaded (part of the tiles' ETag). */
    async version(): Promise<string> {
      const res = await db.raw<{ rows: { v: string }[] }>(`SELECT count(*)::text || '-' || coalesce(max(id), 0)::text AS v FROM basemap_features`);
      return res.rows[0]?.v ?? '0';
    },

    /** The Ortsteil and the main named street through a polygon (an H3 cell's outline, lon/lat). */
    async placeOf(polygonGeoJson: string): Promise<{ ortsteil: string | null; street: string | null }> {
      const res = await db.raw<{ rows: { ortsteil: string | null; street: string | null }[] }>(
        `WITH cell AS (SELECT ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326), 3857) AS g)
         SELECT
           (SELECT f.name FROM basemap_features f, cell WHERE f.layer = 'neighborhoods' AND f.geom && cell.g
            GROUP BY f.name ORDER BY sum(ST_Area(ST_Intersection(f.geom, cell.g))) DESC LIMIT 1) AS ortsteil,
           (SELECT f.name FROM basemap_features f, cell WHERE f.layer = 'streets' AND f.name IS NOT NULL AND f.geom && cell.g
              AND ST_Intersects(f.geom, cell.g)
            GROUP BY f.name, f.kind
            ORDER BY CASE f.kind WHEN 'primary' THEN 0 WHEN 'secondary' THEN 1 WHEN 'tertiary' THEN 2
                                 WHEN 'residential' THEN 3 WHEN 'square' THEN 4 ELSE 5 END,
                     sum(ST_Length(ST_Intersection(f.geom, cell.g))) DESC
            LIMIT 1) AS street
         FROM cell`,
        [polygonGeoJson],
      );
      return res.rows[0] ?? { ortsteil: null, street: null };
    },
  };
}

export type BasemapRepository = ReturnType<typeof createBasemapRepository>;
