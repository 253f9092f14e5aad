import { z } from 'zod';
import { cellResolution } from '../geo/h3.ts';
import { Cell, Id } from './common.schema.ts';
import { POST_KINDS, SUBSCRIPTION_CELLS_MAX, TAG_MAX_LENGTH, TAGS_MAX } from './limits.ts';
import { registry } from './registry.ts';

const AreaCell = Cell.refine((c) => [7, 8, 9].includes(cellResolution(c)), 'cells must have resolution 7, 8 or 9');

export const CreateSubscriptionBody = registry.register(
  'CreateSubscriptionBody',
  z.strictObject({
    name: z.string().trim().min(1).max(80),
    cells: z.array(AreaCell).min(1).max(SUBSCRIPTION_CELLS_MAX),
    kinds: z.array(z.enum(POST_KINDS)).max(POST_KINDS.length).default([]).openapi({ description: 'empty: every kind' }),
    tags: z.array(z.string().trim().toLowerCase().min(1).max(TAG_MAX_LENGTH)).max(TAGS_MAX).default([]).openapi({ description: 'empty: any tags' }),
    // issue 13: email
    email: z.boolean().optional().openapi({ description: 'also mail matching posts (to a verified address); default false' }),
  }),
);

export const Subscription = registry.register(
  'Subscription',
  z.object({
    id: z.string(),
    name: z.string(),
    cells: z.array(z.string()),
    kinds: z.array(z.enum(POST_KINDS)),
    tags: z.array(z.string()),
    email: z.boolean(), // issue 13: email
    createdAt: z.string(),
  }),
);
export const SubscriptionList = registry.register('SubscriptionList', z.object({ items: z.array(Subscription) }));
// issue 13: email
export const UpdateSubscriptionBody = registry.register('UpdateSubscriptionBody', z.strictObject({ email: z.boolean() }));
export const SubscriptionParams = z.strictObject({ id: Id });
