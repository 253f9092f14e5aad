import { Router } from 'express';
import { defineRoute } from '../contract/registry.ts';
import {
  CreateSubscriptionBody,
  Subscription,
  SubscriptionList,
  SubscriptionParams,
  UpdateSubscriptionBody,
} from '../contract/subscription.schema.ts';
import { handle } from '../http/route.ts';
import type { SubscriptionService } from '../services/subscription.service.ts';

const tag = 'subscriptions';
const list = defineRoute({
  method: 'get',
  path: '/api/subscriptions',
  tag,
  summary: 'My area subscriptions',
  auth: 'required',
  response: SubscriptionList,
});
const create = defineRoute({
  method: 'post',
  path: '/api/subscriptions',
  tag,
  summary: 'Subscribe to an area (H3 cells, res 7–9), optionally only some kinds or tags',
  auth: 'required',
  body: CreateSubscriptionBody,
  status: 201,
  response: Subscription,
  errors: [409],
});
const remove = defineRoute({
  method: 'delete',
  path: '/api/subscriptions/:id',
  tag,
  summary: 'Unsubscribe',
  auth: 'required',
  params: SubscriptionParams,
  errors: [404],
});

// issue 13: email
const update = defineRoute({
  method: 'patch',
  path: '/api/subscriptions/:id',
  tag,
  summary: 'Change a subscription: whether matching posts are also mailed',
  auth: 'required',
  params: SubscriptionParams,
  body: UpdateSubscriptionBody,
  response: Subscription,
  errors: [404],
});

export function subscriptionRoutes(subscriptions: SubscriptionService): Router {
  const r = Router();
  r.get(
    list.path,
    handle(list, async ({ viewer }) => subscriptions.list(viewer)),
  );
  r.post(
    create.path,
    handle(create, async ({ viewer, body }) => subscriptions.create(viewer, body)),
  );
  r.patch(
    update.path,
    handle(update, async ({ viewer, params, body }) => subscriptions.setEmail(viewer, params.id, body.email)),
  ); // issue 13: email
  r.delete(
    remove.path,
    handle(remove, async ({ viewer, params }) => {
      await subscriptions.remove(viewer, params.id);
      return undefined;
    }),
  );
  return r;
}
