import type pg from 'pg';
import { cellToBigint, polygonCells, type CellHex, type PolygonGeometry } from '../api/src/geo/h3.ts';
import { NEIGHBORHOOD_AT_SQL } from '../api/src/repositories/region.repository.ts';
import { slugify, type BerlinData } from './berlin-data.ts';
import { copyRows } from './copy.ts';

// The region hierarchy city → 12 Bezirke → 96 Ortsteile, and its res-8 cover in region_cells.

/** Berlin's average household size (Amt für Statistik Berlin-Brandenburg, Mikrozensus: ~1.8 persons). */
export const PERSONS_PER_HOUSEHOLD = 1.8;
/** Amtlicher Gemeindeschlüssel of Berlin. */
const CITY_CODE = '11000000';
export const REGION_CELL_RES = 8;

export interface SeededRegion {
  id: string;
  code: string;
  slug: string;
  name: string;
  geometry: PolygonGeometry;
}

export interface SeededNeighborhood extends SeededRegion {
  districtCode: string;
}

export interface SeededRegions {
  city: SeededRegion;
  districts: SeededRegion[];
  neighborhoods: SeededNeighborhood[];
  /** false when an earlier seed's regions were found and reused */
  created: boolean;
}

interface RegionInput {
  slug: string;
  name: string;
  code: string;
  population: number | null;
  geometry: unknown;
  parent_code: string | null;
}

/**
 * Six Ortsteile share their Bezirk's name (Mitte, Pankow, Spandau, Neukölln, Lichtenberg, Reinickendorf); the district
 * keeps the plain slug and the Ortsteil gets `-ortsteil`, so /regions/pankow is the district people mean.
 */
export function neighborhoodSlug(name: string, districtSlugs: ReadonlySet<string>): string {
  const slug = slugify(name);
  return districtSlugs.has(slug) ? `${slug}-ortsteil` : slug;
}

async function insertLevel(
  client: pg.ClientBase,
  kind: 'city' | 'district' | 'neighborhood',
  rows: RegionInput[],
  parentKind: 'city' | 'district' | null,
): Promise<void> {
  // One statement per level; ORDER BY code gives deterministic ids on a fresh database.
  await client.query(
    `INSERT INTO regions (parent_id, slug, name, kind, code, population, households, area_m2, geom)
     SELECT p.id, r.slug, r.name, $2, r.code, r.population, round(r.population / $4::float8),
            ST_Area(g.geom::geography), g.geom
       FROM json_to_recordset($1::json) AS r(slug text, name text, code text, population integer, geometry json, parent_code text)
       CROSS JOIN LATERAL (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(r.geometry), 4326)) AS geom) g
       LEFT JOIN regions p ON p.kind = $3 AND p.code = r.parent_code
      ORDER BY r.code`,
    [JSON.stringify(rows), kind, parentKind, PERSONS_PER_HOUSEHOLD],
  );
}

async function readRegions(client: pg.ClientBase, cityId: string): Promise<Omit<SeededRegions, 'created'>> {
  const { rows } = await client.query<{
    id: string;
    kind: string;
    code: string;
    slug: string;
    name: string;
    parent_code: string | null;
    geometry: PolygonGeometry;
  }>(
    `SELECT r.id, r.kind, r.code, r.slug, r.name, p.code AS parent_code, ST_AsGeoJSON(r.geom)::json AS geometry
       FROM regions r LEFT JOIN regions p ON p.id = r.parent_id
      WHERE r.id = $1 OR r.parent_id = $1 OR p.parent_id = $1
      ORDER BY r.code`,
    [cityId],
  );
  const pick = ({ id, code, slug, name, geometry }: (typeof rows)[number]): SeededRegion => ({ id, code, slug, name, geometry });
  const city = rows.find((r) => r.kind === 'city');
  if (!city) throw new Error('city region vanished');
  return {
    city: pick(city),
    districts: rows.filter((r) => r.kind === 'district').map(pick),
    neighborhoods: rows.filter((r) => r.kind === 'neighborhood').map((r) => ({ ...pick(r), districtCode: r.parent_code ?? '' })),
  };
}

/**
 * Creates Berlin, its districts and neighbourhoods (neighbourhood population is filled in later from the population
 * raster), or reuses them when a previous seed already made them.
 */
export async function seedRegions(client: pg.ClientBase, data: BerlinData): Promise<SeededRegions> {
  const existing = await client.query<{ id: string }>(`SELECT id FROM regions WHERE slug = 'berlin' AND kind = 'city'`);
  if (existing.rows[0]) return { ...(await readRegions(client, existing.rows[0].id)), created: false };

  const cityPopulation = data.districts.reduce((sum, d) => sum + d.population, 0);
  const districtSlugs = new Set(data.districts.map((d) => slugify(d.name)));
  await insertLevel(
    client,
    'city',
    [{ slug: 'berlin', name: data.city.name, code: CITY_CODE, population: cityPopulation, geometry: data.city.geometry, parent_code: null }],
    null,
  );
  await insertLevel(
    client,
    'district',
    data.districts.map((d) => ({
      slug: slugify(d.name),
      name: d.name,
      code: d.code,
      population: d.population,
      geometry: d.geometry,
      parent_code: CITY_CODE,
    })),
    'city',
  );
  await insertLevel(
    client,
    'neighborhood',
    data.neighborhoods.map((n) => ({
      slug: neighborhoodSlug(n.name, districtSlugs),
      name: n.name,
      code: n.code,
      population: null,
      geometry: n.geometry,
      parent_code: n.districtCode,
    })),
    'district',
  );
  const created = await client.query<{ id: string }>(`SELECT id FROM regions WHERE slug = 'berlin' AND kind = 'city'`);
  return { ...(await readRegions(client, created.rows[0]!.id)), created: true };
}

/** Neighbourhood population and households (population / 1.8), from the population raster. */
export async function updateNeighborhoodPopulation(
  client: pg.ClientBase,
  neighborhoods: readonly SeededNeighborhood[],
  population: ArrayLike<number>,
): Promise<void> {
  await client.query(
    `UPDATE regions r SET population = u.population, households = round(u.population / $3::float8)
       FROM unnest($1::bigint[], $2::integer[]) AS u(id, population) WHERE r.id = u.id`,
    [neighborhoods.map((n) => n.id), Array.from(population), PERSONS_PER_HOUSEHOLD],
  );
}

/**
 * region_cells: every res-8 cell that touches a region ('overlapping'), so any cell of Berlin maps to its city,
 * district and neighbourhood — border cells to each region they touch.
 */
export async function seedRegionCells(client: pg.ClientBase, regions: SeededRegions): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM region_cells WHERE region_id = $1`, [regions.city.id]);
  if (Number(rows[0]?.n) > 0) return 0;
  const all = [regions.city, ...regions.districts, ...regions.neighborhoods];
  function* lines(): Generator<string> {
    for (const region of all) {
      for (const cell of polygonCells(region.geometry, REGION_CELL_RES, 'overlapping')) {
        yield `${region.id}\t${cellToBigint(cell)}`;
      }
    }
  }
  return copyRows(client, 'region_cells', ['region_id', 'h3_8'], lines());
}

/**
 * The neighbourhood whose polygon covers each cell's centroid — the same ST_Covers test the API uses for a new post's
 * region_id, so seeded and live posts agree. Ties on a shared border go to the lower id.
 */
export async function neighborhoodsAtCentroids(
  client: pg.ClientBase,
  cells: readonly { cell: CellHex; lon: number; lat: number }[],
): Promise<Map<CellHex, string | null>> {
  const { rows } = await client.query<{ i: number; region_id: string | null }>(
    `SELECT c.i, ${NEIGHBORHOOD_AT_SQL} AS region_id
       FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS c(lon, lat, i)
       CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(c.lon, c.lat), 4326) AS geom) anchor`,
    [cells.map((c) => c.lon), cells.map((c) => c.lat)],
  );
  const out = new Map<CellHex, string | null>();
  for (const row of rows) out.set(cells[Number(row.i) - 1]!.cell, row.region_id);
  return out;
}
