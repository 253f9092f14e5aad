import type { z } from 'zod';
import type { StreamQuery } from '../contract/stream.schema.ts';
import { DEFAULT_FEED_RADIUS } from '../contract/limits.ts';
import { cellToBigint, feedCoverKeys, snapOrigin } from '../geo/h3.ts';
import { TooManyRequestsError, UnauthorizedError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import type { LiveHub, StreamSink } from '../live/live-hub.ts';
import type { AudienceScope } from '../policy/audience.policy.ts';
import type { SocialRepository } from '../repositories/social.repository.ts';
import { relationScope, type AudienceService } from './audience.service.ts';
import type { OriginGuard } from './feed.service.ts';
import type { PostService } from './post.service.ts';

export interface StreamDeps {
  hub: LiveHub;
  posts: Pick<PostService, 'loadVisible'>;
  audience: AudienceService;
  /** a place watched by lat/lon is an origin like the feed's: it draws on the same budget */
  guardOrigin: OriginGuard;
  /** concurrent streams per signed-in user or per address (tabs, reconnects) */
  perClientMax: number;
  /** issue 13: re-reads open streams' blocks and mutes (one statement for all of a process's signed-in streams) */
  social?: Pick<SocialRepository, 'relationsOfMany'>;
  /** how often; 0 = only when refreshRelations() is called */
  relationsRefreshMs?: number;
}

/**
 * Opens live streams (GET /api/stream): resolves what the stream watches — cells, the feed cover of a place, a post —
 * and who watches (the audience scope, fixed for the stream's life), then hands it to this process's hub. A post the
 * viewer may not open answers 404 like a missing one.
 */
export function createStreamService({ hub, posts, audience, guardOrigin, perClientMax, social, relationsRefreshMs = 0 }: StreamDeps) {
  const open = new Map<string, number>();
  // issue 13: a stream's scope is resolved when it opens; a block or mute made while it is open reaches it at the next
  // refresh (every process refreshes its own streams, so it holds whichever process serves them). The hub keeps the
  // scope object it was given, so updating it in place is enough.
  const signedIn = new Set<AudienceScope>();
  let timer: NodeJS.Timeout | undefined;

  async function refreshRelations(): Promise<void> {
    if (!social || !signedIn.size) return;
    const scopes = [...signedIn];
    const relations = await social.relationsOfMany([...new Set(scopes.map((s) => s.viewerId!))]);
    for (const scope of scopes) {
      const rel = relations.get(scope.viewerId!);
      if (rel) Object.assign(scope, relationScope(rel));
    }
  }

  function track(scope: AudienceScope): () => void {
    if (scope.viewerId === null || !social) return () => undefined;
    signedIn.add(scope);
    if (!timer && relationsRefreshMs > 0) timer = setInterval(() => void refreshRelations().catch(() => undefined), relationsRefreshMs).unref();
    return () => {
      signedIn.delete(scope);
      if (!signedIn.size && timer) {
        clearInterval(timer);
        timer = undefined;
      }
    };
  }

  return {
    async open(query: z.output<typeof StreamQuery>, viewer: Viewer | undefined, requester: string, sink: StreamSink, lastEventId?: string) {
      if (query.notifications && !viewer) throw new UnauthorizedError();
      const who = viewer ? `u:${viewer.id}` : `ip:${requester}`;
      if ((open.get(who) ?? 0) >= perClientMax) throw new TooManyRequestsError(10, 'Too many live streams open; close some tabs.');
      const cells = new Set<string>();
      for (const cell of query.cells ?? []) cells.add(cellToBigint(cell).toString());
      if (query.lat !== undefined && query.lon !== undefined) {
        const origin = snapOrigin({ lat: query.lat, lon: query.lon });
        await guardOrigin(who, origin.cell);
        const cover = feedCoverKeys(origin.cell, query.radius ?? DEFAULT_FEED_RADIUS);
        for (const c of [...cover.res7, ...cover.res8, ...cover.res9]) cells.add(c);
      }
      if (query.post) await posts.loadVisible(query.post, viewer);
      // a copy: the hub keeps this object and the relations refresh updates it in place
      const scope = { ...(await audience.scopeFor(viewer)) };
      open.set(who, (open.get(who) ?? 0) + 1);
      const untrack = track(scope);
      let closed = false;
      const release = () => {
        if (closed) return;
        closed = true;
        untrack();
        const n = (open.get(who) ?? 1) - 1;
        if (n > 0) open.set(who, n);
        else open.delete(who);
      };
      try {
        const disconnect = await hub.open({ cells, postId: query.post ?? null }, scope, sink, lastEventId);
        return () => {
          disconnect();
          release();
        };
      } catch (error) {
        release();
        throw error;
      }
    },

    /** issue 13: re-reads every open signed-in stream's blocks, mutes and follows now (also runs on a timer). */
    refreshRelations,
  };
}

export type StreamService = ReturnType<typeof createStreamService>;
