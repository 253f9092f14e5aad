import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { SearchPage, SearchQuery } from '../contract/search.schema.ts';
import { cellResolution, feedCover, snapOrigin } from '../geo/h3.ts';
import { BadRequestError, ServiceUnavailableError, ValidationError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import { audiencePolicy } from '../policy/audience.policy.ts';
import type { PostRepository } from '../repositories/post.repository.ts';
import type { PostExtrasRepository } from '../repositories/post-extras.repository.ts';
import type { ReactionRepository } from '../repositories/reaction.repository.ts';
import type { RegionRepository } from '../repositories/region.repository.ts';
import { and, compare, coverFilter, eq, inList, or } from '../search/filter.ts';
import { highlightToHtml } from '../search/highlight.ts';
import { isSearchUnavailable, type PostHit, type PostsIndex } from '../search/posts.index.ts';
import type { AudienceService } from './audience.service.ts';
import type { CursorCodec } from './cursor.ts';
import { followingMark, presentPost } from './post.presenter.ts';

type Query = z.output<typeof SearchQuery>;
type Page = z.infer<typeof SearchPage>;
type Area = Page['area'];

export interface SearchDeps {
  posts: PostRepository;
  reactions: ReactionRepository;
  postExtras: PostExtrasRepository;
  index: PostsIndex;
  regions: RegionRepository;
  audience: AudienceService;
  cursors: CursorCodec;
  /** the feed's origin guard: moving a search origin around costs the same budget as moving a feed's */
  guardOrigin: (who: string, originCell: string) => Promise<void>;
  /** seconds clients should wait when search is down */
  retryAfterSeconds?: number;
}

const MAX_RESULTS = 1000; // the index's pagination.maxTotalHits
const SNIPPET_WORDS = 24;
const DEFAULT_RADIUS = 2000;

/** The area as a filter on the cells the posts' display cells map to (rings from geo/, like the feed). */
async function resolveArea(query: Query, regions: RegionRepository): Promise<{ area: Area; filter: string; origin?: { lat: number; lon: number } }> {
  if (query.lat !== undefined && query.lon !== undefined) {
    const origin = snapOrigin({ lat: query.lat, lon: query.lon });
    const radius = query.radius ?? DEFAULT_RADIUS;
    const filter = coverFilter(feedCover(origin.cell, radius));
    return { area: { kind: 'radius', origin, radius }, filter, origin: origin.centroid };
  }
  if (query.cell !== undefined) {
    const res = cellResolution(query.cell);
    if (res < 7 || res > 9)
      throw new BadRequestError('Search a cell at resolution 7, 8 or 9.', [{ field: 'query.cell', message: 'resolution must be 7, 8 or 9' }]);
    return { area: { kind: 'cell', cell: query.cell }, filter: eq(`h3_${res}` as 'h3_7' | 'h3_8' | 'h3_9', query.cell) };
  }
  const region = query.region ? await regions.findBySlugOrId(query.region) : undefined;
  if (!region) throw new ValidationError([{ field: 'query.region', message: 'no such region' }]);
  return { area: { kind: 'region', region: { id: region.id, slug: region.slug, name: region.name } }, filter: eq('regions', region.id) };
}

/** Binds a cursor to one exact list: same words, area, filters, order and viewer. */
function listScope(query: Query, area: Area, viewer: Viewer | undefined): string {
  const key = JSON.stringify([query.q, area, query.kind ?? [], query.tags ?? [], query.sort, viewer?.id ?? null]);
  return `search:${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;
}

function facetList(distribution: Record<string, number> | undefined): { value: string; count: number }[] {
  return Object.entries(distribution ?? {})
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

export function createSearchService({
  posts,
  reactions,
  postExtras,
  index,
  regions,
  audience,
  cursors,
  guardOrigin,
  retryAfterSeconds = 5,
}: SearchDeps) {
  return {
    async search(query: Query, viewer: Viewer | undefined, requester: string): Promise<Page> {
      const { area, filter: areaFilter, origin } = await resolveArea(query, regions);
      if (area.kind === 'radius') await guardOrigin(viewer ? `u:${viewer.id}` : `ip:${requester}`, area.origin.cell);
      const scope = await audience.scopeFor(viewer);
      const listKey = listScope(query, area, viewer);
      const position = cursors.decode(listKey, query.cursor, 'number');
      const newest = query.sort === 'newest';

      // Newest-first pages by keyset on (created_at, id), stable while posts arrive; relevance pages by offset.
      let offset = 0;
      let keyset: string | undefined;
      if (position && newest) {
        const [createdAt, id] = [Number(position.createdAt), Number(position.id)];
        keyset = or(compare('created_at', '<', createdAt), and(compare('created_at', '=', createdAt), compare('id', '<', id)));
      } else if (position) {
        offset = Number(position.id);
      }
      if (!Number.isSafeInteger(offset) || offset < 0 || offset >= MAX_RESULTS)
        throw new BadRequestError('Invalid cursor.', [{ field: 'query.cursor', message: 'out of range' }]);

      const filter = and(
        areaFilter,
        audiencePolicy.searchFilter(scope),
        query.kind && inList('kind', query.kind),
        ...(query.tags ?? []).map((t) => eq('tags', t)),
        keyset,
      );

      let response;
      try {
        response = await index.search({
          q: query.q,
          filter,
          sort: newest ? ['created_at:desc', 'id:desc'] : undefined,
          limit: query.limit,
          offset,
          facets: ['kind', 'tags'],
          cropLength: SNIPPET_WORDS,
        });
      } catch (error) {
        if (isSearchUnavailable(error))
          throw new ServiceUnavailableError('Search is temporarily unavailable; posting still works.', retryAfterSeconds);
        throw error;
      }

      const hits = response.hits as PostHit[];
      const byId = new Map(hits.map((h) => [String(h.id), h]));
      // Current rows from PostgreSQL: a post deleted or hidden a moment ago is dropped even if the index lags.
      const rows = (await posts.hydrate([...byId.keys()])).filter((r) => audiencePolicy.canList(r, scope));
      const ids = rows.map((r) => r.id);
      const [summaries, extras] = await Promise.all([reactions.summaries(ids, viewer?.id ?? null), postExtras.load(ids, viewer?.id ?? null)]);
      const items = rows.map((row) => {
        const formatted = byId.get(row.id)?._formatted;
        return {
          ...presentPost(row, viewer?.id ?? null, summaries.get(row.id), origin, extras.get(row.id)),
          following: followingMark(row, scope),
          highlight: {
            title: highlightToHtml(formatted?.title ?? row.title),
            snippet: highlightToHtml(formatted?.body ?? ''),
          },
        };
      });

      let nextCursor: string | null = null;
      const last = hits[hits.length - 1];
      if (hits.length === query.limit && last) {
        if (newest) {
          nextCursor = cursors.encode(listKey, { createdAt: String(last.created_at), id: String(last.id) });
        } else if (offset + hits.length < MAX_RESULTS) {
          // relevance pages are offsets; the codec signs them like any keyset position
          nextCursor = cursors.encode(listKey, { createdAt: 'offset', id: String(offset + hits.length) });
        }
      }

      return {
        items,
        facets: { kind: facetList(response.facetDistribution?.kind), tags: facetList(response.facetDistribution?.tags) },
        total: response.estimatedTotalHits ?? hits.length,
        nextCursor,
        area,
      };
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
