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

// --- security (issue 9): one set of rules for every string and instant a client sends ---

// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL_ANY = /[\u0000-\u001f\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex -- as above; tab, line feed and carriage return are text in a body
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/**
 * Every string field of the contract: length-bounded, no NUL or other control characters (PostgreSQL refuses NUL in
 * text, logs and terminals misread the rest). `multiline` bodies keep tabs and line breaks (CRLF/CR become LF).
 * `trim` (default true) strips surrounding whitespace before the length checks.
 */
export function text({ min = 0, max, multiline = false, trim = true }: { min?: number; max: number; multiline?: boolean; trim?: boolean }) {
  const base = trim ? z.string().trim() : z.string();
  const checked = base
    .min(min, min === 1 ? 'must not be empty' : `at least ${min} characters`)
    .max(max, `at most ${max} characters`)
    .refine(
      (s) => !(multiline ? CONTROL_BUT_LINES : CONTROL_ANY).test(s),
      multiline ? 'control characters are not allowed (line breaks and tabs are)' : 'control characters (including line breaks) are not allowed',
    );
  return multiline ? checked.overwrite((s) => s.replace(/\r\n?/g, '\n')) : checked;
}

/** An instant between 1970 and 2100 (ISO 8601 with a zone offset), as its ISO string. */
export const Instant = z.iso
  .datetime({ offset: true })
  .refine((s) => {
    const t = Date.parse(s);
    return t >= Date.UTC(1970, 0, 1) && t < Date.UTC(2100, 0, 1);
  }, 'must lie between 1970 and 2100')
  .openapi({ example: '2026-12-24T18:00:00+01:00' });

/** A calendar day (YYYY-MM-DD) between 1970 and 2100. */
export const Day = z.iso
  .date()
  .refine((s) => s >= '1970-01-01' && s < '2100-01-01', 'must lie between 1970 and 2100')
  .openapi({ example: '2026-12-01' });

/** Positive ids that fit PostgreSQL's bigint (up to 9223372036854775807). */
export const Id = z
  .string()
  .regex(/^[1-9][0-9]{0,18}$/, 'must be a positive integer id')
  .refine((s) => s.length < 19 || !/^\d+$/.test(s) || BigInt(s) <= 9223372036854775807n, 'must be an id no larger than 9223372036854775807')
  .openapi({ example: '42' });

/** A region by slug or by id; a numeric key is an id and must fit bigint. */
export const RegionKeyString = z
  .string()
  .regex(/^[a-z0-9-]{1,80}$/, 'a region slug or id')
  .refine((s) => !/^[0-9]+$/.test(s) || Id.safeParse(s).success, 'a numeric region key is an id no larger than 9223372036854775807');

export const Precision = z
  .union(PRECISIONS.map((p) => z.literal(p)) as [z.ZodLiteral<7>, z.ZodLiteral<8>, z.ZodLiteral<9>])
  .openapi({ description: 'Resolution of the public display cell: 7 (~5 km²), 8 (~0.7 km²), 9 (~0.1 km²)' });

export const DistanceBucket = z.enum(DISTANCE_BUCKETS).openapi('DistanceBucket');

export const Cursor = z
  .string()
  .max(512)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'not a cursor issued for this list')
  .openapi({ description: 'Opaque keyset cursor from a previous page' });

export const Limit = queryNumber(z.number().int().min(1).max(100)).default(20);

export const Handle = z.string().regex(/^[A-Za-z0-9_]{3,30}$/, '3-30 letters, digits or underscores');

export const PublicAuthor = registry.register('PublicAuthor', z.object({ handle: z.string(), displayName: z.string() }));

/** One of the feed/search radii, in metres. */
// a union of single literals: zod-to-openapi documents z.literal([...]) by its first value only
export const RadiusValue = z.union(RADII.map((r) => z.literal(r)) as [z.ZodLiteral<500>, z.ZodLiteral<1000>, z.ZodLiteral<2000>, z.ZodLiteral<5000>]);
