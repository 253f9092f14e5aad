import type { Feature, Polygon } from 'geojson';

// h3-js (~95 kB gzip) is loaded on demand, after the board's first paint.
type H3 = typeof import('h3-js');
let h3: Promise<H3> | undefined;

export function loadH3(): Promise<H3> {
  h3 ??= import('h3-js');
  return h3;
}

export function cellFeature(lib: H3, cell: string, properties: Record<string, unknown> = {}): Feature<Polygon> {
  return {
    type: 'Feature',
    properties: { cell, ...properties },
    geometry: { type: 'Polygon', coordinates: [lib.cellToBoundary(cell, true)] },
  };
}

export async function cellPolygon(cell: string): Promise<Feature<Polygon>> {
  return cellFeature(await loadH3(), cell);
}
