import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bigintToCell,
  cellCentroid,
  cellChildren as cellChildrenAt,
  cellParent,
  cellToBigint,
  distanceBucket,
  distanceMeters,
  feedCover,
  isCell,
  placeAtPrecision,
  pointToCell,
  snapOrigin,
  type Precision,
} from './h3.ts';

const berlinPoint = fc.record({
  lat: fc.double({ min: 52.34, max: 52.67, noNaN: true }),
  lon: fc.double({ min: 13.09, max: 13.76, noNaN: true }),
});
const precision = fc.constantFrom<Precision>(7, 8, 9);

describe('placeAtPrecision', () => {
  it('derives every index column from the display cell, never from the exact point', () => {
    fc.assert(
      fc.property(berlinPoint, precision, (p, prec) => {
        const placed = placeAtPrecision(p, prec);
        expect(placed.displayCell).toBe(pointToCell(p, prec));
        expect(cellParent(placed.h3_9, prec)).toBe(placed.displayCell);
        expect(placed.h3_8).toBe(cellParent(placed.h3_9, 8));
        expect(placed.h3_7).toBe(cellParent(placed.h3_9, 7));
        expect(placed.h3_5).toBe(cellParent(placed.h3_9, 5));
        expect(placed.centroid).toEqual(cellCentroid(placed.displayCell));
        // the centre child shares its parent's centre, so geom (display centroid) sits in h3_9
        expect(pointToCell(placed.centroid, 9)).toBe(placed.h3_9);
      }),
    );
  });

  it('gives two points in one display cell identical placements', () => {
    fc.assert(
      fc.property(berlinPoint, berlinPoint, precision, (a, b, prec) => {
        const pa = placeAtPrecision(a, prec);
        const pb = placeAtPrecision(b, prec);
        if (pa.displayCell === pb.displayCell) expect(pa).toEqual(pb);
      }),
      { numRuns: 200 },
    );
  });
});

describe('cells as bigint', () => {
  it('round-trips and validates', () => {
    const cell = pointToCell({ lat: 52.52, lon: 13.4 }, 9);
    expect(bigintToCell(cellToBigint(cell))).toBe(cell);
    expect(bigintToCell(cellToBigint(cell).toString())).toBe(cell);
    expect(isCell(cell)).toBe(true);
    expect(isCell('zzz')).toBe(false);
    expect(isCell('8f1f1d48903ffff')).toBe(false);
  });
});

describe('feedCover', () => {
  it('covers exactly the res-9 cells whose centres are within the radius (brute force check)', () => {
    fc.assert(
      fc.property(berlinPoint, fc.constantFrom(500, 1000, 2000), (p, radius) => {
        const origin = snapOrigin(p);
        const cover = feedCover(origin.cell, radius);
        const expanded = new Set<string>([...cover.res9, ...cover.res8.flatMap((c) => childrenAt9(c)), ...cover.res7.flatMap((c) => childrenAt9(c))]);
        // sample cells around: inside ⇔ in cover (with the 0.4% spheroid slack band excluded)
        for (let dx = -radius * 1.3; dx <= radius * 1.3; dx += radius / 5) {
          for (let dy = -radius * 1.3; dy <= radius * 1.3; dy += radius / 5) {
            const q = {
              lat: origin.centroid.lat + dy / 111_320,
              lon: origin.centroid.lon + dx / (111_320 * Math.cos((origin.centroid.lat * Math.PI) / 180)),
            };
            const cell = pointToCell(q, 9);
            const d = distanceMeters(origin.centroid, cellCentroid(cell));
            if (d <= radius) expect(expanded.has(cell)).toBe(true);
            if (d > radius * 1.004) expect(expanded.has(cell)).toBe(false);
          }
        }
      }),
      { numRuns: 15 },
    );
  });
});

function childrenAt9(cell: string): string[] {
  const out: string[] = [];
  const walk = (c: string) => {
    if (c.startsWith('89')) out.push(c);
    else for (const k of childrenOf(c)) walk(k);
  };
  walk(cell);
  return out;
}

function childrenOf(cell: string): string[] {
  return cellChildrenAt(cell, Number.parseInt(cell[1]!, 16) + 1);
}

describe('distanceBucket', () => {
  it('never reveals metres, only buckets', () => {
    expect(distanceBucket(0)).toBe('<500 m');
    expect(distanceBucket(499.9)).toBe('<500 m');
    expect(distanceBucket(500)).toBe('<1 km');
    expect(distanceBucket(1999)).toBe('<2 km');
    expect(distanceBucket(4999)).toBe('<5 km');
    expect(distanceBucket(5000)).toBe('>5 km');
  });
});
