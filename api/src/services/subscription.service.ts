import type { z } from 'zod';
import type { CreateSubscriptionBody } from '../contract/subscription.schema.ts';
import { SUBSCRIPTIONS_MAX, type PostKindValue } from '../contract/limits.ts';
import { bigintToCell, cellToBigint } from '../geo/h3.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import type { SubscriptionRepository, SubscriptionRow } from '../repositories/subscription.repository.ts';

function present(row: SubscriptionRow) {
  return {
    id: String(row.id),
    name: row.name,
    cells: row.cells.map((c) => bigintToCell(c)),
    kinds: row.kinds as PostKindValue[],
    tags: row.tags,
    email: row.email, // issue 13: email
    createdAt: row.created_at.toISOString(),
  };
}

/** A resident's area subscriptions (their own only). Matching posts become notifications (live/notification-worker.ts). */
export function createSubscriptionService({ subscriptions }: { subscriptions: SubscriptionRepository }) {
  return {
    async list(viewer: Viewer) {
      return { items: (await subscriptions.listFor(viewer.id)).map(present) };
    },

    async create(viewer: Viewer, input: z.output<typeof CreateSubscriptionBody>) {
      if ((await subscriptions.countFor(viewer.id)) >= SUBSCRIPTIONS_MAX) {
        throw new ConflictError(`You can keep at most ${SUBSCRIPTIONS_MAX} area subscriptions; remove one first.`);
      }
      const row = await subscriptions.insert(viewer.id, {
        name: input.name,
        cells: [...new Set(input.cells)].map((c) => cellToBigint(c).toString()),
        kinds: [...new Set(input.kinds)],
        tags: [...new Set(input.tags)],
        email: input.email ?? false, // issue 13: email
      });
      return present(row);
    },

    /** issue 13: email — whether matching posts are also mailed (to a verified address). */
    async setEmail(viewer: Viewer, id: string, email: boolean) {
      const row = await subscriptions.setEmail(viewer.id, id, email);
      if (!row) throw new NotFoundError('Subscription');
      return present(row);
    },

    async remove(viewer: Viewer, id: string): Promise<void> {
      if (!(await subscriptions.remove(viewer.id, id))) throw new NotFoundError('Subscription');
    },
  };
}

export type SubscriptionService = ReturnType<typeof createSubscriptionService>;
