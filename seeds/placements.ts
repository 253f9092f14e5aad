import {
  cellCentroid,
  cellDisk,
  cellParent,
  cellToBigint,
  placeAtPrecision,
  pointToCell,
  PRECISIONS,
  type CellHex,
  type LatLon,
  type Precision,
} from '../api/src/geo/h3.ts';
import type { Station } from './berlin-data.ts';

// Turns an exact point + precision into the public columns of a post, following the privacy rules: everything but
// lat/lon comes from placeAtPrecision (display cell, its centre child h3_9, parents of h3_9, display centroid), and
// the neighbourhood and the nearest station named in the text are looked up from the display centroid too.

export interface Placement {
  displayCell: string;
  h3_9: string;
  h3_8: string;
  h3_7: string;
  h3_5: string;
  /** EWKT of the display-cell centroid */
  geom: string;
  regionId: string | null;
  regionName: string | null;
  station: string;
}

/**
 * Every display cell a point drawn inside one of the raster cells can fall in: the raster cells' parents at each
 * precision plus their neighbours (a child cell pokes slightly outside its parent, never past the next ring).
 */
export function candidateDisplayCells(rasterCells: readonly CellHex[]): { cell: CellHex; lon: number; lat: number }[] {
  const out = new Set<CellHex>();
  for (const res of PRECISIONS) {
    const parents = new Set<CellHex>();
    for (const cell of rasterCells) parents.add(cellParent(cell, res));
    for (const parent of parents) for (const cell of cellDisk(parent, 1)) out.add(cell);
  }
  return [...out].sort().map((cell) => ({ cell, ...cellCentroid(cell) }));
}

function nearestStation(stations: readonly Station[], at: LatLon): string {
  const kx = Math.cos((at.lat * Math.PI) / 180);
  let best = stations[0];
  let bestD = Infinity;
  for (const s of stations) {
    const dx = (s.lon - at.lon) * kx;
    const dy = s.lat - at.lat;
    const d = dx * dx + dy * dy;
    if (d < bestD) {
      bestD = d;
      best = s;
    }
  }
  return best?.name ?? 'S+U Alexanderplatz';
}

/** placeAtPrecision's result depends only on the display cell, so it is computed once per display cell. */
export class PlacementCache {
  private readonly cache = new Map<CellHex, Placement>();

  constructor(
    private readonly neighborhoodAt: ReadonlyMap<CellHex, string | null>,
    private readonly regionNames: ReadonlyMap<string, string>,
    private readonly stations: readonly Station[],
  ) {}

  place(point: LatLon, precision: Precision): Placement {
    const key = pointToCell(point, precision);
    let placement = this.cache.get(key);
    if (!placement) {
      const placed = placeAtPrecision(point, precision);
      const regionId = this.neighborhoodAt.get(placed.displayCell);
      if (regionId === undefined) throw new Error(`display cell ${placed.displayCell} is outside the precomputed cover`);
      placement = {
        displayCell: cellToBigint(placed.displayCell).toString(),
        h3_9: cellToBigint(placed.h3_9).toString(),
        h3_8: cellToBigint(placed.h3_8).toString(),
        h3_7: cellToBigint(placed.h3_7).toString(),
        h3_5: cellToBigint(placed.h3_5).toString(),
        geom: `SRID=4326;POINT(${placed.centroid.lon} ${placed.centroid.lat})`,
        regionId,
        regionName: regionId === null ? null : (this.regionNames.get(regionId) ?? null),
        station: nearestStation(this.stations, placed.centroid),
      };
      this.cache.set(key, placement);
    }
    return placement;
  }

  get size(): number {
    return this.cache.size;
  }
}
