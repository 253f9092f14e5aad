import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { cellResolution, cellToBigint, feedCoverKeys, snapOrigin, type LatLon } from '../geo/h3.ts';
import { BadRequestError, TooManyRequestsError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import type { PageFilter, PageKey, PostRepository } from '../repositories/post.repository.ts';
import type { PostExtrasRepository } from '../repositories/post-extras.repository.ts';
import type { ReactionRepository } from '../repositories/reaction.repository.ts';
import type { AudienceService } from './audience.service.ts';
import type { CursorCodec } from './cursor.ts';
import type { AudienceScope } from '../policy/audience.policy.ts';
import { followingMark, presentPost, type PostDto } from './post.presenter.ts';

export interface FeedDeps {
  posts: PostRepository;
  reactions: ReactionRepository;
  /** poll results, RSVP counts and photos of the listed posts */
  postExtras: PostExtrasRepository;
  audience: AudienceService;
  cursors: CursorCodec;
  originMovesPer10Min: number;
  /** share one guard with other origin-taking services (search), so they draw on one budget */
  guardOrigin?: OriginGuard;
}

export interface FeedQuery {
  lat: number;
  lon: number;
  radius: number;
  kind?: string;
  free?: 'true';
  /** issue 13: only people and shops the viewer follows */
  following?: 'true';
  cursor?: string;
  limit: number;
}

/** issue 13: the "following only" filter from the viewer's follows (in the scope); nobody followed → nothing. */
function followingFilter(flag: 'true' | undefined, scope: AudienceScope): PageFilter['following'] {
  return flag === 'true' ? { userIds: scope.followedUserIds ?? [], merchantIds: scope.followedMerchantIds ?? [] } : undefined;
}

export type OriginGuard = (who: string, originCell: string) => Promise<void>;

/**
 * Moving the query origin around is how exact points get trilaterated. Each change of (snapped) origin costs a point;
 * a normal session of panning stays far below the budget, a scripted sweep does not.
 */
export function createOriginGuard(movesPer10Min: number): OriginGuard {
  const limiter = new RateLimiterMemory({ points: movesPer10Min, duration: 600 });
  const lastOrigin = new LRUCache<string, string>({ max: 50_000 });
  return async (who: string, originCell: string) => {
    if (lastOrigin.get(who) === originCell) return;
    try {
      await limiter.consume(who);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw new TooManyRequestsError(e.msBeforeNext / 1000, 'Too many different feed locations; try again later.');
      throw e;
    }
    lastOrigin.set(who, originCell);
  };
}

export function createFeedService({
  posts,
  reactions,
  postExtras,
  audience,
  cursors,
  originMovesPer10Min,
  guardOrigin = createOriginGuard(originMovesPer10Min),
}: FeedDeps) {
  async function page(keys: PageKey[], limit: number, scope: string, viewer: Viewer | undefined, audienceScope: AudienceScope, origin?: LatLon) {
    const rows = await posts.hydrate(keys.map((k) => k.id));
    const ids = rows.map((r) => r.id);
    const [summaries, extras] = await Promise.all([reactions.summaries(ids, viewer?.id ?? null), postExtras.load(ids, viewer?.id ?? null)]);
    const items: PostDto[] = rows.map((r) => ({
      ...presentPost(r, viewer?.id ?? null, summaries.get(r.id), origin, extras.get(r.id)),
      following: followingMark(r, audienceScope),
    }));
    const last = keys[keys.length - 1];
    const nextCursor = keys.length === limit && last ? cursors.encode(scope, { createdAt: last.created_key, id: last.id }) : null;
    return { items, nextCursor };
  }

  return {
    async feed(query: FeedQuery, viewer: Viewer | undefined, requester: string) {
      const origin = snapOrigin(query);
      await guardOrigin(viewer ? `u:${viewer.id}` : `ip:${requester}`, origin.cell);
      // Scope binds the cursor to the list it came from (same origin, radius and kind).
      const scope = `feed:${origin.cell}:${query.radius}:${query.kind ?? ''}:${query.free ?? ''}${query.following ? ':following' : ''}`;
      const audienceScope = await audience.scopeFor(viewer);
      const filter: PageFilter = {
        kind: query.kind,
        freeOnly: query.free === 'true',
        following: followingFilter(query.following, audienceScope),
        before: cursors.decode(scope, query.cursor),
        limit: query.limit,
        scope: audienceScope,
      };
      const keys = await posts.feedPage(feedCoverKeys(origin.cell, query.radius), filter);
      return { ...(await page(keys, query.limit, scope, viewer, audienceScope, origin.centroid)), origin };
    },

    async cellBoard(
      cell: string,
      query: { kind?: string; free?: 'true'; following?: 'true'; cursor?: string; limit: number; lat?: number; lon?: number },
      viewer: Viewer | undefined,
    ) {
      const res = cellResolution(cell);
      if (res < 7 || res > 9) {
        throw new BadRequestError('Boards exist for cells at resolution 7, 8 or 9.', [
          { field: 'params.cell', message: 'resolution must be 7, 8 or 9' },
        ]);
      }
      const scope = `cell:${cell}:${query.kind ?? ''}:${query.free ?? ''}${query.following ? ':following' : ''}`;
      const audienceScope = await audience.scopeFor(viewer);
      const filter: PageFilter = {
        kind: query.kind,
        freeOnly: query.free === 'true',
        following: followingFilter(query.following, audienceScope),
        before: cursors.decode(scope, query.cursor),
        limit: query.limit,
        scope: audienceScope,
      };
      const column = `h3_${res}` as 'h3_7' | 'h3_8' | 'h3_9';
      const keys = await posts.cellPage(column, cellToBigint(cell).toString(), filter);
      const origin = query.lat !== undefined && query.lon !== undefined ? snapOrigin({ lat: query.lat, lon: query.lon }).centroid : undefined;
      return { ...(await page(keys, query.limit, scope, viewer, audienceScope, origin)), cell };
    },
  };
}

export type FeedService = ReturnType<typeof createFeedService>;
