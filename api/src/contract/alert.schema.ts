import { z } from 'zod';
import { cellResolution } from '../geo/h3.ts';
import { Cell, Id, Instant, LatQuery, LonQuery, RegionKeyString, text } from './common.schema.ts';
import { ALERT_ACK_MIN_SHOWN, ALERT_BODY_MAX, ALERT_CELLS_MAX, ALERT_LINK_MAX, ALERT_SEVERITIES, TITLE_MAX } from './limits.ts';
import { registry } from './registry.ts';

/** Official alerts (issue 13): posted by moderators in their regions and by administrators, pinned where they apply. */

export const AlertSeverity = z.enum(ALERT_SEVERITIES).openapi('AlertSeverity', {
  description: 'info · warning · urgent (urgent alerts notify everyone reached, whatever their preferences)',
});

const AreaCell = Cell.refine((c) => [7, 8, 9].includes(cellResolution(c)), 'cells must have resolution 7, 8 or 9');

export const AlertArea = z
  .union([
    z.strictObject({ region: RegionKeyString.openapi({ description: 'a region (city, district or neighbourhood) you moderate, by slug or id' }) }),
    z.strictObject({ cells: z.array(AreaCell).min(1).max(ALERT_CELLS_MAX).openapi({ description: 'H3 cells (res 7–9) inside your regions' }) }),
  ])
  .openapi('AlertArea');

export const CreateAlertBody = registry.register(
  'CreateAlertBody',
  z.strictObject({
    title: text({ min: 1, max: TITLE_MAX }),
    body: text({ max: ALERT_BODY_MAX, multiline: true, trim: false }).default(''),
    severity: AlertSeverity,
    endsAt: Instant.openapi({ description: 'required: at least 15 minutes and at most 14 days from now' }),
    link: z
      .url({ protocol: /^https?$/ })
      .max(ALERT_LINK_MAX)
      .optional()
      .openapi({ description: 'more information (http/https)' }),
    area: AlertArea,
  }),
);

export const Alert = registry.register(
  'Alert',
  z.object({
    id: z.string().openapi({ description: 'the alert’s post id: /posts/{id} shows it too' }),
    title: z.string(),
    body: z.string(),
    severity: AlertSeverity,
    link: z.string().nullable(),
    issuer: z.string().openapi({ description: 'who speaks: the moderators of a region, or the administrators — never a person' }),
    region: z.object({ id: z.string(), name: z.string() }).nullable(),
    cellCount: z.number().int().openapi({ description: 'how many res-8 cells the alert covers' }),
    cells: z.array(z.string()).optional().openapi({ description: 'the res-8 cells it covers (single reads only)' }),
    startsAt: z.string(),
    endsAt: z.string(),
    active: z.boolean().openapi({ description: 'false once it has ended: no longer pinned, still readable here' }),
    seenCount: z
      .number()
      .int()
      .nullable()
      .openapi({ description: `distinct people who pressed "Seen"; null while fewer than ${ALERT_ACK_MIN_SHOWN} (an aggregate about people)` }),
    seenByMe: z.boolean(),
    isAuthor: z.boolean(),
  }),
);

export const AlertList = registry.register('AlertList', z.object({ items: z.array(Alert) }));

export const PinnedAlertsQuery = z
  .strictObject({
    cell: AreaCell.optional().openapi({ description: 'a hexagon board: alerts covering (part of) this cell' }),
    lat: LatQuery.optional(),
    lon: LonQuery.optional(),
  })
  .superRefine((q, ctx) => {
    if ((q.lat === undefined) !== (q.lon === undefined)) ctx.addIssue({ code: 'custom', path: ['lat'], message: 'give lat and lon together' });
    if (q.cell === undefined && q.lat === undefined) ctx.addIssue({ code: 'custom', path: ['cell'], message: 'give a cell or lat and lon' });
  });

export const AlertParams = z.strictObject({ id: Id });
