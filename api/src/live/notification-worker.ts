import type { Logger } from 'pino';
import type { WithTransaction } from '../repositories/repositories.ts';
import { EVENTS_CHANNEL } from '../repositories/event.repository.ts';
import { NotificationListener } from '../search/notification.listener.ts';

/**
 * Turns live events into notifications, after the fact: a comment or reaction commits with its event only, and this
 * worker (in every API process; the cursor row's lock lets one at a time through) reads the events after its cursor
 * and writes each recipient's row in the same transaction that moves the cursor — nothing is notified twice or lost.
 * Woken by LISTEN events, with a slow poll as a safety net. `onNotified` hears who got something (live bell updates).
 */
export interface NotificationWorkerDeps {
  withTransaction: WithTransaction;
  logger: Pick<Logger, 'info' | 'warn'>;
  onNotified?: (userIds: Set<string>) => void;
}

const BATCH = 200;

export function createNotificationWorker({ withTransaction, logger, onNotified }: NotificationWorkerDeps) {
  let running: Promise<number> | undefined;
  let again = false;
  let listener: NotificationListener | undefined;
  let timer: NodeJS.Timeout | undefined;

  async function batch(): Promise<{ events: number; users: Set<string> }> {
    return withTransaction(async (tx) => {
      const users = new Set<string>();
      const after = await tx.notifications.lockCursor();
      const events = await tx.notifications.eventsAfter(after, BATCH);
      for (const e of events) {
        if (!e.actor_id) continue;
        const got =
          e.kind === 'comment' && e.comment_id
            ? await tx.notifications.addForComment(e)
            : e.kind === 'reaction' && e.reaction_exists
              ? await tx.notifications.addForReaction(e)
              : [];
        for (const u of got) users.add(u);
      }
      if (events.length) await tx.notifications.setCursor(events[events.length - 1]!.id);
      return { events: events.length, users };
    });
  }

  /** Processes everything committed until now; resolves with how many events were read. */
  async function runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const { events, users } = await batch();
      total += events;
      if (users.size) onNotified?.(users);
      if (events < BATCH) return total;
    }
  }

  function poke(): void {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      let n = 0;
      do {
        again = false;
        try {
          n += await runOnce();
        } catch (error) {
          logger.warn({ err: (error as Error).message }, 'notification worker failed; retrying on the next poll');
        }
      } while (again);
      return n;
    })().finally(() => {
      running = undefined;
    });
  }

  return {
    runOnce,
    poke,
    async start(listenUrl: string, pollMs: number): Promise<void> {
      listener = new NotificationListener({
        url: listenUrl,
        channel: EVENTS_CHANNEL,
        onNotify: poke,
        onConnect: poke,
        logger,
        options: { applicationName: 'hexhood-notification-worker' },
      });
      await listener.start();
      timer = setInterval(poke, pollMs).unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      await listener?.stop();
      await running;
    },
  };
}

export type NotificationWorker = ReturnType<typeof createNotificationWorker>;
