import type { Logger } from 'pino';
import { bigintToCell, cellCentroid } from '../geo/h3.ts';
import type { Viewer } from '../http/route.ts';
import type { WithTransaction } from '../repositories/repositories.ts';
import type { UserRow } from '../repositories/user.repository.ts';
import type { PostDto } from '../services/post.presenter.ts';
import { digestMail, type DigestItem } from './templates.ts';

/**
 * issue 13: email — the optional daily digest: the most active new public posts around a user's home, mailed once a
 * day. Each user's day is claimed (users.digest_sent_on, FOR UPDATE SKIP LOCKED) in the transaction that queues the
 * mail, so several processes running this job never mail anyone twice. Posts come through the feed — the same
 * audience policy, display cells and distance buckets a reader sees — and only public ones are mailed.
 */

export const DIGEST_RADIUS_M = 1000;
export const DIGEST_MAX_ITEMS = 5;
const DIGEST_WINDOW_MS = 86_400_000;
const CLAIM_BATCH = 50;

export interface DigestFeed {
  feed(
    query: { lat: number; lon: number; radius: number; limit: number },
    viewer: Viewer | undefined,
    requester: string,
  ): Promise<{ items: PostDto[] }>;
}

export interface DigestJobDeps {
  withTransaction: WithTransaction;
  feed: DigestFeed;
  publicOrigin: string;
  /** digests go out from this hour (Europe/Berlin) on */
  sendFromHour: number;
  logger: Pick<Logger, 'info' | 'warn'>;
}

const berlin = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** The Europe/Berlin calendar day (YYYY-MM-DD) and hour of an instant. */
export function berlinDayAndHour(now: Date): { day: string; hour: number } {
  const parts = Object.fromEntries(berlin.formatToParts(now).map((p) => [p.type, p.value]));
  return { day: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

const activity = (p: PostDto) => p.commentCount + p.reactionCounts.plus_one + p.reactionCounts.me_too + p.reactionCounts.thanks;

export function createDigestJob({ withTransaction, feed, publicOrigin, sendFromHour, logger }: DigestJobDeps) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function itemsFor(user: UserRow, now: Date): Promise<DigestItem[]> {
    const home = bigintToCell(user.home_h3_9!);
    const viewer: Viewer = { id: String(user.id), handle: user.handle, homeCell: home, isAdmin: false };
    const { items } = await feed.feed({ ...cellCentroid(home), radius: DIGEST_RADIUS_M, limit: 50 }, viewer, `digest:${user.id}`);
    return items
      .filter((p) => p.audience === 'public' && !p.isAuthor && now.getTime() - Date.parse(p.createdAt) <= DIGEST_WINDOW_MS)
      .sort((a, b) => activity(b) - activity(a) || Date.parse(b.createdAt) - Date.parse(a.createdAt))
      .slice(0, DIGEST_MAX_ITEMS)
      .map((p) => ({
        title: p.title,
        href: `${publicOrigin}/posts/${p.id}`,
        meta: [p.kind.replace('_', ' '), p.distance, `${p.commentCount} comment${p.commentCount === 1 ? '' : 's'}`].filter(Boolean).join(' · '),
      }));
  }

  /**
   * Queues today's digest for every user due (turned on, confirmed address, a home, none yet today). Before
   * `sendFromHour` it does nothing unless `anyHour`. Resolves with how many mails were queued.
   */
  async function runOnce({ now = new Date(), anyHour = false }: { now?: Date; anyHour?: boolean } = {}): Promise<number> {
    const { day, hour } = berlinDayAndHour(now);
    if (!anyHour && hour < sendFromHour) return 0;
    let queued = 0;
    for (;;) {
      const { claimed, mailed } = await withTransaction(async (tx) => {
        const users = await tx.users.claimDigestDay(day, CLAIM_BATCH);
        let n = 0;
        for (const user of users) {
          const items = await itemsFor(user, now);
          if (!items.length) continue;
          await tx.mailOutbox.enqueue(
            'digest',
            user.email,
            digestMail({ displayName: user.display_name, items, settingsLink: `${publicOrigin}/me` }),
          );
          n += 1;
        }
        return { claimed: users.length, mailed: n };
      });
      queued += mailed;
      if (claimed < CLAIM_BATCH) break;
    }
    if (queued) logger.info({ queued, day }, 'daily digests queued');
    return queued;
  }

  return {
    runOnce,
    /** Looks every `everyMs` (default 15 min) whether digests are due. */
    start(everyMs = 15 * 60_000): void {
      const tick = () => {
        running ??= runOnce()
          .catch((err: unknown) => logger.warn({ err: (err as Error).message }, 'daily digest round failed'))
          .finally(() => (running = undefined));
      };
      timer = setInterval(tick, everyMs);
      timer.unref();
      setTimeout(tick, 10_000).unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

export type DigestJob = ReturnType<typeof createDigestJob>;
