import type { ExpressionSpecification, Map as MapLibreMap } from 'maplibre-gl';

// The interest heat map's overlay: hexagons from /api/hexagons coloured by their value relative to the
// view's largest value, on a square-root scale (a few busy cells would otherwise wash out the rest).

export const HEAT_FILL = 'heat-fill';
export const HEAT_LINE = 'heat-line';
export const HEAT_SELECTED = 'heat-selected';
export const AREA_OUTLINE = 'trend-area-outline';

/** Sequential yellow → red (ColorBrewer YlOrRd), readable for the common colour-vision deficiencies. */
export const HEAT_COLOURS = ['#ffffb2', '#fecc5c', '#fd8d3c', '#f03b20', '#bd0026'] as const;
/** Where each colour sits on the 0..1 square-root scale. */
export const HEAT_STOPS = [0, 0.25, 0.5, 0.75, 1] as const;

/** The value at a colour stop: the inverse of the square-root scale. */
export const stopValue = (maxValue: number, stop: number): number => maxValue * stop * stop;

export function heatColour(maxValue: number): ExpressionSpecification {
  const ratio: ExpressionSpecification = ['sqrt', ['min', 1, ['/', ['to-number', ['get', 'value']], Math.max(maxValue, 1e-9)]]];
  const stops = HEAT_STOPS.flatMap((stop, i) => [stop, HEAT_COLOURS[i]!]);
  return ['interpolate', ['linear'], ratio, ...stops] as unknown as ExpressionSpecification;
}

const EMPTY = { type: 'FeatureCollection' as const, features: [] };

export function addHeatLayers(map: MapLibreMap): void {
  map.addSource('heat', { type: 'geojson', data: EMPTY, promoteId: 'cell' });
  map.addSource('trend-origin', { type: 'geojson', data: EMPTY });
  map.addLayer({
    id: HEAT_FILL,
    type: 'fill',
    source: 'heat',
    paint: { 'fill-color': heatColour(1), 'fill-opacity': 0.62 },
  });
  map.addLayer({
    id: HEAT_LINE,
    type: 'line',
    source: 'heat',
    paint: { 'line-color': '#7a2606', 'line-width': 0.6, 'line-opacity': 0.45 },
  });
  map.addLayer({
    id: HEAT_SELECTED,
    type: 'line',
    source: 'heat',
    // feature-state cannot filter; the outline is drawn for every cell and shown for the selected one.
    paint: { 'line-color': '#0b57d0', 'line-width': 3, 'line-opacity': ['case', ['boolean', ['feature-state', 'selected'], false], 1, 0] },
  });
  map.addLayer({
    id: 'trend-origin',
    type: 'circle',
    source: 'trend-origin',
    paint: { 'circle-radius': 7, 'circle-color': '#ffffff', 'circle-stroke-color': '#1f6f5c', 'circle-stroke-width': 3 },
  });
}

/**
 * Outlines the trends area when it is a region, using the offline style's own district/neighbourhood
 * tile layers (no extra download). A custom MAP_STYLE_URL style has no such source: then nothing is drawn.
 */
export function outlineRegion(map: MapLibreMap, region: { name: string; kind: 'district' | 'neighbourhood' } | null): void {
  if (map.getLayer(AREA_OUTLINE)) map.removeLayer(AREA_OUTLINE);
  if (!region || !map.getSource('base')) return;
  map.addLayer({
    id: AREA_OUTLINE,
    type: 'line',
    source: 'base',
    'source-layer': 'boundaries',
    filter: ['all', ['==', ['get', 'kind'], region.kind === 'district' ? 'district' : 'neighborhood'], ['==', ['get', 'name'], region.name]],
    paint: { 'line-color': '#1f6f5c', 'line-width': 3, 'line-dasharray': [3, 1.5] },
  });
}

type Position = [number, number];
type Geometry = { type: 'Polygon'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] };

/** west, south, east, north of a region's polygon in the shipped GeoJSON, or null when it is not there. */
export async function regionBounds(region: { name: string; kind: 'district' | 'neighbourhood' }): Promise<[number, number, number, number] | null> {
  const file = region.kind === 'district' ? 'districts' : 'neighborhoods';
  const response = await fetch(`/map/${file}.geojson`);
  if (!response.ok) return null;
  const collection = (await response.json()) as { features: { properties: { name?: string }; geometry: Geometry }[] };
  const feature = collection.features.find((f) => f.properties.name === region.name);
  if (!feature) return null;
  const rings = feature.geometry.type === 'Polygon' ? feature.geometry.coordinates : feature.geometry.coordinates.flat();
  let [west, south, east, north] = [180, 90, -180, -90];
  for (const [lon, lat] of rings.flat()) {
    west = Math.min(west, lon);
    east = Math.max(east, lon);
    south = Math.min(south, lat);
    north = Math.max(north, lat);
  }
  return [west, south, east, north];
}
