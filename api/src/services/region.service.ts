import type { z } from 'zod';
import type { Region, RegionDetail, RegionGeoJson } from '../contract/region.schema.ts';
import { NotFoundError } from '../http/errors.ts';
import type { RegionRepository, RegionRow } from '../repositories/region.repository.ts';

type RegionDto = z.infer<typeof Region>;

function present(r: RegionRow): RegionDto {
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

export function createRegionService({ regions }: { regions: RegionRepository }) {
  return {
    async list(filter: { kind?: RegionRow['kind']; parentId?: string }): Promise<{ items: RegionDto[] }> {
      return { items: (await regions.list(filter)).map(present) };
    },

    async detail(key: string): Promise<z.infer<typeof RegionDetail>> {
      const region = await regions.findBySlugOrId(key);
      if (!region) throw new NotFoundError('Region');
      const chain = await regions.withAncestors(region.id);
      return { region: present(region), ancestors: chain.slice(1).map(present) };
    },

    async outlines(filter: { kind?: RegionRow['kind'] }): Promise<z.infer<typeof RegionGeoJson>> {
      return (await regions.geojson(filter)) as z.infer<typeof RegionGeoJson>;
    },
  };
}

export type RegionService = ReturnType<typeof createRegionService>;
