import { Router } from 'express';
import { Alert, AlertList, AlertParams, CreateAlertBody, PinnedAlertsQuery } from '../contract/alert.schema.ts';
import { defineRoute } from '../contract/registry.ts';
import { handle } from '../http/route.ts';
import type { AlertService } from '../services/alert.service.ts';

const tag = 'alerts';

const create = defineRoute({
  method: 'post',
  path: '/api/alerts',
  tag,
  summary: 'Post an official alert for a region you moderate or cells inside your regions (administrators: anywhere)',
  auth: 'required',
  body: CreateAlertBody,
  status: 201,
  response: Alert,
  errors: [403, 404],
});
const pinned = defineRoute({
  method: 'get',
  path: '/api/alerts',
  tag,
  summary: 'Running alerts covering a hexagon board’s cell or a board’s centre (pinned at the top)',
  query: PinnedAlertsQuery,
  response: AlertList,
});
const mine = defineRoute({
  method: 'get',
  path: '/api/moderation/alerts',
  tag,
  summary: 'Alerts I posted, newest first',
  auth: 'required',
  response: AlertList,
});
const get = defineRoute({
  method: 'get',
  path: '/api/alerts/:id',
  tag,
  summary: 'One alert, running or ended, with its area and how many people saw it (from 10 up)',
  params: AlertParams,
  response: Alert,
  errors: [404],
});
const ack = defineRoute({
  method: 'post',
  path: '/api/alerts/:id/seen',
  tag,
  summary: 'Say you saw an alert (once per person; pressing again changes nothing)',
  auth: 'required',
  params: AlertParams,
  response: Alert,
  errors: [404],
});
const end = defineRoute({
  method: 'post',
  path: '/api/alerts/:id/end',
  tag,
  summary: 'End an alert now (its author, the moderators of its region, administrators)',
  auth: 'required',
  params: AlertParams,
  response: Alert,
  errors: [403, 404, 409],
});

export function alertRoutes(alerts: AlertService): Router {
  const r = Router();
  r.post(
    create.path,
    handle(create, async ({ viewer, body }) => alerts.create(viewer, body)),
  );
  r.get(
    pinned.path,
    handle(pinned, async ({ viewer, query }) => alerts.pinned(query, viewer)),
  );
  r.get(
    mine.path,
    handle(mine, async ({ viewer }) => alerts.mine(viewer)),
  );
  r.get(
    get.path,
    handle(get, async ({ viewer, params }) => alerts.get(params.id, viewer)),
  );
  r.post(
    ack.path,
    handle(ack, async ({ viewer, params }) => alerts.acknowledge(params.id, viewer)),
  );
  r.post(
    end.path,
    handle(end, async ({ viewer, params }) => alerts.end(params.id, viewer)),
  );
  return r;
}
