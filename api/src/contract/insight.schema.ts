import { z } from 'zod';
import { Cell, Day, Instant, LatLon, LatQuery, LonQuery, queryNumber } from './common.schema.ts';
import { RegionRef } from './post.schema.ts';
import { registry } from './registry.ts';
import { RegionKey } from './search.schema.ts';

// Trends and heat maps: aggregates over the activity rollups, with k-anonymity (fewer than 10 people → hidden).

export const TrendsQuery = z
  .strictObject({
    lat: LatQuery.optional(),
    lon: LonQuery.optional(),
    region: RegionKey.optional(),
    window: z.enum(['24h', '7d']).default('24h'),
  })
  .superRefine((q, ctx) => {
    const point = q.lat !== undefined || q.lon !== undefined;
    if (point === (q.region !== undefined)) ctx.addIssue({ code: 'custom', path: ['area'], message: 'give either lat&lon or region' });
    if (point && (q.lat === undefined || q.lon === undefined))
      ctx.addIssue({ code: 'custom', path: [q.lat === undefined ? 'lat' : 'lon'], message: 'lat and lon go together' });
  });

export const TrendItem = registry.register(
  'TrendItem',
  z.object({
    tag: z.string(),
    count: z.number().int().openapi({ description: 'Posts with this tag in the window (rounded)' }),
    expected: z.number().openapi({ description: "What the area's own previous 4 weeks predict for a window this long" }),
    z: z.number().openapi({ description: 'How unusual the count is for this area (standard scores; ≥2 counts as rising)' }),
    rising: z.boolean(),
  }),
);

export const TrendsResult = registry.register(
  'TrendsResult',
  z.object({
    window: z.enum(['24h', '7d']),
    area: z.object({
      cells: z.array(Cell).openapi({ description: 'The res-7 cells aggregated' }),
      origin: z.object({ cell: Cell, centroid: LatLon }).optional(),
      region: RegionRef.optional(),
    }),
    suppressed: z.boolean().openapi({ description: 'true when fewer than 10 people posted here in the window; items is then empty' }),
    items: z.array(TrendItem).openapi({ description: 'Most unusual first; only tags with at least the minimum count' }),
  }),
);

const BboxParam = z
  .string()
  .max(120)
  .transform((s) => s.split(',').map((v) => v.trim()))
  .pipe(z.tuple([z.string(), z.string(), z.string(), z.string()], { error: 'bbox is west,south,east,north' }))
  .transform((parts) => parts.map(Number) as [number, number, number, number])
  .pipe(
    z.tuple([
      z.number().finite().min(-180).max(180),
      z.number().finite().min(-85).max(85),
      z.number().finite().min(-180).max(180),
      z.number().finite().min(-85).max(85),
    ]),
  )
  .openapi({ description: 'west,south,east,north in degrees (no antimeridian crossing)', example: '13.08,52.33,13.77,52.68' });

const Metric = z
  .string()
  .max(40)
  .regex(/^(posts|people|per_household|tag:[a-z0-9][a-z0-9-]{0,31})$/, 'posts, people, per_household or tag:<tag>')
  .openapi({ description: 'posts, people (distinct authors), per_household (posts per 1000 households), tag:<tag> (res 7 only)' });

export const HexagonQuery = z.strictObject({
  bbox: BboxParam,
  res: queryNumber(z.union([z.literal(7), z.literal(8)])).default(8),
  metric: Metric.default('posts'),
  since: Instant.or(Day).optional().openapi({ description: 'Count activity from this UTC day on (default: 28 days ago; at most 366 days back)' }),
});

export const HexagonFeature = registry.register(
  'HexagonFeature',
  z.object({
    type: z.literal('Feature'),
    id: Cell,
    geometry: z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(z.tuple([z.number(), z.number()]))) }),
    properties: z.object({
      cell: Cell,
      count: z.number().int().openapi({ description: 'posts (posts, per_household), people (people) or tagged posts (tag:…)' }),
      value: z.number().openapi({ description: 'The metric: equals count, except per_household (posts per 1000 households)' }),
      households: z.number().optional().openapi({ description: 'per_household only: estimated households in the cell' }),
    }),
  }),
);

export const HexagonCollection = registry.register(
  'HexagonCollection',
  z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(HexagonFeature).openapi({ description: 'Only cells with activity and at least minPeople distinct people' }),
    metric: z.string(),
    res: z.union([z.literal(7), z.literal(8)]),
    since: z.string().openapi({ description: 'First UTC day counted (YYYY-MM-DD)' }),
    minPeople: z.number().int().openapi({ description: 'k-anonymity threshold: cells with fewer distinct people are left out' }),
    maxValue: z.number().openapi({ description: 'Largest value among the features (for a colour scale); 0 when none' }),
  }),
);
