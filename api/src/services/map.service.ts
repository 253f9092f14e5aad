import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import { TILE_LAYER_SETS } from '../contract/limits.ts';
import { cellPolygon, isCell } from '../geo/h3.ts';
import { BadRequestError, NotFoundError } from '../http/errors.ts';
import type { BasemapRepository } from '../repositories/basemap.repository.ts';

export interface Tile {
  /** MVT bytes; empty: nothing on this tile */
  body: Buffer;
  /** the same bytes gzipped (what most clients accept) */
  gzip: Buffer;
  etag: string;
}

export interface MapDeps {
  basemap: BasemapRepository;
  /** tiles kept in memory (default 2000, ~30 MB at most for city tiles) */
  cacheTiles?: number;
}

/**
 * The base map's vector tiles and the place names of hexagon boards. The base map is reference data that changes only
 * when it is reloaded, so tiles are cached in memory and get an ETag from their bytes.
 */
export function createMapService({ basemap, cacheTiles = 2000 }: MapDeps) {
  const tiles = new LRUCache<string, Tile>({ max: cacheTiles, ttl: 10 * 60_000 });
  const places = new LRUCache<string, { ortsteil: string | null; street: string | null }>({ max: 5000, ttl: 60 * 60_000 });

  return {
    async tile(layerSet: string, z: number, x: number, y: number): Promise<Tile> {
      if (!(TILE_LAYER_SETS as readonly string[]).includes(layerSet)) throw new NotFoundError('Tile set');
      const key = `${layerSet}/${z}/${x}/${y}`;
      const cached = tiles.get(key);
      if (cached) return cached;
      const body = await basemap.tile(z, x, y);
      const tile: Tile = {
        body,
        gzip: body.length ? gzipSync(body, { level: 6 }) : body,
        etag: `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`,
      };
      tiles.set(key, tile);
      return tile;
    },

    /** Where a hexagon is: its Ortsteil and the main street through it, as a board title. */
    async cellPlace(cell: string) {
      if (!isCell(cell)) throw new BadRequestError('Invalid params.', [{ field: 'params.cell', message: 'not a valid H3 cell' }]);
      let place = places.get(cell);
      if (!place) {
        place = await basemap.placeOf(JSON.stringify({ type: 'Polygon', coordinates: [cellPolygon(cell)] }));
        places.set(cell, place);
      }
      const title = [place.street, place.ortsteil].filter(Boolean).join(', ') || null;
      return { cell, ...place, title };
    },
  };
}

export type MapService = ReturnType<typeof createMapService>;
