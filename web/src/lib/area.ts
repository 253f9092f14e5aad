import { DEFAULT_CENTER, MAX_BOUNDS } from '$lib/map/offline-style';

// Where Search and Trends look, as kept in their URLs: `area=home` (the signed-in user's home — its
// point never goes into the URL, so shared links do not leak it), `area=centre` with `lat`/`lon` (the
// board map's centre), or `area=<region slug>` (a district or neighbourhood from /api/regions).

export type LatLonPoint = { lat: number; lon: number };

export type Area = { kind: 'home'; point: LatLonPoint } | { kind: 'centre'; point: LatLonPoint } | { kind: 'region'; slug: string };

export interface AreaChoice {
  area: Area;
  /** The map centre carried in the URL (or Alexanderplatz), kept in the form so it survives searches. */
  centre: LatLonPoint;
  /** The URL's `area` value this choice stands for: 'home', 'centre' or a region slug. */
  value: string;
  /** Asked for `area=home` but there is no home to use (signed out, or no home set yet). */
  homeMissing: boolean;
}

const SLUG = /^[a-z0-9-]{1,80}$/;

function inBounds(lat: number, lon: number): boolean {
  const [[west, south], [east, north]] = MAX_BOUNDS;
  return Number.isFinite(lat) && Number.isFinite(lon) && lat >= south && lat <= north && lon >= west && lon <= east;
}

export function parseArea(params: URLSearchParams, home: LatLonPoint | null): AreaChoice {
  const lat = Number(params.get('lat'));
  const lon = Number(params.get('lon'));
  const centre = params.has('lat') && params.has('lon') && inBounds(lat, lon) ? { lat, lon } : DEFAULT_CENTER;
  const asked = params.get('area') ?? '';
  if (asked === 'home' || (asked === '' && home)) {
    if (home) return { area: { kind: 'home', point: home }, centre, value: 'home', homeMissing: false };
    return { area: { kind: 'centre', point: centre }, centre, value: 'centre', homeMissing: true };
  }
  if (asked !== 'centre' && SLUG.test(asked)) return { area: { kind: 'region', slug: asked }, centre, value: asked, homeMissing: false };
  return { area: { kind: 'centre', point: centre }, centre, value: 'centre', homeMissing: false };
}

/** The area as API query parameters (lat/lon travel as strings in the contract). */
export function areaQuery(area: Area): { lat: number; lon: number } | { region: string } {
  if (area.kind === 'region') return { region: area.slug };
  // five decimals (~1 m) keep URLs short and equal for equal areas; the API snaps to a cell anyway
  return { lat: Number(area.point.lat.toFixed(5)), lon: Number(area.point.lon.toFixed(5)) };
}

/** URL parameters that reproduce an area choice (never the home point). */
export function areaParams(choice: Pick<AreaChoice, 'value' | 'centre'>): Record<string, string> {
  const params: Record<string, string> = { area: choice.value };
  if (choice.value === 'centre') {
    params.lat = choice.centre.lat.toFixed(5);
    params.lon = choice.centre.lon.toFixed(5);
  }
  return params;
}
