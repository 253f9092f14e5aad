import type { z } from 'zod';
import type { StreamQuery } from '../contract/stream.schema.ts';
import { DEFAULT_FEED_RADIUS } from '../contract/limits.ts';
import { cellToBigint, feedCoverKeys, snapOrigin } from '../geo/h3.ts';
import { TooManyRequestsError, UnauthorizedError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import type { LiveHub, StreamSink } from '../live/live-hub.ts';
import type { AudienceService } from './audience.service.ts';
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
}

/**
 * Opens live streams (GET /api/stream): resolves what the stream watches — cells, the feed cover of a place, a post —
 * and who watches (the audience scope, fixed for the stream's life), then hands it to this process's hub. A post the
 * viewer may not open answers 404 like a missing one.
 */
export function createStreamService({ hub, posts, audience, guardOrigin, perClientMax }: StreamDeps) {
  const open = new Map<string, number>();

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
      const scope = await audience.scopeFor(viewer);
      open.set(who, (open.get(who) ?? 0) + 1);
      let closed = false;
      const release = () => {
        if (closed) return;
        closed = true;
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
  };
}

export type StreamService = ReturnType<typeof createStreamService>;
