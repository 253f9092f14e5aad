import { Router } from 'express';
import { AddressList, AddressQuery, CellPlace, CellPlaceParams, TileParams } from '../contract/map.schema.ts';
import { defineRoute } from '../contract/registry.ts';
import { BadRequestError } from '../http/errors.ts';
import { fieldErrors, handle } from '../http/route.ts';
import type { AddressService } from '../services/address.service.ts';
import type { MapService } from '../services/map.service.ts';

const tile = defineRoute({
  method: 'get',
  path: '/api/tiles/:layerSet/:z/:x/:y.mvt',
  tag: 'map',
  summary:
    'A Mapbox Vector Tile of the base map (layers districts, neighborhoods, water, green, rail, streets, stations, labels); ' +
    '200 application/vnd.mapbox-vector-tile, 204 when the tile is empty, 304 on a matching If-None-Match',
  params: TileParams,
  errors: [404],
});
const addresses = defineRoute({
  method: 'get',
  path: '/api/addresses',
  tag: 'map',
  summary: 'Address search: streets of Berlin by name, postcode and Ortsteil (typo-tolerant; a house number may follow)',
  query: AddressQuery,
  response: AddressList,
  errors: [503],
});
const cellPlace = defineRoute({
  method: 'get',
  path: '/api/places/:cell',
  tag: 'map',
  summary: "A hexagon's place: its Ortsteil and the main street through it",
  params: CellPlaceParams,
  response: CellPlace,
});

/** A day fresh, then revalidated with the ETag (the base map changes only when it is reloaded). */
const TILE_CACHE = 'public, max-age=86400, stale-while-revalidate=604800';

export function mapRoutes(map: MapService, addressSearch: AddressService): Router {
  const r = Router();
  r.get(tile.path, async (req, res) => {
    const parsed = TileParams.safeParse(req.params);
    if (!parsed.success) throw new BadRequestError('Invalid tile address.', fieldErrors(parsed.error, 'params'));
    const { layerSet, z, x, y } = parsed.data;
    const t = await map.tile(layerSet, z, x, y);
    res.setHeader('Cache-Control', TILE_CACHE);
    res.setHeader('ETag', t.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Access-Control-Allow-Origin', '*');
    const match = req.headers['if-none-match'];
    if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === t.etag)) {
      res.status(304).end();
      return;
    }
    if (t.body.length === 0) {
      res.status(204).end();
      return;
    }
    res.type('application/vnd.mapbox-vector-tile');
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.setHeader('Content-Encoding', 'gzip');
      res.end(t.gzip);
    } else {
      res.end(t.body);
    }
  });
  r.get(
    addresses.path,
    handle(addresses, async ({ query }) => addressSearch.search(query.q, query.limit)),
  );
  r.get(
    cellPlace.path,
    handle(cellPlace, async ({ params, res }) => {
      res.setHeader('Cache-Control', 'public, max-age=86400');
      return map.cellPlace(params.cell);
    }),
  );
  return r;
}
