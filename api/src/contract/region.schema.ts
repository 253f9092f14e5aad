import { z } from 'zod';
import { Id, RegionKeyString } from './common.schema.ts';
import { registry } from './registry.ts';

export const REGION_KINDS = ['city', 'district', 'neighborhood'] as const;
export const RegionKind = z.enum(REGION_KINDS).openapi('RegionKind');

export const Region = registry.register(
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
export const RegionList = registry.register('RegionList', z.object({ items: z.array(Region) }));
export const RegionDetail = registry.register('RegionDetail', z.object({ region: Region, ancestors: z.array(Region) }));
export const RegionGeoJson = registry.register(
  'RegionGeoJson',
  z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }).openapi({ description: 'GeoJSON FeatureCollection' }),
);

export const RegionListQuery = z.strictObject({ kind: RegionKind.optional(), parent: Id.optional() });
export const RegionGeoQuery = z.strictObject({ kind: RegionKind.optional() });
export const RegionKeyParams = z.strictObject({ key: RegionKeyString });
