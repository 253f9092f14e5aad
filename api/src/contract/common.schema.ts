import { z } from 'zod';
import { DISTANCE_BUCKETS, isCell } from '../geo/h3.ts';
import { PRECISIONS, RADII } from './limits.ts';
import { registry } from './registry.ts';

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * A number in the query string: plain decimals only (no "", "1e999", "0x10", arrays) become numbers, everything else
 * reaches `inner` unchanged and fails there. Documented as the number it is, so generated clients send numbers.
 */
export function queryNumber<T extends z.ZodType>(inner: T) {
  return z.preprocess((v) => (typeof v === 'string' && v.length <= 32 && DECIMAL.test(v) ? Number(v) : v), inner);
}

export const Lat = z.number().finite().min(-90).max(90).openapi({ example: 52.5208 });
export const Lon = z.number().finite().min(-180).max(180).openapi({ example: 13.4094 });
export const LatQuery = queryNumber(Lat);
export const LonQuery = queryNumber(Lon);

export const LatLon = registry.register('LatLon', z.strictObject({ lat: Lat, lon: Lon }));

export const Cell = z
  .string()
  .max(16)
  .refine(isCell, 'must be an H3 cell index (15 hex digits)')
  .transform((s) => s.toLowerCase())
  .openapi({ example: '881f1d4891fffff', description: 'H3 cell index' });

export const Id = z
  .string()
  .regex(/^[1-9][0-9]{0,17}$/, 'must be a positive integer id')
  .openapi({ example: '42' });

export const Precision = z
  .union(PRECISIONS.map((p) => z.literal(p)) as [z.ZodLiteral<7>, z.ZodLiteral<8>, z.ZodLiteral<9>])
  .openapi({ description: 'Resolution of the public display cell: 7 (~5 km²), 8 (~0.7 km²), 9 (~0.1 km²)' });

export const DistanceBucket = z.enum(DISTANCE_BUCKETS).openapi('DistanceBucket');

export const Cursor = z.string().max(512).openapi({ description: 'Opaque keyset cursor from a previous page' });

export const Limit = queryNumber(z.number().int().min(1).max(100)).default(20);

export const Handle = z.string().regex(/^[A-Za-z0-9_]{3,30}$/, '3-30 letters, digits or underscores');

export const PublicAuthor = registry.register('PublicAuthor', z.object({ handle: z.string(), displayName: z.string() }));

/** One of the feed/search radii, in metres. */
// a union of single literals: zod-to-openapi documents z.literal([...]) by its first value only
export const RadiusValue = z.union(RADII.map((r) => z.literal(r)) as [z.ZodLiteral<500>, z.ZodLiteral<1000>, z.ZodLiteral<2000>, z.ZodLiteral<5000>]);
