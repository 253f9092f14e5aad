import { z } from 'zod';
import { text } from './common.schema.ts';
import { ADDRESS_QUERY_MAX, ADDRESS_RESULTS_MAX, TILE_MAX_ZOOM } from './limits.ts';
import { registry } from './registry.ts';

const tileInt = (name: string) =>
  z
    .string()
    .regex(/^\d{1,8}$/, `${name} must be a non-negative integer`)
    .transform(Number);

/** z/x/y of a Web Mercator tile; x and y must lie inside the zoom's 2^z × 2^z grid. */
export const TileParams = z
  .strictObject({
    layerSet: z.string().regex(/^[a-z0-9-]{1,40}$/, 'a tile set name'),
    z: tileInt('z').pipe(z.number().max(TILE_MAX_ZOOM, `z must be at most ${TILE_MAX_ZOOM}`)),
    x: tileInt('x'),
    y: tileInt('y'),
  })
  .superRefine((p, ctx) => {
    const size = 2 ** p.z;
    if (p.x >= size) ctx.addIssue({ code: 'custom', path: ['x'], message: `x must be below ${size} at zoom ${p.z}` });
    if (p.y >= size) ctx.addIssue({ code: 'custom', path: ['y'], message: `y must be below ${size} at zoom ${p.z}` });
  });

export const AddressQuery = z.strictObject({
  q: text({ min: 1, max: ADDRESS_QUERY_MAX }),
  limit: z.coerce.number().int().min(1).max(ADDRESS_RESULTS_MAX).default(8),
});

export const Address = registry.register(
  'Address',
  z.object({
    id: z.string(),
    street: z.string(),
    postcode: z.string(),
    ortsteil: z.string(),
    bezirk: z.string(),
    /** the street's point within its Ortsteil; null where the street layer has no line there */
    point: z.object({ lat: z.number(), lon: z.number() }).nullable(),
    /** the house number typed in the query, when given */
    houseNumber: z.string().nullable(),
    /** whether that house number exists on this street in this postcode (null: none typed) */
    houseNumberKnown: z.boolean().nullable(),
    addressCount: z.number().int(),
    label: z.string().openapi({ description: 'e.g. "Karl-Marx-Allee 12, 10178 Berlin-Mitte"' }),
  }),
);
export const AddressList = registry.register('AddressList', z.object({ items: z.array(Address) }));

export const CellPlaceParams = z.strictObject({ cell: z.string().regex(/^[0-9a-f]{15}$/, 'an H3 cell index') });
export const CellPlace = registry.register(
  'CellPlace',
  z.object({
    cell: z.string(),
    ortsteil: z.string().nullable(),
    street: z.string().nullable(),
    /** "Warschauer Straße, Friedrichshain" — or just one of them, or null outside the map */
    title: z.string().nullable(),
  }),
);
