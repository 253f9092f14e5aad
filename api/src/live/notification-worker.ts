import type { Logger } from 'pino';
import { bigintToCell } from '../geo/h3.ts';
import { audiencePolicy, type AudienceRow } from '../policy/audience.policy.ts';
import type { Repositories, WithTransaction } from '../repositories/repositories.ts';
import type { SubscriptionMatch } from '../repositories/subscription.repository.ts';
import type { PostRow } from '../repositories/post.repository.ts';
import type { AudienceService } from '../services/audience.service.ts';
import { EVENTS_CHANNEL } from '../repositories/event.repository.ts';
import { NotificationListener } from '../search/notification.listener.ts';
import { alertListable, areaKeys } from '../services/alert.service.ts';

/**
 * Turns live events into notifications, after the fact: a comment or reaction commits with its event only, and this
 * worker (in every API process; the cursor row's lock lets one at a time through) reads the events after its cursor
 * and writes each recipient's row in the same transaction that moves the cursor — nothing is notified twice or lost.
 * Woken by LISTEN events, with a slow poll as a safety net. Recipients get a private 'notification' live event in the
 * same transaction, so their streams on any process refresh the bell. `onNotified` hears who got something (tests).
 */
export interface NotificationWorkerDeps {
  withTransaction: WithTransaction;
  /** subscribers hear of a new post only when the audience policy lets them list it */
  audience: Pick<AudienceService, 'scopeFor'>;
  logger: Pick<Logger, 'info' | 'warn'>;
  onNotified?: (userIds: Set<string>) => void;
  /** issue 13: email — queues the mail of a subscription that asked for one (in the worker's transaction) */
  mailAreaPost?: (tx: Repositories, post: PostRow, subscription: SubscriptionMatch) => Promise<void>;
}

const BATCH = 200;
/** issue 13: official alerts reach their area's subscribers and residents this many per transaction */
export const ALERT_BATCH = 1000;

export function createNotificationWorker({ withTransaction, audience, logger, onNotified, mailAreaPost }: NotificationWorkerDeps) {
  let running: Promise<number> | undefined;
  let again = false;
  let listener: NotificationListener | undefined;
  let timer: NodeJS.Timeout | undefined;

  const scopeOf = (userId: string, home: string | null) =>
    audience.scopeFor({ id: String(userId), handle: '', homeCell: home === null ? null : bigintToCell(home), isAdmin: false });
  // issue 13: social — nobody is notified of what someone they blocked, were blocked by or muted did
  const mayRead = async (post: AudienceRow, userId: string, home: string | null, actorId: string) => {
    const scope = await scopeOf(userId, home);
    return audiencePolicy.canRead(post, scope) && audiencePolicy.authorShown(actorId, scope);
  };
  const hidesActor = async (userId: string, actorId: string) => !audiencePolicy.authorShown(actorId, await scopeOf(userId, null));
  const mayList = async (post: AudienceRow, userId: string, home: string | null) => audiencePolicy.canList(post, await scopeOf(userId, home));

  async function batch(): Promise<{ events: number; users: Set<string> }> {
    return withTransaction(async (tx) => {
      const users = new Set<string>();
      const after = await tx.notifications.lockCursor();
      const events = await tx.notifications.eventsAfter(after, BATCH);
      for (const e of events) {
        let got: string[] = [];
        // issue 13: a message (per conversation) or an offer claim (per offer, for the shop's team; no actor)
        if (e.kind === 'message' || e.kind === 'claim') got = await tx.notifications.addBatchedRef(e, e.kind);
        else if (!e.actor_id) continue;
        else if (e.kind === 'comment' && e.comment_id) {
          // earlier commenters may have lost sight of the post (audience edited, moved away): the policy decides
          const candidates = await tx.notifications.commentRecipients(e);
          const post = candidates.length ? await tx.posts.findById(e.post_id) : undefined;
          const recipients: { userId: string; kind: 'comment' | 'reply' }[] = [];
          for (const c of post ? candidates : []) {
            if (await mayRead(post!, c.user_id, c.home_h3_9, String(e.actor_id))) recipients.push({ userId: String(c.user_id), kind: c.kind });
          }
          got = await tx.notifications.addForComment(e, recipients);
        } else if ((e.kind === 'reaction' || e.kind === 'rsvp') && e.still_there) {
          if (!(await hidesActor(String(e.post_author_id), String(e.actor_id)))) got = await tx.notifications.addBatched(e, e.kind);
        } else if (e.kind === 'post') {
          const matches = await tx.subscriptions.matching(e.post_id, e.actor_id);
          const post = matches.length ? await tx.posts.findById(e.post_id) : undefined;
          const recipients: { userId: string; subscriptionId: string }[] = [];
          for (const m of post ? matches : []) {
            if (await mayList(post!, m.user_id, m.home_h3_9)) recipients.push({ userId: String(m.user_id), subscriptionId: String(m.id) });
          }
          got = await tx.notifications.addForAreaPost(e, recipients);
          // issue 13: email — those notified (kind switched on) whose subscription mails, at a verified address
          const notified = new Set(got);
          for (const m of mailAreaPost && post ? matches : []) {
            if (m.email && m.to_address && notified.has(String(m.user_id))) await mailAreaPost!(tx, post!, m);
          }
        }
        for (const u of got) users.add(u);
      }
      if (events.length) await tx.notifications.setCursor(events[events.length - 1]!.id);
      // last in the transaction (it takes the events lock): each recipient's streams, on any process, refresh the bell
      if (users.size) await tx.events.appendPrivate('notification', users);
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
      if (events < BATCH) break;
    }
    await fanOutAlerts();
    return total;
  }

  /**
   * issue 13: official alerts. An alert's event commits with the alert; here (not in the request) its recipients are
   * resolved once, then notified ALERT_BATCH at a time, each batch its own short transaction that moves the alert's
   * cursor — so 100k homes never make one long transaction or hold the events lock for long, and a crash resumes where
   * it stopped. Another process working on the same alert makes this one skip it (row lock, SKIP LOCKED).
   */
  async function fanOutAlerts(): Promise<void> {
    const pending = await withTransaction((tx) => tx.alerts.pendingFanouts());
    for (const postId of pending) {
      const area = await withTransaction(async (tx) => (await tx.alerts.find(postId, null, { sql: 'true', bindings: [] }))?.cells8 ?? []);
      const keys = areaKeys(area.map((c) => bigintToCell(c)));
      await withTransaction((tx) => tx.alerts.resolveRecipients(postId, keys.all, keys.children9));
      for (;;) {
        const step = await withTransaction(async (tx) => {
          const result = await tx.alerts.notifyBatch(postId, ALERT_BATCH, alertListable());
          // last in the transaction (it takes the events lock): each recipient's streams refresh the bell
          if (result?.notified.length) await tx.events.appendPrivate('notification', result.notified);
          return result;
        });
        if (step?.notified.length) onNotified?.(new Set(step.notified));
        if (!step || step.done) break;
      }
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
