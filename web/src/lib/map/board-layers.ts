import type { FeatureCollection, Point, Polygon } from 'geojson';
import type { GeoJSONSource, LayerSpecification, Map as MapLibreMap } from 'maplibre-gl';
import type { Post } from '$lib/api/client';
import { KIND_COLORS } from '$lib/format';
import type { Overlay } from './maplibre';
import { FONT_BOLD } from './offline-style';

// Overlay sources and layers of the board map, drawn on top of whichever base style is in use.

export interface MapView {
  lat: number;
  lon: number;
  zoom: number;
  /** west, south, east, north */
  bbox: [number, number, number, number];
}

export const HEX_FILL = 'hexagons-fill';
export const POST_MARKERS = 'post-markers';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/**
 * The board's overlay, part of the map's style from the start: its first frames draw base tiles, markers and
 * hexagons together, instead of one more frame (and tile reload) for every source added after `load`.
 */
export function boardOverlay(posts: readonly Post[]): Overlay {
  const layers: LayerSpecification[] = [
    {
      id: HEX_FILL,
      type: 'fill',
      source: 'hexagons',
      paint: {
        'fill-color': ['interpolate', ['linear'], ['get', 'count'], 1, '#fde0c5', 10, '#f9a45c', 50, '#e8590c', 200, '#9c3208'],
        'fill-opacity': ['case', ['boolean', ['feature-state', 'hover'], false], 0.6, 0.38],
        // the outline is hexagons-line's; an antialiased fill edge would need a shader program of its own
        'fill-antialias': false,
      },
    },
    {
      id: 'hexagons-line',
      type: 'line',
      source: 'hexagons',
      paint: { 'line-color': '#c2410c', 'line-width': 0.7, 'line-opacity': 0.6 },
    },
    {
      id: 'selected-cell-fill',
      type: 'fill',
      source: 'selected-cell',
      paint: { 'fill-color': '#1f6f5c', 'fill-opacity': 0.12, 'fill-antialias': false },
    },
    {
      id: 'selected-cell-line',
      type: 'line',
      source: 'selected-cell',
      paint: { 'line-color': '#1f6f5c', 'line-width': 3 },
    },
    {
      id: 'hovered-cell-fill',
      type: 'fill',
      source: 'hovered-cell',
      paint: { 'fill-color': '#0b57d0', 'fill-opacity': 0.18, 'fill-antialias': false },
    },
    {
      id: 'hovered-cell-line',
      type: 'line',
      source: 'hovered-cell',
      paint: { 'line-color': '#0b57d0', 'line-width': 2.5, 'line-dasharray': [2, 1] },
    },
    {
      id: POST_MARKERS,
      type: 'circle',
      source: 'posts',
      paint: {
        'circle-radius': ['case', ['boolean', ['feature-state', 'hover'], false], 12, ['min', 14, ['+', 7, ['get', 'count']]]],
        'circle-color': ['get', 'color'],
        'circle-stroke-color': ['case', ['boolean', ['feature-state', 'hover'], false], '#1b1f23', '#ffffff'],
        'circle-stroke-width': 2,
      },
    },
    {
      id: 'post-counts',
      type: 'symbol',
      source: 'posts',
      filter: ['>', ['get', 'count'], 1],
      layout: {
        'text-field': ['to-string', ['get', 'count']],
        'text-font': FONT_BOLD,
        'text-size': 11,
        'text-allow-overlap': true,
        'text-ignore-placement': true,
      },
      paint: { 'text-color': '#ffffff' },
    },
  ];
  return {
    sources: {
      hexagons: { type: 'geojson', data: EMPTY, promoteId: 'cell' },
      'selected-cell': { type: 'geojson', data: EMPTY },
      'hovered-cell': { type: 'geojson', data: EMPTY },
      posts: { type: 'geojson', data: postMarkers(posts), promoteId: 'cell' },
    },
    layers,
  };
}

/** One marker per display cell (several posts often share one), coloured by its newest post's kind. */
export function postMarkers(posts: readonly Post[]): FeatureCollection<Point> {
  const byCell = new Map<string, { post: Post; count: number }>();
  for (const post of posts) {
    const entry = byCell.get(post.cell);
    if (entry) entry.count += 1;
    else byCell.set(post.cell, { post, count: 1 });
  }
  return {
    type: 'FeatureCollection',
    features: [...byCell.values()].map(({ post, count }) => ({
      type: 'Feature',
      properties: { cell: post.cell, count, color: KIND_COLORS[post.kind].dot },
      geometry: { type: 'Point', coordinates: [post.centroid.lon, post.centroid.lat] },
    })),
  };
}

export function setSourceData(map: MapLibreMap, id: string, data: FeatureCollection | FeatureCollection<Polygon>): void {
  void (map.getSource(id) as GeoJSONSource | undefined)?.setData(data);
}

export const emptyCollection = (): FeatureCollection => ({ type: 'FeatureCollection', features: [] });

/** Metres per CSS pixel at a latitude and zoom (MapLibre uses 512-px tiles). */
export function metresPerPixel(lat: number, zoom: number): number {
  return (40075016.686 * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}
