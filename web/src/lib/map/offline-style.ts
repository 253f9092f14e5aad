import type { ExpressionSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';

// The self-contained base map: Berlin's districts and Ortsteile, water, green, rail, stations, streets and place
// labels as vector tiles from our own API (/api/tiles/base/{z}/{x}/{y}.mvt, built by PostGIS from the seeded base
// layers). No sprites or glyph server: the style has no `glyphs` URL, so MapLibre draws label glyphs locally with
// the browser's fonts.

/** From static/map/SOURCES.md — shown by MapLibre's AttributionControl via each source's `attribution`. */
export const BOUNDARY_ATTRIBUTION =
  'Verwaltungsgrenzen: Amt für Statistik Berlin-Brandenburg / Geoportal Berlin (CC BY 3.0 DE / dl-de/by-2.0), ' +
  'aufbereitet von open-data-product (CC BY 4.0). Ortsteile: Geoportal Berlin (RBS) via ODIS.';
export const OSM_ATTRIBUTION =
  'Basiskarte: © <a href="https://www.openstreetmap.org/copyright" rel="noopener">OpenStreetMap</a> contributors (ODbL).';

export const STREET_ATTRIBUTION = 'Straßennetz: BBBike-Daten © Slaven Rezić (GPL), Stand 2013/14.';

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

/** The tile source's zoom range; MapLibre overzooms the last level's tiles up to the map's maxZoom. */
export const TILE_MAX_ZOOM = 15;

/**
 * Street width in pixels for a class's relative width, growing with the zoom. A zoom-only expression per layer: the
 * style keeps every line layer on one shader program (see offlineStyle), so the width is not a per-feature `match`.
 */
const streetWidth = (relative: number): ExpressionSpecification => [
  'interpolate',
  ['exponential', 1.6],
  ['zoom'],
  10,
  relative * 0.5,
  13,
  relative * 1.5,
  16,
  relative * 6,
  18,
  relative * 16,
];

/** Street classes drawn as their own layers (widest on top), with their fill colour and relative width. */
const STREET_CLASSES = [
  { id: 'streets', filter: ['!', ['match', ['get', 'class'], ['path', 'primary', 'secondary'], true, false]], color: '#ffffff', width: 0.9 },
  { id: 'streets-secondary', filter: ['==', ['get', 'class'], 'secondary'], color: '#fce9b4', width: 1.3 },
  { id: 'streets-primary', filter: ['==', ['get', 'class'], 'primary'], color: '#fbd88a', width: 1.6 },
] satisfies { id: string; filter: ExpressionSpecification; color: string; width: number }[];

/** Rail networks and their colours (U-Bahn blue, S-Bahn green, other rail grey); trams are drawn apart. */
const RAIL_KINDS = [
  { id: 'u', filter: ['==', ['get', 'kind'], 'u-bahn'], color: '#3659a8' },
  { id: 's', filter: ['==', ['get', 'kind'], 's-bahn'], color: '#2f7d32' },
  { id: 'other', filter: ['!', ['match', ['get', 'kind'], ['u-bahn', 's-bahn', 'tram'], true, false]], color: '#6b6b6b' },
] satisfies { id: string; filter: ExpressionSpecification; color: string }[];

const GREEN_KINDS = [
  { id: 'green', filter: ['!', ['match', ['get', 'kind'], ['forest', 'nature_reserve'], true, false]], color: '#d3e8c4' },
  { id: 'green-forest', filter: ['==', ['get', 'kind'], 'forest'], color: '#bcdcae' },
  { id: 'green-reserve', filter: ['==', ['get', 'kind'], 'nature_reserve'], color: '#c4e0b4' },
] satisfies { id: string; filter: ExpressionSpecification; color: string }[];

const underground: ExpressionSpecification = ['to-boolean', ['get', 'underground']];

export function offlineStyle(origin: string): StyleSpecification {
  const base = 'base';
  const layer = (name: string) => ({ source: base, 'source-layer': name });
  return {
    version: 8,
    name: 'Hexhood offline Berlin',
    sources: {
      [base]: {
        type: 'vector',
        // not new URL(): it would percent-encode the {z}/{x}/{y} placeholders
        tiles: [`${origin.replace(/\/$/, '')}/api/tiles/base/{z}/{x}/{y}.mvt`],
        minzoom: 0,
        maxzoom: TILE_MAX_ZOOM,
        bounds: [CITY_BOUNDS[0][0], CITY_BOUNDS[0][1], CITY_BOUNDS[1][0], CITY_BOUNDS[1][1]],
        attribution: `${BOUNDARY_ATTRIBUTION} ${OSM_ATTRIBUTION} ${STREET_ATTRIBUTION}`,
      },
    },
    // Every paint value below is constant or depends on the zoom only, never on a feature's properties: classes that
    // look different are layers of their own. MapLibre compiles one shader program per layer type and set of
    // feature-driven properties, and under software WebGL (SwiftShader, no GPU) each program costs tens of
    // milliseconds of main thread on the first frame; this way the whole base map needs one line, one dashed line,
    // one fill, one circle and one text program.
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#dde2d6' } },
      // no antialiased outline: the city's edge is rarely in view, and its outline would need a program of its own
      { id: 'city-land', type: 'fill', ...layer('districts'), paint: { 'fill-color': '#f4efe2', 'fill-antialias': false } },
      ...GREEN_KINDS.map((green): LayerSpecification => ({
        id: green.id,
        type: 'fill',
        ...layer('green'),
        filter: green.filter,
        paint: { 'fill-color': green.color, 'fill-opacity': 0.9 },
      })),
      { id: 'water', type: 'fill', ...layer('water'), paint: { 'fill-color': '#a8d1e8' } },
      {
        id: 'neighborhood-lines',
        type: 'line',
        ...layer('boundaries'),
        minzoom: 10.5,
        filter: ['==', ['get', 'kind'], 'neighborhood'],
        paint: { 'line-color': '#a89f92', 'line-width': 0.8, 'line-dasharray': [3, 2] },
      },
      {
        id: 'street-paths',
        type: 'line',
        ...layer('streets'),
        minzoom: 14,
        filter: ['==', ['get', 'class'], 'path'],
        layout: { 'line-cap': 'round' },
        paint: { 'line-color': '#b3a48c', 'line-width': ['interpolate', ['linear'], ['zoom'], 14, 0.6, 18, 2], 'line-dasharray': [2, 1.5] },
      },
      ...STREET_CLASSES.map((street): LayerSpecification => ({
        id: `${street.id}-casing`,
        type: 'line',
        ...layer('streets'),
        minzoom: 12,
        filter: street.filter,
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: {
          'line-color': '#c9bfae',
          'line-gap-width': streetWidth(street.width),
          'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.4, 16, 1.2],
        },
      })),
      ...STREET_CLASSES.map((street): LayerSpecification => ({
        id: street.id,
        type: 'line',
        ...layer('streets'),
        filter: street.filter,
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': street.color, 'line-width': streetWidth(street.width) },
      })),
      {
        id: 'district-lines',
        type: 'line',
        ...layer('boundaries'),
        filter: ['==', ['get', 'kind'], 'district'],
        paint: { 'line-color': '#7d7264', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1, 14, 2.5] },
      },
      {
        id: 'rail-tram',
        type: 'line',
        ...layer('rail'),
        minzoom: 12.5,
        filter: ['all', ['==', ['get', 'kind'], 'tram'], ['!', underground]],
        paint: { 'line-color': '#c05621', 'line-width': 1, 'line-opacity': 0.7 },
      },
      ...RAIL_KINDS.map((rail): LayerSpecification => ({
        id: `rail-underground-${rail.id}`,
        type: 'line',
        ...layer('rail'),
        minzoom: 11,
        filter: ['all', rail.filter, underground],
        paint: { 'line-color': rail.color, 'line-width': 1.4, 'line-dasharray': [2, 1.5], 'line-opacity': 0.75 },
      })),
      ...RAIL_KINDS.map((rail): LayerSpecification => ({
        id: `rail-${rail.id}`,
        type: 'line',
        ...layer('rail'),
        filter: ['all', rail.filter, ['!', underground]],
        paint: { 'line-color': rail.color, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.8, 14, 2.2] },
      })),
      ...(['U', 'S'] as const).map((network): LayerSpecification => ({
        id: `stations-${network.toLowerCase()}`,
        type: 'circle',
        ...layer('stations'),
        minzoom: 12,
        filter: ['==', ['get', 'network'], network],
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 2.5, 16, 5],
          'circle-color': '#ffffff',
          'circle-stroke-color': network === 'U' ? '#3659a8' : '#2f7d32',
          'circle-stroke-width': 1.5,
        },
      })),
      {
        // Street names along their lines: main roads from zoom 14, every street from 15.
        id: 'street-labels',
        type: 'symbol',
        ...layer('streets'),
        minzoom: 14,
        filter: ['all', ['has', 'name'], ['any', ['>=', ['zoom'], 15], ['match', ['get', 'class'], ['primary', 'secondary'], true, false]]],
        layout: {
          'symbol-placement': 'line',
          'text-field': ['get', 'name'],
          'text-font': FONT_REGULAR,
          'text-size': ['interpolate', ['linear'], ['zoom'], 14, 10, 17, 13],
          'text-max-angle': 35,
          'symbol-spacing': 320,
          'text-padding': 2,
        },
        paint: { 'text-color': '#3d3a35', 'text-halo-color': '#ffffff', 'text-halo-width': 1.4 },
      },
      {
        id: 'station-labels',
        type: 'symbol',
        ...layer('stations'),
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
        ...layer('labels'),
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
        ...layer('labels'),
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
