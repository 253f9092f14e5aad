import type { Logger } from 'pino';
import { createEmailTokenRepository } from '../repositories/email-token.repository.ts';
import { createMailOutboxRepository, MAIL_OUTBOX_CHANNEL, type MailOutboxRow } from '../repositories/mail-outbox.repository.ts';
import type { Db } from '../db/knex.ts';
import { NotificationListener } from '../search/notification.listener.ts';
import type { Mailer } from './mailer.ts';

/**
 * issue 13: email. Sends the mail outbox, one plain loop per process: claim (a lease, so no mail is in two senders'
 * hands, here or in another process) → send one by one → mark sent or back off. Mails are queued in the transaction of
 * the change that causes them, so an acknowledged sign-up never loses its mail: while SMTP is down they wait, the loop
 * probes the server, and once it answers everything backed off is sent. Delivery is at least once (a process that dies
 * between sending and marking sends that one mail again after the lease).
 */
export interface MailWorkerOptions {
  batchSize: number;
  leaseSeconds: number;
  pollMs: number;
  backoff: { baseSeconds: number; maxSeconds: number };
  /** a mail the server refuses outright (5xx) is retried this many times, then left with its error */
  maxPermanentFailures: number;
}

export const DEFAULT_MAIL_WORKER_OPTIONS: MailWorkerOptions = {
  batchSize: 20,
  leaseSeconds: 120,
  pollMs: 5000,
  backoff: { baseSeconds: 5, maxSeconds: 600 },
  maxPermanentFailures: 3,
};

const HOUSEKEEPING_MS = 6 * 3_600_000;
const KEEP_SENT_DAYS = 30;

/**
 * Connection-level trouble (server down, timeout, TLS, a 4xx "try later"): the server, not this mail, is the problem.
 * A 5xx answer or a mail nodemailer refuses itself (EENVELOPE, EMESSAGE) is about this mail.
 */
export function isConnectionError(error: unknown): boolean {
  const e = error as { code?: string; responseCode?: number };
  if (e.responseCode) return e.responseCode < 500;
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') return false;
  return true;
}

export interface MailWorkerDeps {
  db: Db;
  mailer: Mailer;
  logger: Pick<Logger, 'info' | 'warn'>;
  options?: Partial<MailWorkerOptions>;
}

export interface MailRound {
  sent: number;
  failed: number;
}

export function createMailWorker({ db, mailer, logger, options }: MailWorkerDeps) {
  const opts = { ...DEFAULT_MAIL_WORKER_OPTIONS, ...options };
  const outbox = createMailOutboxRepository(db);
  let unreachable = false;
  let running: Promise<void> | undefined;
  let again = false;
  let listener: NotificationListener | undefined;
  let timer: NodeJS.Timeout | undefined;
  let housekeeping: NodeJS.Timeout | undefined;

  const backoffSeconds = (attempts: number) => Math.min(opts.backoff.maxSeconds, opts.backoff.baseSeconds * 2 ** Math.min(attempts, 20));

  async function sendOne(row: MailOutboxRow): Promise<'sent' | 'down' | 'refused'> {
    try {
      await mailer.send(row.to_address, { subject: row.subject, text: row.text_body, html: row.html_body });
      await outbox.markSent(row.id);
      return 'sent';
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (isConnectionError(error)) {
        await outbox.markFailed(row.id, message, backoffSeconds(row.attempts));
        return 'down';
      }
      const giveUp = row.attempts + 1 >= opts.maxPermanentFailures;
      if (giveUp) await outbox.markAbandoned(row.id, message);
      else await outbox.markFailed(row.id, message, backoffSeconds(row.attempts));
      logger.warn({ mailId: row.id, kind: row.kind, err: message, giveUp }, 'SMTP refused a mail');
      return 'refused';
    }
  }

  /** Sends everything due now; stops early when the SMTP server is unreachable (the rest waits, leases released). */
  async function runOnce(): Promise<MailRound> {
    const round: MailRound = { sent: 0, failed: 0 };
    if (unreachable) {
      if (!(await mailer.reachable())) return round;
      unreachable = false;
      const released = await outbox.releaseBackoff();
      logger.info({ released }, 'SMTP is reachable again; sending the queued mail');
    }
    for (;;) {
      const rows = await outbox.claimDue(opts.batchSize, opts.leaseSeconds);
      if (!rows.length) return round;
      for (const [i, row] of rows.entries()) {
        const outcome = await sendOne(row);
        if (outcome === 'sent') round.sent += 1;
        else round.failed += 1;
        if (outcome === 'down') {
          unreachable = true;
          logger.warn({ pending: rows.length - i }, 'SMTP unreachable; mail stays queued');
          // hand the rest of this batch back at once rather than when the lease ends
          await outbox.release(rows.slice(i + 1).map((r) => r.id));
          return round;
        }
      }
    }
  }

  function poke(): void {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await runOnce();
        } catch (error) {
          logger.warn({ err: (error as Error).message }, 'mail worker round failed; retrying on the next poll');
        }
      } while (again);
    })().finally(() => {
      running = undefined;
    });
  }

  /** Drops used-up tokens and old sent-mail records; any process may do it, it is idempotent. */
  async function tidy(): Promise<void> {
    try {
      await createEmailTokenRepository(db).deleteExpired();
      await outbox.pruneSent(KEEP_SENT_DAYS);
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'mail housekeeping failed');
    }
  }

  return {
    runOnce,
    tidy,
    /** Whether the last attempt found the SMTP server unreachable. */
    get unreachable() {
      return unreachable;
    },
    async start(listenUrl: string): Promise<void> {
      listener = new NotificationListener({
        url: listenUrl,
        channel: MAIL_OUTBOX_CHANNEL,
        onNotify: poke,
        onConnect: poke,
        logger,
        options: { applicationName: 'hexhood-mail-worker' },
      });
      await listener.start();
      timer = setInterval(poke, opts.pollMs).unref();
      housekeeping = setInterval(() => void tidy(), HOUSEKEEPING_MS).unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      if (housekeeping) clearInterval(housekeeping);
      await listener?.stop();
      await running;
      mailer.close();
    },
  };
}

export type MailWorker = ReturnType<typeof createMailWorker>;
