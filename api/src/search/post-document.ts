import { bigintToCell, cellCentroid } from '../geo/h3.ts';
import type { PostSearchSource } from '../repositories/search-document.repository.ts';
import { HIGHLIGHT_MARKERS } from './highlight.ts';

/**
 * A post as the search index holds it. Only what anyone may know: cells (hex strings, the post's own index columns,
 * which derive from its display cell), regions, and `_geo` = the display cell's centroid — never the exact point.
 */
export interface PostDocument {
  id: number;
  kind: string;
  title: string;
  body: string;
  tags: string[];
  /** author handle: searchable, shown in results */
  author: string;
  /** for the "authors always see their own posts" audience rule */
  author_id: string;
  audience: 'public' | 'neighbors' | 'region' | 'area';
  /** offers: target area as res-8 cells (hex); empty for every other post */
  target_cells8: string[];
  cell: string;
  precision: number;
  h3_7: string;
  h3_8: string;
  h3_9: string;
  region_id: string | null;
  regions: string[];
  /** ms since the epoch */
  created_at: number;
  /** updated_at in µs since the epoch (exact in a double until the year 2255) */
  version: number;
  _geo: { lat: number; lng: number };
}

// The index's highlight markers must never occur in indexed text, or a user could forge highlights.
const MARKER_CHARS = new RegExp(`[${HIGHLIGHT_MARKERS.pre}${HIGHLIGHT_MARKERS.post}]`, 'g');
const clean = (text: string) => text.replace(MARKER_CHARS, '');

export function toPostDocument(src: PostSearchSource): PostDocument {
  const cell = bigintToCell(src.display_cell);
  const centroid = cellCentroid(cell);
  return {
    id: Number(src.id),
    kind: src.kind,
    title: clean(src.title),
    body: clean(src.body),
    tags: src.tags,
    author: src.author_handle,
    author_id: String(src.author_id),
    audience: src.audience,
    target_cells8: (src.target_cells8 ?? []).map((c) => bigintToCell(c)),
    cell,
    precision: src.precision,
    h3_7: bigintToCell(src.h3_7),
    h3_8: bigintToCell(src.h3_8),
    h3_9: bigintToCell(src.h3_9),
    region_id: src.region_id === null ? null : String(src.region_id),
    regions: src.region_ids.map(String),
    created_at: Number(src.created_ms),
    version: Number(src.version),
    _geo: { lat: centroid.lat, lng: centroid.lon },
  };
}
