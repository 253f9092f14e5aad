import type { StyleSpecification } from 'maplibre-gl';

// The self-contained base map: Berlin's districts and Ortsteile, water, green, rail and stations from
// the GeoJSON shipped in static/map/ (built by scripts/build-map-data.mjs). No tiles, sprites or glyph
// server: the style has no `glyphs` URL, so MapLibre draws label glyphs locally with the browser's fonts.

/** From static/map/SOURCES.md — shown by MapLibre's AttributionControl via each source's `attribution`. */
export const BOUNDARY_ATTRIBUTION =
  'Verwaltungsgrenzen: Amt für Statistik Berlin-Brandenburg / Geoportal Berlin (CC BY 3.0 DE / dl-de/by-2.0), ' +
  'aufbereitet von open-data-product (CC BY 4.0). Ortsteile: Geoportal Berlin (RBS) via ODIS.';
export const OSM_ATTRIBUTION =
  'Basiskarte: © <a href="https://www.openstreetmap.org/copyright" rel="noopener">OpenStreetMap</a> contributors (ODbL).';

/** Berlin as shipped; the map may not wander far off it. */
export const CITY_BOUNDS: [[number, number], [number, number]] = [
  [13.088, 52.338],
  [13.761, 52.676],
];
export const MAX_BOUNDS: [[number, number], [number, number]] = [
  [12.7, 52.2],
  [14.15, 52.8],
];
/** Alexanderplatz: where the board opens for visitors without a home. */
export const DEFAULT_CENTER = { lat: 52.5219, lon: 13.4132 };

export const FONT_REGULAR = ['Noto Sans Regular'];
export const FONT_BOLD = ['Noto Sans Bold'];

export function offlineStyle(origin: string): StyleSpecification {
  const data = (name: string) => new URL(`/map/${name}.geojson`, origin).href;
  const boundary = { type: 'geojson' as const, attribution: BOUNDARY_ATTRIBUTION };
  const osm = { type: 'geojson' as const, attribution: OSM_ATTRIBUTION };
  return {
    version: 8,
    name: 'Hexhood offline Berlin',
    sources: {
      districts: { ...boundary, data: data('districts') },
      neighborhoods: { ...boundary, data: data('neighborhoods') },
      labels: { ...boundary, data: data('labels') },
      water: { ...osm, data: data('water') },
      green: { ...osm, data: data('green') },
      rail: { ...osm, data: data('rail') },
      stations: { ...osm, data: data('stations') },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#dde2d6' } },
      { id: 'city-land', type: 'fill', source: 'districts', paint: { 'fill-color': '#f4efe2' } },
      {
        id: 'green',
        type: 'fill',
        source: 'green',
        paint: {
          'fill-color': ['match', ['get', 'kind'], 'forest', '#bcdcae', 'nature_reserve', '#c4e0b4', '#d3e8c4'],
          'fill-opacity': 0.9,
        },
      },
      { id: 'water', type: 'fill', source: 'water', paint: { 'fill-color': '#a8d1e8' } },
      {
        id: 'neighborhood-lines',
        type: 'line',
        source: 'neighborhoods',
        minzoom: 10.5,
        paint: { 'line-color': '#a89f92', 'line-width': 0.8, 'line-dasharray': [3, 2] },
      },
      {
        id: 'district-lines',
        type: 'line',
        source: 'districts',
        paint: { 'line-color': '#7d7264', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1, 14, 2.5] },
      },
      {
        id: 'rail-tram',
        type: 'line',
        source: 'rail',
        minzoom: 12.5,
        filter: ['all', ['==', ['get', 'kind'], 'tram'], ['!', ['get', 'underground']]],
        paint: { 'line-color': '#c05621', 'line-width': 1, 'line-opacity': 0.7 },
      },
      {
        id: 'rail-underground',
        type: 'line',
        source: 'rail',
        minzoom: 11,
        filter: ['all', ['!=', ['get', 'kind'], 'tram'], ['get', 'underground']],
        paint: {
          'line-color': ['match', ['get', 'kind'], 'u-bahn', '#3659a8', 's-bahn', '#2f7d32', '#6b6b6b'],
          'line-width': 1.4,
          'line-dasharray': [2, 1.5],
          'line-opacity': 0.75,
        },
      },
      {
        id: 'rail',
        type: 'line',
        source: 'rail',
        filter: ['all', ['!=', ['get', 'kind'], 'tram'], ['!', ['get', 'underground']]],
        paint: {
          'line-color': ['match', ['get', 'kind'], 'u-bahn', '#3659a8', 's-bahn', '#2f7d32', '#6b6b6b'],
          'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.8, 14, 2.2],
        },
      },
      {
        id: 'stations',
        type: 'circle',
        source: 'stations',
        minzoom: 12,
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2.5, 16, 5],
          'circle-color': '#ffffff',
          'circle-stroke-color': ['match', ['get', 'network'], 'U', '#3659a8', '#2f7d32'],
          'circle-stroke-width': 1.5,
        },
      },
      {
        id: 'station-labels',
        type: 'symbol',
        source: 'stations',
        minzoom: 14,
        layout: {
          'text-field': ['get', 'name'],
          'text-font': FONT_REGULAR,
          'text-size': 11,
          'text-offset': [0, 0.9],
          'text-anchor': 'top',
          'text-optional': true,
        },
        paint: { 'text-color': '#3b4148', 'text-halo-color': '#ffffff', 'text-halo-width': 1.2 },
      },
      {
        id: 'neighborhood-labels',
        type: 'symbol',
        source: 'labels',
        minzoom: 11.5,
        filter: ['==', ['get', 'kind'], 'neighborhood'],
        layout: {
          'text-field': ['get', 'name'],
          'text-font': FONT_REGULAR,
          'text-size': ['interpolate', ['linear'], ['zoom'], 11.5, 11, 15, 14],
          'text-max-width': 8,
          'text-padding': 4,
        },
        paint: { 'text-color': '#4b4339', 'text-halo-color': '#f4efe2', 'text-halo-width': 1.5 },
      },
      {
        id: 'district-labels',
        type: 'symbol',
        source: 'labels',
        maxzoom: 12.5,
        filter: ['==', ['get', 'kind'], 'district'],
        layout: {
          'text-field': ['get', 'name'],
          'text-font': FONT_BOLD,
          'text-size': ['interpolate', ['linear'], ['zoom'], 9, 11, 12, 15],
          'text-transform': 'uppercase',
          'text-letter-spacing': 0.06,
          'text-max-width': 9,
        },
        paint: { 'text-color': '#3f3a33', 'text-halo-color': '#f4efe2', 'text-halo-width': 1.8 },
      },
    ],
  };
}
