import { z } from 'zod';
import { REGION_KINDS } from './region.schema.ts';
import { registry } from './registry.ts';

/** Largest GeoJSON document the region import takes (the file or the request body). */
export const REGION_IMPORT_MAX_BYTES = 8 * 1024 * 1024;

const Position = z.tuple([z.number().finite().min(-180).max(180), z.number().finite().min(-90).max(90)]).rest(z.number().finite());
const Ring = z.array(Position).min(4, 'a ring needs at least 4 positions');
const Polygon = z.strictObject({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) });
const MultiPolygon = z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(Ring).min(1)).min(1) });

const slug = z.string().regex(/^[a-z0-9-]{1,80}$/, 'lowercase letters, digits and dashes');

export const RegionFeature = z.object({
  type: z.literal('Feature'),
  properties: z.object({
    slug,
    name: z.string().trim().min(1).max(120),
    kind: z.enum(REGION_KINDS),
    /** the parent's slug: a region in this file or one that exists already; none for a city */
    parent: slug.nullable().optional(),
  }),
  geometry: z.discriminatedUnion('type', [Polygon, MultiPolygon], { error: 'must be a Polygon or MultiPolygon' }),
});

// GeoJSON (RFC 7946) is WGS 84 lon/lat; an old-style `crs` member naming anything else is refused.
const WGS84 = ['EPSG:4326', 'urn:ogc:def:crs:OGC:1.3:CRS84', 'urn:ogc:def:crs:EPSG::4326', 'OGC:CRS84'];
const Crs = z.object({
  type: z.literal('name'),
  properties: z.object({ name: z.string().refine((n) => WGS84.includes(n), 'only WGS 84 (EPSG:4326) coordinates are accepted') }),
});

// Sent as application/geo+json text and parsed by the service (see routes/region-import.routes.ts), so it is not a
// registered JSON request component.
export const RegionImportBody = z.object({
  type: z.literal('FeatureCollection'),
  crs: Crs.optional(),
  features: z.array(RegionFeature).min(1).max(500),
});

export const RegionImportResult = registry.register(
  'RegionImportResult',
  z.object({
    imported: z.array(z.object({ slug: z.string(), id: z.string(), created: z.boolean(), cells: z.number().int(), madeValid: z.boolean() })),
  }),
);
