import { LRUCache } from 'lru-cache';
import {
  cellArea,
  cellToBoundary,
  cellToCenterChild,
  cellToChildren,
  cellToLatLng,
  cellToParent,
  compactCells,
  getHexagonAreaAvg,
  getHexagonEdgeLengthAvg,
  getResolution,
  greatCircleDistance,
  gridDisk,
  isValidCell,
  latLngToCell,
  polygonToCellsExperimental,
  POLYGON_TO_CELLS_FLAGS,
  UNITS,
} from 'h3-js';

// The only module that calls h3-js. Cells travel as 15-hex-digit strings and are stored as bigint.

export type CellHex = string;
export type Precision = 7 | 8 | 9;
export const PRECISIONS: readonly Precision[] = [7, 8, 9];
export const STORAGE_RES = 9;

export interface LatLon {
  lat: number;
  lon: number;
}

export function cellToBigint(cell: CellHex): bigint {
  return BigInt(`0x${cell}`);
}

/** pg hands bigint columns over as strings; both forms are accepted. */
export function bigintToCell(value: bigint | string | number): CellHex {
  return BigInt(value).toString(16);
}

export function isCell(value: string): boolean {
  return /^[0-9a-f]{15}$/i.test(value) && isValidCell(value.toLowerCase());
}

export function cellResolution(cell: CellHex): number {
  return getResolution(cell);
}

export function cellCentroid(cell: CellHex): LatLon {
  const [lat, lon] = cellToLatLng(cell);
  return { lat, lon };
}

export function cellParent(cell: CellHex, res: number): CellHex {
  return cellToParent(cell, res);
}

export function cellChildren(cell: CellHex, res: number): CellHex[] {
  return cellToChildren(cell, res);
}

/** Ring of cells around (and including) a cell. */
export function cellDisk(cell: CellHex, k: number): CellHex[] {
  return gridDisk(cell, k);
}

export function pointToCell(point: LatLon, res: number): CellHex {
  return latLngToCell(point.lat, point.lon, res);
}

export interface PlacedCells {
  displayCell: CellHex;
  h3_9: CellHex;
  h3_8: CellHex;
  h3_7: CellHex;
  /** res-5 parent: the shard key if posts are ever distributed (see ARCHITECTURE.md, Scaling out) */
  h3_5: CellHex;
  centroid: LatLon;
}

/**
 * Where a post lives for everyone but its author. The display cell is the exact point's cell at the chosen
 * precision; h3_9 is the display cell's centre child, and the coarser columns are parents of h3_9 — so two posts
 * in one display cell get identical index columns wherever their exact points are.
 */
export function placeAtPrecision(point: LatLon, precision: Precision): PlacedCells {
  const displayCell = latLngToCell(point.lat, point.lon, precision);
  const h3_9 = precision === 9 ? displayCell : cellToCenterChild(displayCell, 9);
  return {
    displayCell,
    h3_9,
    h3_8: cellToParent(h3_9, 8),
    h3_7: cellToParent(h3_9, 7),
    h3_5: cellToParent(h3_9, 5),
    centroid: cellCentroid(displayCell),
  };
}

/** Query origins are snapped to their res-9 cell before use, so nobody queries from an exact point. */
export function snapOrigin(point: LatLon): { cell: CellHex; centroid: LatLon } {
  const cell = latLngToCell(point.lat, point.lon, STORAGE_RES);
  return { cell, centroid: cellCentroid(cell) };
}

export function distanceMeters(a: LatLon, b: LatLon): number {
  return greatCircleDistance([a.lat, a.lon], [b.lat, b.lon], UNITS.m);
}

export const DISTANCE_BUCKETS = ['<500 m', '<1 km', '<2 km', '<5 km', '>5 km'] as const;
export type DistanceBucket = (typeof DISTANCE_BUCKETS)[number];

export function distanceBucket(meters: number): DistanceBucket {
  if (meters < 500) return '<500 m';
  if (meters < 1000) return '<1 km';
  if (meters < 2000) return '<2 km';
  if (meters < 5000) return '<5 km';
  return '>5 km';
}

/**
 * Cells to query for "everything whose display centroid lies within radius of the origin", grouped by the
 * resolution of the column that answers them. We take every res-9 cell whose centroid is inside the circle (the
 * same test ST_DWithin applies to posts' display centroids) and compact the set, so the inside of the circle is a
 * few coarse cells and only the rim costs res-9 lookups. The small slack covers sphere-vs-spheroid distance.
 */
export interface FeedCover {
  res7: CellHex[];
  res8: CellHex[];
  res9: CellHex[];
}

const SPHEROID_SLACK = 1.004;
// Covers depend only on (origin cell, radius); busy areas ask for the same few thousand again and again.
const coverCache = new LRUCache<string, FeedCover>({ max: 2000 });

export function feedCover(originCell: CellHex, radiusMeters: number): FeedCover {
  const key = `${originCell}:${radiusMeters}`;
  const cached = coverCache.get(key);
  if (cached) return cached;
  const origin = cellCentroid(originCell);
  // Neighbouring res-9 centres are ~sqrt(3) edge lengths apart; edges vary, so pad the ring generously.
  const spacing = Math.sqrt(3) * getHexagonEdgeLengthAvg(STORAGE_RES, UNITS.m) * 0.75;
  const k = Math.ceil(radiusMeters / spacing) + 1;
  const limit = radiusMeters * SPHEROID_SLACK;
  const inside = gridDisk(originCell, k).filter((c) => distanceMeters(origin, cellCentroid(c)) <= limit);
  const cover: FeedCover = { res7: [], res8: [], res9: [] };
  for (const cell of compactCells(inside)) {
    const res = getResolution(cell);
    if (res === 9) cover.res9.push(cell);
    else if (res === 8) cover.res8.push(cell);
    else if (res === 7) cover.res7.push(cell);
    else cover.res7.push(...cellToChildren(cell, 7));
  }
  coverCache.set(key, cover);
  return cover;
}

const coverKeyCache = new LRUCache<string, FeedCover>({ max: 2000 });

/** feedCover with the cells as bigint strings, the form the index columns are queried with (cached the same way). */
export function feedCoverKeys(originCell: CellHex, radiusMeters: number): FeedCover {
  const key = `${originCell}:${radiusMeters}`;
  const cached = coverKeyCache.get(key);
  if (cached) return cached;
  const cover = feedCover(originCell, radiusMeters);
  const big = (cells: CellHex[]) => cells.map((c) => cellToBigint(c).toString());
  const keys: FeedCover = { res7: big(cover.res7), res8: big(cover.res8), res9: big(cover.res9) };
  coverKeyCache.set(key, keys);
  return keys;
}

/** GeoJSON polygon ring ([lon, lat], closed) of a cell. */
export function cellPolygon(cell: CellHex): number[][] {
  const ring = cellToBoundary(cell, true);
  return ring;
}

/** GeoJSON (Multi)Polygon geometry, [lon, lat] rings, outer ring first. */
export type PolygonGeometry = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

/**
 * Cells of a resolution for a (Multi)Polygon. 'center': cells whose centre lies inside, so each cell belongs to exactly
 * one of a set of non-overlapping polygons. 'overlapping': every cell touching the polygon, a complete cover (a cell on
 * a border belongs to each region it touches).
 */
export function polygonCells(geometry: PolygonGeometry, res: number, containment: 'center' | 'overlapping' = 'center'): CellHex[] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const flag = containment === 'center' ? POLYGON_TO_CELLS_FLAGS.containmentCenter : POLYGON_TO_CELLS_FLAGS.containmentOverlapping;
  const cells = new Set<CellHex>();
  for (const rings of polygons) for (const cell of polygonToCellsExperimental(rings, res, flag, true)) cells.add(cell);
  return [...cells];
}

export type Bbox = [west: number, south: number, east: number, north: number];

/**
 * Roughly how many cells of a resolution a bbox spans, without enumerating them — enumerating is the expensive part
 * a huge bbox would abuse. Uses the spherical area of the lat/lon rectangle.
 */
export function bboxCellEstimate([w, s, e, n]: Bbox, res: number): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const areaM2 = R * R * Math.abs((e - w) * rad) * Math.abs(Math.sin(n * rad) - Math.sin(s * rad));
  return areaM2 / getHexagonAreaAvg(res, UNITS.m2);
}

/** Every cell of a resolution that touches the bbox, so cells cut by a viewport edge are still drawn. */
export function bboxCover([w, s, e, n]: Bbox, res: number): CellHex[] {
  return polygonCells(
    {
      type: 'Polygon',
      coordinates: [
        [
          [w, s],
          [e, s],
          [e, n],
          [w, n],
          [w, s],
        ],
      ],
    },
    res,
    'overlapping',
  );
}

export function cellAreaM2(cell: CellHex): number {
  return cellArea(cell, UNITS.m2);
}
