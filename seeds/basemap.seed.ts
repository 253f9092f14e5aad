import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { DATA_DIR } from './berlin-data.ts';

// Loads the base map layers (streets, water, green, rail, stations, districts, Ortsteile and their label points) into
// basemap_features and the street gazetteer into addresses, from seeds/data (see SOURCES.md for licences). Reference
// data, not demo content: it is loaded whenever the tables are empty, also on a database that already has posts.

/** The lowest zoom each street class is served at: main roads from the city view on, paths only close up. */
export const STREET_MINZOOM: Record<string, number> = { primary: 9, secondary: 11, tertiary: 12, residential: 13, square: 13, path: 14 };

interface LayerSource {
  layer: string;
  file: string;
  kind?: string;
  name?: string;
  underground?: boolean;
  minzoom?: string;
}

const LAYERS: LayerSource[] = [
  {
    layer: 'streets',
    file: 'streets/berlin_streets.geojson',
    kind: `f->'properties'->>'class'`,
    name: `f->'properties'->>'name'`,
    minzoom: `CASE f->'properties'->>'class' ${Object.entries(STREET_MINZOOM)
      .map(([k, z]) => `WHEN '${k}' THEN ${z}`)
      .join(' ')} ELSE 14 END`,
  },
  { layer: 'water', file: 'basemap/berlin_water.geojson', kind: `f->'properties'->>'kind'`, name: `f->'properties'->>'name'` },
  { layer: 'green', file: 'basemap/berlin_green.geojson', kind: `f->'properties'->>'kind'`, name: `f->'properties'->>'name'` },
  {
    layer: 'rail',
    file: 'basemap/berlin_rail.geojson',
    kind: `f->'properties'->>'kind'`,
    underground: true,
  },
  {
    layer: 'stations',
    file: 'basemap/berlin_stations.geojson',
    kind: `f->'properties'->>'network'`,
    name: `f->'properties'->>'name'`,
    minzoom: '12',
  },
  { layer: 'districts', file: 'boundaries/berlin_bezirke.geojson', name: `f->'properties'->>'name'` },
  { layer: 'neighborhoods', file: 'boundaries/berlin_ortsteile.geojson', name: `f->'properties'->>'name'` },
];

/** The most vertices one stored piece has (ST_Subdivide). */
const SUBDIVIDE_VERTICES = 128;

const readJson = (relative: string) => fs.readFileSync(path.join(DATA_DIR, relative), 'utf8');

async function loadBasemap(db: Knex): Promise<number> {
  let total = 0;
  for (const l of LAYERS) {
    const res = await db.raw(
      `INSERT INTO basemap_features (layer, kind, name, underground, minzoom, geom)
       SELECT ?, ${l.kind ?? 'NULL'}, ${l.name ?? 'NULL'},
              ${l.underground ? `(f->'properties'->>'underground')::boolean` : 'NULL'}, ${l.minzoom ?? '0'},
              ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 4326), 3857)
       FROM json_array_elements(?::json->'features') f`,
      [l.layer, readJson(l.file)],
    );
    total += res.rowCount ?? 0;
  }
  // Place labels: a point well inside each district and Ortsteil (the centre of its largest inscribed circle; a
  // centroid can fall outside a concave shape).
  const labels = await db.raw(
    `INSERT INTO basemap_features (layer, kind, name, minzoom, geom)
     SELECT 'labels', CASE layer WHEN 'districts' THEN 'district' ELSE 'neighborhood' END, name,
            CASE layer WHEN 'districts' THEN 0 ELSE 10 END,
            (ST_MaximumInscribedCircle(geom)).center
     FROM basemap_features WHERE layer IN ('districts', 'neighborhoods')`,
  );
  total += labels.rowCount ?? 0;
  // Boundaries as lines of their own (a polygon split into pieces below would draw its cut lines as borders).
  const boundaries = await db.raw(
    `INSERT INTO basemap_features (layer, kind, name, minzoom, geom)
     SELECT 'boundaries', CASE layer WHEN 'districts' THEN 'district' ELSE 'neighborhood' END, name,
            CASE layer WHEN 'districts' THEN 0 ELSE 10 END, ST_Subdivide(ST_Boundary(geom), ${SUBDIVIDE_VERTICES})
     FROM basemap_features WHERE layer IN ('districts', 'neighborhoods')`,
  );
  total += boundaries.rowCount ?? 0;
  // Long lines and big polygons (a whole rail network, a district) would be clipped in full for every tile they touch:
  // split them into pieces of at most SUBDIVIDE_VERTICES vertices, as tile servers do, so a tile clips only its own.
  const split = await db.raw(
    `WITH big AS (
       DELETE FROM basemap_features WHERE layer NOT IN ('labels', 'stations', 'boundaries') AND ST_NPoints(geom) > ${SUBDIVIDE_VERTICES}
       RETURNING layer, kind, name, underground, minzoom, geom)
     INSERT INTO basemap_features (layer, kind, name, underground, minzoom, geom)
     SELECT layer, kind, name, underground, minzoom, ST_Subdivide(geom, ${SUBDIVIDE_VERTICES}) FROM big`,
  );
  total += split.rowCount ?? 0;
  return total;
}

export interface GazetteerRow {
  street: string;
  postcode: string;
  ortsteil: string;
  bezirk: string;
  lon: number | null;
  lat: number | null;
  point_source: string;
  n_addresses: number;
  house_numbers: string[];
}

/** The gazetteer CSV (plain: no quoted fields). */
export function readGazetteer(): GazetteerRow[] {
  const [header, ...lines] = fs.readFileSync(path.join(DATA_DIR, 'addresses/berlin_street_gazetteer.csv'), 'utf8').trim().split(/\r?\n/);
  const cols = (header ?? '').split(',');
  const at = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw new Error(`gazetteer: no column ${name}`);
    return i;
  };
  const [street, postcode, ortsteil, bezirk, lon, lat, source, n, numbers] = [
    'street',
    'postcode',
    'ortsteil',
    'bezirk',
    'lon',
    'lat',
    'point_source',
    'n_addresses',
    'house_numbers',
  ].map(at) as number[];
  return lines.map((line) => {
    const f = line.split(',');
    const num = (i: number) => (f[i] ? Number(f[i]) : null);
    return {
      street: f[street!]!,
      postcode: f[postcode!]!,
      ortsteil: f[ortsteil!]!,
      bezirk: f[bezirk!]!,
      lon: num(lon!),
      lat: num(lat!),
      point_source: f[source!]!,
      n_addresses: Number(f[n!]),
      house_numbers: (f[numbers!] ?? '').split(' ').filter(Boolean),
    };
  });
}

async function loadAddresses(db: Knex): Promise<number> {
  const rows = readGazetteer();
  const res = await db.raw(
    `INSERT INTO addresses (street, postcode, ortsteil, bezirk, geom, point_source, n_addresses, house_numbers)
     SELECT r.street, r.postcode, r.ortsteil, r.bezirk,
            CASE WHEN r.lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326) END,
            r.point_source, r.n_addresses, r.house_numbers
     FROM json_to_recordset(?::json) AS r(street text, postcode text, ortsteil text, bezirk text, lon float8, lat float8,
                                          point_source text, n_addresses int, house_numbers text[])
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(rows)],
  );
  return res.rowCount ?? 0;
}

/** Loads what is missing (each table only when empty); safe to repeat. Returns the rows added. */
export async function seedBasemap(db: Knex): Promise<{ features: number; addresses: number }> {
  return db.transaction(async (trx) => {
    // one loader at a time (tests and npm start may race on a fresh database)
    await trx.raw(`SELECT pg_advisory_xact_lock(hashtext('hexhood:basemap-seed'))`);
    const count = async (table: string) => Number((await trx(table).count<{ count: string }[]>('* as count'))[0]?.count ?? 0);
    const features = (await count('basemap_features')) === 0 ? await loadBasemap(trx) : 0;
    const addresses = (await count('addresses')) === 0 ? await loadAddresses(trx) : 0;
    if (features) await trx.raw('ANALYZE basemap_features');
    if (addresses) await trx.raw('ANALYZE addresses');
    return { features, addresses };
  });
}
