import { Router } from 'express';
import { z } from 'zod';
import { defineRoute, registry } from '../contract/registry.ts';
import { NotFoundError } from '../http/errors.ts';
import { handle } from '../http/route.ts';
import type { RegionRepository, RegionRow } from '../repositories/region.repository.ts';

const RegionKind = z.enum(['city', 'district', 'neighborhood']);
const Region = registry.register(
  'Region',
  z.object({
    id: z.string(),
    parentId: z.string().nullable(),
    slug: z.string(),
    name: z.string(),
    kind: RegionKind,
    population: z.number().nullable(),
    households: z.number().nullable(),
    areaM2: z.number().nullable(),
  }),
);
const RegionList = registry.register('RegionList', z.object({ items: z.array(Region) }));
const RegionDetail = registry.register('RegionDetail', z.object({ region: Region, ancestors: z.array(Region) }));
const ListQuery = z.strictObject({ kind: RegionKind.optional(), parent: z.string().regex(/^[0-9]{1,18}$/).optional() });
const GeoQuery = z.strictObject({ kind: RegionKind.optional() });
const KeyParams = z.strictObject({ key: z.string().regex(/^[a-z0-9-]{1,80}$/, 'a region slug or id') });

const list = defineRoute({ method: 'get', path: '/api/regions', tag: 'regions', summary: 'Regions (city → district → neighbourhood)', query: ListQuery, response: RegionList });
const geojson = defineRoute({
  method: 'get',
  path: '/api/regions.geojson',
  tag: 'regions',
  summary: 'Region outlines as a GeoJSON FeatureCollection',
  query: GeoQuery,
  response: z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }),
});
const one = defineRoute({ method: 'get', path: '/api/regions/:key', tag: 'regions', summary: 'One region with its ancestors', params: KeyParams, response: RegionDetail, errors: [404] });

function present(r: RegionRow): z.infer<typeof Region> {
  return {
    id: r.id,
    parentId: r.parent_id,
    slug: r.slug,
    name: r.name,
    kind: r.kind,
    population: r.population,
    households: r.households,
    areaM2: r.area_m2,
  };
}

export function regionRoutes(regions: RegionRepository): Router {
  const r = Router();
  r.get(list.path, handle(list, async ({ query }) => ({ items: (await regions.list({ kind: query.kind, parentId: query.parent })).map(present) })));
  r.get(
    geojson.path,
    handle(geojson, async ({ query, res }) => {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      return (await regions.geojson({ kind: query.kind })) as { type: 'FeatureCollection'; features: unknown[] };
    }),
  );
  r.get(
    one.path,
    handle(one, async ({ params }) => {
      const region = await regions.findBySlugOrId(params.key);
      if (!region) throw new NotFoundError('Region');
      const chain = await regions.withAncestors(region.id);
      return { region: present(region), ancestors: chain.slice(1).map(present) };
    }),
  );
  return r;
}
