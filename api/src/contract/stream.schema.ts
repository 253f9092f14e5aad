import { z } from 'zod';
import { cellResolution } from '../geo/h3.ts';
import { Cell, Id, LatQuery, LonQuery, queryNumber, RadiusValue } from './common.schema.ts';
import { STREAM_CELLS_MAX } from './limits.ts';

const CellList = z
  .string()
  .max(STREAM_CELLS_MAX * 17)
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(
    z
      .array(Cell.refine((c) => [7, 8, 9].includes(cellResolution(c)), 'cells must have resolution 7, 8 or 9'))
      .min(1)
      .max(STREAM_CELLS_MAX),
  )
  .openapi({ type: 'string', description: `comma-separated H3 cells (res 7–9), at most ${STREAM_CELLS_MAX}`, example: '871f1d489ffffff' });

export const StreamQuery = z
  .strictObject({
    cells: CellList.optional(),
    lat: LatQuery.optional(),
    lon: LonQuery.optional(),
    radius: queryNumber(RadiusValue).optional().openapi({ description: 'metres around lat/lon: 500, 1000, 2000 or 5000 (default 1000)' }),
    notifications: z.literal('1').optional().openapi({ description: "1: the signed-in viewer's notification signals (the bell)" }),
    post: Id.optional().openapi({ description: 'a post whose comments and reaction counts to follow (its page)' }),
  })
  .superRefine((q, ctx) => {
    if ((q.lat === undefined) !== (q.lon === undefined)) ctx.addIssue({ code: 'custom', path: ['lat'], message: 'give lat and lon together' });
    if (!q.cells && q.lat === undefined && !q.post && !q.notifications)
      ctx.addIssue({ code: 'custom', path: ['cells'], message: 'watch cells, a place (lat, lon, radius) or a post' });
  });
