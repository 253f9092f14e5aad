import { Router } from 'express';
import { z } from 'zod';
import { defineRoute } from '../contract/registry.ts';
import { StreamQuery } from '../contract/stream.schema.ts';
import { BadRequestError } from '../http/errors.ts';
import { fieldErrors } from '../http/route.ts';
import type { StreamService } from '../services/stream.service.ts';

const stream = defineRoute({
  method: 'get',
  path: '/api/stream',
  tag: 'live',
  summary:
    'Live updates (Server-Sent Events): new posts in the watched cells or place, comments and reaction counts of a followed post — ' +
    'only what this viewer may see. Events: ready, post, comment, reactions, reload. Resume with the Last-Event-ID header.',
  query: StreamQuery,
  response: z.string().openapi({ description: 'text/event-stream' }),
  errors: [401, 404],
});

export function streamRoutes(streams: StreamService): Router {
  const r = Router();
  r.get(stream.path, async (req, res) => {
    const parsed = StreamQuery.safeParse(req.query ?? {});
    if (!parsed.success) throw new BadRequestError('Invalid query.', fieldErrors(parsed.error, 'query'));
    const lastEventId = req.get('last-event-id')?.trim() || undefined;
    const start = () => {
      if (res.headersSent) return;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store, no-transform',
        'X-Accel-Buffering': 'no',
      });
      req.socket.setNoDelay(true);
    };
    const close = await streams.open(
      parsed.data,
      req.viewer,
      req.ip ?? 'unknown',
      {
        write: (text) => {
          start();
          return res.write(text);
        },
        bufferedBytes: () => res.writableLength,
        close: () => res.end(),
      },
      lastEventId,
    );
    if (res.writableEnded || res.destroyed) close();
    else res.once('close', close);
  });
  return r;
}
