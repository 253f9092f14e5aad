import { DEFAULT_FEED_RADIUS } from '$contract';
import { POST_KINDS, RADII, type PostKind, type Radius } from '$lib/api/client';
import { DEFAULT_CENTER, MAX_BOUNDS } from '$lib/map/offline-style';

/** What the board shows, as kept in its URL (?lat&lon&z&r&cell&kind) so views can be shared and reloaded. */
export interface BoardView {
  lat: number;
  lon: number;
  zoom: number;
  radius: Radius;
  cell: string | null;
  kind: PostKind | null;
  /** with kind for_sale: only things given away (?free=1) */
  free?: boolean;
  /** issue 13: only people and shops I follow (?following=1) */
  following?: boolean;
}

const inRange = (v: number, min: number, max: number) => Number.isFinite(v) && v >= min && v <= max;

export function parseBoardView(params: URLSearchParams, home: { lat: number; lon: number } | null): BoardView {
  const lat = Number(params.get('lat'));
  const lon = Number(params.get('lon'));
  const [[west, south], [east, north]] = MAX_BOUNDS;
  const hasPoint = params.has('lat') && params.has('lon') && inRange(lat, south, north) && inRange(lon, west, east);
  const origin = hasPoint ? { lat, lon } : (home ?? DEFAULT_CENTER);
  const zoom = Number(params.get('z'));
  const radius = Number(params.get('r'));
  const cell = params.get('cell');
  const kind = params.get('kind');
  return {
    lat: origin.lat,
    lon: origin.lon,
    zoom: inRange(zoom, 9, 18) ? zoom : 14,
    radius: (RADII as readonly number[]).includes(radius) ? (radius as Radius) : DEFAULT_FEED_RADIUS,
    cell: cell && /^[0-9a-f]{15}$/i.test(cell) ? cell.toLowerCase() : null,
    kind: kind && (POST_KINDS as readonly string[]).includes(kind) ? (kind as PostKind) : null,
    free: kind === 'for_sale' && params.get('free') === '1',
    following: params.get('following') === '1',
  };
}

export function boardSearch(view: BoardView): string {
  const params = new URLSearchParams({
    lat: view.lat.toFixed(5),
    lon: view.lon.toFixed(5),
    z: view.zoom.toFixed(2),
    r: String(view.radius),
  });
  if (view.cell) params.set('cell', view.cell);
  if (view.kind) params.set('kind', view.kind);
  if (view.free) params.set('free', '1');
  if (view.following) params.set('following', '1');
  return `?${params}`;
}

export const FEED_PAGE_SIZE = 20;
