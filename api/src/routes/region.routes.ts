import { Router } from 'express';
import { RegionDetail, RegionGeoJson, RegionGeoQuery, RegionKeyParams, RegionList, RegionListQuery } from '../contract/region.schema.ts';
import { defineRoute } from '../contract/registry.ts';
import { handle } from '../http/route.ts';
import type { RegionService } from '../services/region.service.ts';

const list = defineRoute({
  method: 'get',
  path: '/api/regions',
  tag: 'regions',
  summary: 'Regions (city → district → neighbourhood)',
  query: RegionListQuery,
  response: RegionList,
});
const geojson = defineRoute({
  method: 'get',
  path: '/api/regions.geojson',
  tag: 'regions',
  summary: 'Region outlines as a GeoJSON FeatureCollection',
  query: RegionGeoQuery,
  response: RegionGeoJson,
});
const one = defineRoute({
  method: 'get',
  path: '/api/regions/:key',
  tag: 'regions',
  summary: 'One region with its ancestors',
  params: RegionKeyParams,
  response: RegionDetail,
  errors: [404],
});

export function regionRoutes(regions: RegionService): Router {
  const r = Router();
  r.get(
    list.path,
    handle(list, async ({ query }) => regions.list({ kind: query.kind, parentId: query.parent })),
  );
  r.get(
    geojson.path,
    handle(geojson, async ({ query, res }) => {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      return regions.outlines({ kind: query.kind });
    }),
  );
  r.get(
    one.path,
    handle(one, async ({ params }) => regions.detail(params.key)),
  );
  return r;
}
