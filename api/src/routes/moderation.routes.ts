import { Router } from 'express';
import {
  ActionBody,
  Appeal,
  AppealBody,
  AppealList,
  CreateReportBody,
  DecisionBody,
  FullLog,
  IdParams,
  ItemParams,
  LogQuery,
  ModerationAction,
  ModerationItem,
  MyModeration,
  MyRoles,
  PublicLog,
  Queue,
  QueueQuery,
  ReportReceipt,
  RoleList,
  RoleParams,
  RoleQuery,
  SetRoleBody,
  SlowMode,
  SlowModeBody,
  SlowModeParams,
} from '../contract/moderation.schema.ts';
import { RegionKeyParams } from '../contract/region.schema.ts';
import { defineRoute } from '../contract/registry.ts';
import { handle } from '../http/route.ts';
import type { AppealService } from '../services/appeal.service.ts';
import type { ModerationLogService } from '../services/moderation-log.service.ts';
import type { ModerationRoleService } from '../services/moderation-role.service.ts';
import type { ModerationService } from '../services/moderation.service.ts';
import type { SlowModeService } from '../services/slow-mode.service.ts';

const tag = 'moderation';

const report = defineRoute({
  method: 'post',
  path: '/api/reports',
  tag,
  summary: 'Report a post or comment you can see (reporting again replaces your reason)',
  auth: 'required',
  body: CreateReportBody,
  status: 201,
  response: ReportReceipt,
  errors: [404],
});
const me = defineRoute({ method: 'get', path: '/api/moderation/me', tag, summary: 'My moderator roles', auth: 'required', response: MyRoles });
const queue = defineRoute({
  method: 'get',
  path: '/api/moderation/queue',
  tag,
  summary: 'Open reports in my regions: escalated first, then by weight, oldest first',
  auth: 'required',
  query: QueueQuery,
  response: Queue,
  errors: [403],
});
const item = defineRoute({
  method: 'get',
  path: '/api/moderation/items/:kind/:id',
  tag,
  summary: 'An item in my regions with its edit history, prior actions and open reports',
  auth: 'required',
  params: ItemParams,
  response: ModerationItem,
  errors: [404],
});
const act = defineRoute({
  method: 'post',
  path: '/api/moderation/items/:kind/:id/actions',
  tag,
  summary: 'Act on an item in my regions (reason category and text required)',
  auth: 'required',
  params: ItemParams,
  body: ActionBody,
  status: 201,
  response: ModerationAction,
  errors: [403, 404, 409],
});
const pendingAppeals = defineRoute({
  method: 'get',
  path: '/api/moderation/appeals',
  tag,
  summary: 'Pending appeals in my regions against other moderators’ actions',
  auth: 'required',
  query: LogQuery,
  response: AppealList,
  errors: [403],
});
const decide = defineRoute({
  method: 'post',
  path: '/api/moderation/appeals/:id/decision',
  tag,
  summary: 'Decide an appeal (never one against your own action)',
  auth: 'required',
  params: IdParams,
  body: DecisionBody,
  response: Appeal,
  errors: [403, 404, 409],
});
const appeal = defineRoute({
  method: 'post',
  path: '/api/moderation/actions/:id/appeal',
  tag,
  summary: 'Appeal an action on your item (once)',
  auth: 'required',
  params: IdParams,
  body: AppealBody,
  status: 201,
  response: Appeal,
  errors: [404, 409],
});
const mine = defineRoute({
  method: 'get',
  path: '/api/moderation/mine',
  tag,
  summary: 'Actions on my items and my appeals with their outcome',
  auth: 'required',
  response: MyModeration,
});
const fullLog = defineRoute({
  method: 'get',
  path: '/api/moderation/regions/:key/log',
  tag,
  summary: 'The full moderation log of a region I moderate',
  auth: 'required',
  params: RegionKeyParams,
  query: LogQuery,
  response: FullLog,
  errors: [403, 404],
});
const publicLog = defineRoute({
  method: 'get',
  path: '/api/regions/:key/moderation',
  tag,
  summary: 'A region’s moderators and public moderation log (anonymised)',
  params: RegionKeyParams,
  query: LogQuery,
  response: PublicLog,
  errors: [404],
});
const listRoles = defineRoute({
  method: 'get',
  path: '/api/moderation/roles',
  tag,
  summary: 'Moderator and lead appointments (administrators)',
  auth: 'required',
  query: RoleQuery,
  response: RoleList,
  errors: [403, 404],
});
const setRole = defineRoute({
  method: 'put',
  path: '/api/moderation/roles',
  tag,
  summary: 'Appoint a moderator or lead of a region (administrators)',
  auth: 'required',
  body: SetRoleBody,
  response: RoleList,
  errors: [403, 404],
});
const removeRole = defineRoute({
  method: 'delete',
  path: '/api/moderation/roles/:region/:handle',
  tag,
  summary: 'Remove an appointment (administrators)',
  auth: 'required',
  params: RoleParams,
  errors: [403, 404],
});

const getSlowMode = defineRoute({
  method: 'get',
  path: '/api/cells/:cell/slow-mode',
  tag,
  summary: 'Whether the res-7 cell around this cell is in slow mode',
  params: SlowModeParams,
  response: SlowMode,
});
const setSlowMode = defineRoute({
  method: 'put',
  path: '/api/moderation/cells/:cell/slow-mode',
  tag,
  summary: 'Put a cell of my regions in slow mode (one post per person per N minutes)',
  auth: 'required',
  params: SlowModeParams,
  body: SlowModeBody,
  response: SlowMode,
  errors: [404],
});
const liftSlowMode = defineRoute({
  method: 'delete',
  path: '/api/moderation/cells/:cell/slow-mode',
  tag,
  summary: 'Lift slow mode in a cell of my regions',
  auth: 'required',
  params: SlowModeParams,
  response: SlowMode,
  errors: [404],
});

export interface ModerationRouteDeps {
  moderation: ModerationService;
  appeals: AppealService;
  logs: ModerationLogService;
  roles: ModerationRoleService;
  slowMode: SlowModeService;
}

export function moderationRoutes({ moderation, appeals, logs, roles, slowMode }: ModerationRouteDeps): Router {
  const r = Router();
  r.post(
    report.path,
    handle(report, async ({ body, viewer }) => moderation.report(viewer, body)),
  );
  r.get(
    me.path,
    handle(me, async ({ viewer }) => roles.mine(viewer)),
  );
  r.get(
    queue.path,
    handle(queue, async ({ query, viewer }) => moderation.queue(viewer, query)),
  );
  r.get(
    item.path,
    handle(item, async ({ params, viewer }) => moderation.item(viewer, params.kind, params.id)),
  );
  r.post(
    act.path,
    handle(act, async ({ params, body, viewer }) => moderation.act(viewer, params.kind, params.id, body)),
  );
  r.get(
    pendingAppeals.path,
    handle(pendingAppeals, async ({ query, viewer }) => appeals.pending(viewer, query.limit)),
  );
  r.post(
    decide.path,
    handle(decide, async ({ params, body, viewer }) => appeals.decide(viewer, params.id, body)),
  );
  r.post(
    appeal.path,
    handle(appeal, async ({ params, body, viewer }) => appeals.appeal(viewer, params.id, body.text)),
  );
  r.get(
    mine.path,
    handle(mine, async ({ viewer }) => appeals.mine(viewer)),
  );
  r.get(
    fullLog.path,
    handle(fullLog, async ({ params, query, viewer }) => logs.fullLog(viewer, params.key, query)),
  );
  r.get(
    publicLog.path,
    handle(publicLog, async ({ params, query }) => logs.publicLog(params.key, query)),
  );
  r.get(
    listRoles.path,
    handle(listRoles, async ({ query, viewer }) => roles.list(viewer, query.region)),
  );
  r.put(
    setRole.path,
    handle(setRole, async ({ body, viewer }) => roles.set(viewer, body)),
  );
  r.delete(
    removeRole.path,
    handle(removeRole, async ({ params, viewer }) => {
      await roles.remove(viewer, { region: params.region, handle: params.handle });
      return undefined;
    }),
  );
  r.get(
    getSlowMode.path,
    handle(getSlowMode, async ({ params }) => slowMode.get(params.cell)),
  );
  r.put(
    setSlowMode.path,
    handle(setSlowMode, async ({ params, body, viewer }) => slowMode.set(viewer, params.cell, body)),
  );
  r.delete(
    liftSlowMode.path,
    handle(liftSlowMode, async ({ params, viewer }) => slowMode.lift(viewer, params.cell)),
  );
  return r;
}
