import type pg from 'pg';
import { cellCentroid, cellPolygon, polygonCells, type CellHex, type LatLon } from '../api/src/geo/h3.ts';
import type { BerlinData } from './berlin-data.ts';
import { copyRows } from './copy.ts';
import { WeightedIndex, type Rng } from './random.ts';
import type { SeededNeighborhood } from './regions.seed.ts';

// Where Berliners live, as a res-10 raster (~0.015 km² cells, ~60k of them). Method (dasymetric, see SOURCES.md):
// each of the 58 LOR forecast areas spreads its registered population over the raster cells whose centre lies in it,
// giving cells whose centre is on water or in forest/green areas a small residual share only; neighbourhood
// populations are the sums over their cells, scaled per district to the district's registered total. Users' homes
// and posts are drawn from this raster, so they follow population, not area.

export const RASTER_RES = 10;
/** Relative density of water/forest/green cells: not zero, people do post from the Tiergarten and the Müggelsee. */
const UNINHABITED_DENSITY = 0.02;

export interface PopulationRaster {
  cells: CellHex[];
  /** residents per cell */
  people: Float64Array;
  /** index into the neighbourhood list for each cell */
  neighborhood: Uint16Array;
  /** per cell: centre lon/lat then six vertices, 14 numbers, for drawing uniform points inside the hexagon */
  shapes: Float64Array;
  /** residents per neighbourhood, integers summing to each district's registered population */
  neighborhoodPopulation: Int32Array;
}

async function classifyCells(
  client: pg.ClientBase,
  data: BerlinData,
  centres: LatLon[],
): Promise<{ forecastArea: (string | null)[]; uninhabited: boolean[] }> {
  await client.query(`
    CREATE TEMP TABLE seed_forecast_area (code text, population integer, geom geometry) ON COMMIT DROP;
    CREATE TEMP TABLE seed_uninhabited (geom geometry) ON COMMIT DROP;
    CREATE TEMP TABLE seed_raster (i integer, lon float8, lat float8) ON COMMIT DROP;`);
  // Subdivided polygons keep each point-in-polygon test to a few dozen vertices.
  await client.query(
    `INSERT INTO seed_forecast_area
     SELECT f.code, f.population, ST_Subdivide(ST_SetSRID(ST_GeomFromGeoJSON(f.geometry), 4326), 64)
       FROM json_to_recordset($1::json) AS f(code text, population integer, geometry json)`,
    [JSON.stringify(data.forecastAreas)],
  );
  await client.query(
    `INSERT INTO seed_uninhabited
     SELECT ST_Subdivide((ST_Dump(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)), 3))).geom, 64)
       FROM json_array_elements_text($1::json) AS g`,
    [JSON.stringify(data.uninhabited)],
  );
  await copyRows(
    client,
    'seed_raster',
    ['i', 'lon', 'lat'],
    centres.map((c, i) => `${i}\t${c.lon}\t${c.lat}`),
  );
  await client.query(`
    CREATE INDEX ON seed_forecast_area USING gist (geom);
    CREATE INDEX ON seed_uninhabited USING gist (geom);
    ANALYZE seed_forecast_area; ANALYZE seed_uninhabited;`);
  const { rows } = await client.query<{ i: number; code: string | null; uninhabited: boolean }>(`
    SELECT r.i,
           (SELECT f.code FROM seed_forecast_area f WHERE ST_Covers(f.geom, p.pt) ORDER BY f.code LIMIT 1) AS code,
           EXISTS (SELECT 1 FROM seed_uninhabited u WHERE ST_Covers(u.geom, p.pt)) AS uninhabited
      FROM seed_raster r CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326) AS pt) p`);
  const forecastArea = new Array<string | null>(centres.length).fill(null);
  const uninhabited = new Array<boolean>(centres.length).fill(false);
  for (const row of rows) {
    forecastArea[row.i] = row.code;
    uninhabited[row.i] = row.uninhabited;
  }
  return { forecastArea, uninhabited };
}

/** Integers proportional to `shares` that add up to exactly `total` (largest remainder). */
function apportion(total: number, shares: number[]): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  if (sum <= 0) return shares.map(() => 0);
  const exact = shares.map((s) => (s / sum) * total);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i]! += 1;
  }
  return out;
}

export async function buildPopulationRaster(
  client: pg.ClientBase,
  data: BerlinData,
  neighborhoods: readonly SeededNeighborhood[],
): Promise<PopulationRaster> {
  // Centre containment: each cell belongs to exactly one neighbourhood (first one wins on an exact border tie).
  const owner = new Map<CellHex, number>();
  neighborhoods.forEach((n, i) => {
    for (const cell of polygonCells(n.geometry, RASTER_RES, 'center')) if (!owner.has(cell)) owner.set(cell, i);
  });
  const cells = [...owner.keys()].sort();
  const neighborhood = Uint16Array.from(cells, (c) => owner.get(c)!);
  const centres = cells.map(cellCentroid);
  const shapes = new Float64Array(cells.length * 14);
  cells.forEach((cell, i) => {
    shapes[i * 14] = centres[i]!.lon;
    shapes[i * 14 + 1] = centres[i]!.lat;
    const ring = cellPolygon(cell); // closed GeoJSON ring: six vertices + the first again
    for (let v = 0; v < 6; v++) {
      const [lon, lat] = ring[v] as [number, number];
      shapes[i * 14 + 2 + v * 2] = lon;
      shapes[i * 14 + 3 + v * 2] = lat;
    }
  });

  const { forecastArea, uninhabited } = await classifyCells(client, data, centres);
  const density = uninhabited.map((u) => (u ? UNINHABITED_DENSITY : 1));
  const areaDensity = new Map<string, number>();
  forecastArea.forEach((code, i) => {
    if (code) areaDensity.set(code, (areaDensity.get(code) ?? 0) + density[i]!);
  });
  const areaPopulation = new Map(data.forecastAreas.map((f) => [f.code, f.population]));
  const people = new Float64Array(cells.length);
  forecastArea.forEach((code, i) => {
    if (code) people[i] = ((areaPopulation.get(code) ?? 0) * density[i]!) / areaDensity.get(code)!;
  });

  // Scale per district so the raster adds up to each district's registered population, then round per neighbourhood.
  const raw = new Float64Array(neighborhoods.length);
  cells.forEach((_, i) => (raw[neighborhood[i]!]! += people[i]!));
  const neighborhoodPopulation = new Int32Array(neighborhoods.length);
  const scale = new Float64Array(neighborhoods.length);
  for (const district of data.districts) {
    const members = neighborhoods.flatMap((n, i) => (n.districtCode === district.code ? [i] : []));
    const rounded = apportion(
      district.population,
      members.map((i) => raw[i]!),
    );
    members.forEach((i, k) => {
      neighborhoodPopulation[i] = rounded[k]!;
      scale[i] = raw[i]! > 0 ? rounded[k]! / raw[i]! : 0;
    });
  }
  cells.forEach((_, i) => (people[i]! *= scale[neighborhood[i]!]!));
  return { cells, people, neighborhood, shapes, neighborhoodPopulation };
}

/** Draws residents' locations: a cell by population, then a uniform point inside its hexagon. */
export class ResidentSampler {
  private readonly byPopulation: WeightedIndex;
  private readonly withinNeighborhoods = new Map<string, WeightedIndex & { cellIndexes: number[] }>();

  constructor(private readonly raster: PopulationRaster) {
    this.byPopulation = new WeightedIndex(raster.people);
  }

  /** A raster cell index, weighted by population; optionally restricted to some neighbourhoods. */
  cellIndex(rng: Rng, neighborhoods?: readonly number[]): number {
    if (!neighborhoods) return this.byPopulation.draw(rng);
    const key = neighborhoods.join(',');
    let sub = this.withinNeighborhoods.get(key);
    if (!sub) {
      const allowed = new Set(neighborhoods);
      const cellIndexes = this.raster.cells.flatMap((_, i) => (allowed.has(this.raster.neighborhood[i]!) ? [i] : []));
      sub = Object.assign(new WeightedIndex(cellIndexes.map((i) => this.raster.people[i]!)), { cellIndexes });
      this.withinNeighborhoods.set(key, sub);
    }
    return sub.cellIndexes[sub.draw(rng)]!;
  }

  /** Uniform point in the cell's hexagon: one of its six centre-fan triangles, then a uniform point in that. */
  pointIn(rng: Rng, cellIndex: number): LatLon {
    const s = this.raster.shapes;
    const o = cellIndex * 14;
    const v = Math.floor(rng.next() * 6);
    const w = (v + 1) % 6;
    let a = rng.next();
    let b = rng.next();
    if (a + b > 1) {
      a = 1 - a;
      b = 1 - b;
    }
    const cx = s[o]!;
    const cy = s[o + 1]!;
    return {
      lon: cx + a * (s[o + 2 + v * 2]! - cx) + b * (s[o + 2 + w * 2]! - cx),
      lat: cy + a * (s[o + 3 + v * 2]! - cy) + b * (s[o + 3 + w * 2]! - cy),
    };
  }
}
