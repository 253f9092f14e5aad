import { z } from 'zod';
import { Cell, Cursor, LatLon, LatQuery, LonQuery, queryNumber, RadiusValue, RegionKeyString, text } from './common.schema.ts';
import { SEARCH_QUERY_MAX } from './limits.ts';
import { Post, PostKind, RegionRef } from './post.schema.ts';
import { registry } from './registry.ts';

/** Comma-separated list in one query parameter, e.g. `kind=event,alert`. */
function commaList<T extends z.ZodType<unknown, string>>(item: T, max: number) {
  return z
    .string()
    .max(max * 70)
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1).max(max));
}

export const RegionKey = RegionKeyString.openapi({ example: 'friedrichshain' });

const SearchRadius = queryNumber(RadiusValue).optional().openapi({ description: 'metres around lat/lon: 500, 1000, 2000 (default) or 5000' });

// Tag filters accept any text (a tag that does not exist simply matches nothing); the value is escaped, never parsed.
const TagFilter = z
  .string()
  .min(1)
  .max(64)
  .toLowerCase()
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'no control characters');

export const SearchQuery = z
  .strictObject({
    q: text({ max: SEARCH_QUERY_MAX }).default('').openapi({ description: 'Words to look for; empty lists the area newest first' }),
    lat: LatQuery.optional(),
    lon: LonQuery.optional(),
    radius: SearchRadius,
    cell: Cell.optional().openapi({ description: 'Search one H3 cell (resolution 7, 8 or 9)' }),
    region: RegionKey.optional().openapi({ description: 'Search a region (slug or id) including its sub-regions' }),
    kind: commaList(PostKind, 7).optional().openapi({ description: 'Comma-separated kinds; a post matches any of them', example: 'event,alert' }),
    tags: commaList(TagFilter, 5).optional().openapi({ description: 'Comma-separated tags; a post must carry all of them', example: 'festival' }),
    sort: z.enum(['relevance', 'newest']).default('relevance'),
    cursor: Cursor.optional(),
    limit: queryNumber(z.number().int().min(1).max(50)).default(20),
  })
  .superRefine((q, ctx) => {
    const areas = [q.lat !== undefined || q.lon !== undefined, q.cell !== undefined, q.region !== undefined].filter(Boolean).length;
    if (areas !== 1)
      ctx.addIssue({ code: 'custom', path: ['area'], message: 'give exactly one area: lat&lon (with optional radius), cell or region' });
    if ((q.lat === undefined) !== (q.lon === undefined))
      ctx.addIssue({ code: 'custom', path: [q.lat === undefined ? 'lat' : 'lon'], message: 'lat and lon go together' });
    if (q.radius !== undefined && q.lat === undefined) ctx.addIssue({ code: 'custom', path: ['radius'], message: 'radius needs lat and lon' });
  });

const FacetCount = z.object({ value: z.string(), count: z.number().int() });

export const SearchHit = registry.register(
  'SearchHit',
  Post.extend({
    highlight: z
      .object({
        title: z.string().openapi({ description: 'The title as HTML: text escaped, matched words wrapped in <mark>' }),
        snippet: z.string().openapi({ description: 'Up to ~24 words of the body around the matches, same HTML rules; "…" marks cuts' }),
      })
      .openapi({ description: 'Safe to render as HTML: the only markup is <mark>…</mark>' }),
  }),
);

export const SearchArea = registry.register(
  'SearchArea',
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('radius'), origin: z.object({ cell: Cell, centroid: LatLon }), radius: z.number().int() }),
    z.object({ kind: z.literal('cell'), cell: Cell }),
    z.object({ kind: z.literal('region'), region: RegionRef }),
  ]),
);

export const SearchPage = registry.register(
  'SearchPage',
  z.object({
    items: z.array(SearchHit),
    facets: z
      .object({ kind: z.array(FacetCount), tags: z.array(FacetCount) })
      .openapi({ description: 'Counts over the whole result set (all filters applied), largest first; tags: top 50' }),
    total: z.number().int().openapi({ description: 'Estimated number of matches' }),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as cursor for the next page; null at the end (at most 1000 results)' }),
    area: SearchArea,
  }),
);
