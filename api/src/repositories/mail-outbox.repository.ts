import type { Db } from '../db/knex.ts';

export const MAIL_OUTBOX_CHANNEL = 'mail_outbox';

export interface MailOutboxRow {
  id: string;
  kind: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  attempts: number;
}

/** issue 13: email — mails queued with the change that causes them; sent by mail/mail-worker.ts. */
export function createMailOutboxRepository(db: Db) {
  return {
    async enqueue(kind: string, to: string, mail: { subject: string; text: string; html: string }): Promise<void> {
      await db('mail_outbox').insert({ kind, to_address: to, subject: mail.subject, text_body: mail.text, html_body: mail.html });
    },

    /**
     * Leases up to `limit` due mails in one committed UPDATE: other senders (this or another process) skip leased
     * rows, so a mail is in one sender's hands at a time; a sender that died hands its rows back when the lease ends.
     */
    async claimDue(limit: number, leaseSeconds: number): Promise<MailOutboxRow[]> {
      const res = await db.raw<{ rows: MailOutboxRow[] }>(
        `UPDATE mail_outbox SET claimed_until = now() + make_interval(secs => ?)
          WHERE id IN (SELECT id FROM mail_outbox
                        WHERE sent_at IS NULL AND next_attempt_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
                        ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED)
          RETURNING id, kind, to_address, subject, text_body, html_body, attempts`,
        [leaseSeconds, limit],
      );
      return res.rows.sort((a, b) => Number(a.id) - Number(b.id));
    },

    /** How many mails of this kind went to this address (any case) in the last `minutes`. */
    async countRecent(kind: string, to: string, minutes: number): Promise<number> {
      const row = await db('mail_outbox')
        .where({ kind })
        .whereRaw('lower(to_address) = lower(?)', [to])
        .andWhere('created_at', '>', db.raw('now() - make_interval(mins => ?)', [minutes]))
        .count<{ count: string }[]>({ count: '*' })
        .first();
      return Number(row?.count ?? 0);
    },

    /** Sent: the bodies (which may hold a single-use link) are dropped, the row stays as a record. */
    async markSent(id: string): Promise<void> {
      await db('mail_outbox').where({ id }).update({ sent_at: db.fn.now(), claimed_until: null, text_body: null, html_body: null, last_error: null });
    },

    async markFailed(id: string, error: string, retryInSeconds: number): Promise<void> {
      await db.raw(
        `UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, claimed_until = NULL,
                next_attempt_at = now() + make_interval(secs => ?) WHERE id = ?`,
        [error.slice(0, 500), retryInSeconds, id],
      );
    },

    /** A mail the server keeps refusing: kept with its error, never tried again (not even after an outage). */
    async markAbandoned(id: string, error: string): Promise<void> {
      await db.raw(
        `UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, claimed_until = NULL, next_attempt_at = 'infinity' WHERE id = ?`,
        [error.slice(0, 500), id],
      );
    },

    /** Hands leased rows back before their lease ends (the sender stopped early). */
    async release(ids: string[]): Promise<void> {
      if (ids.length) await db('mail_outbox').whereIn('id', ids).update({ claimed_until: null });
    },

    /** After an outage: everything backed off is due again at once. */
    async releaseBackoff(): Promise<number> {
      return db('mail_outbox')
        .whereNull('sent_at')
        .andWhere('next_attempt_at', '>', db.fn.now())
        .andWhereRaw("next_attempt_at <> 'infinity'")
        .update({ next_attempt_at: db.fn.now() });
    },

    /** Sent mails are kept a while as a record (without bodies), then dropped. */
    async pruneSent(olderThanDays: number): Promise<number> {
      return db('mail_outbox')
        .whereNotNull('sent_at')
        .andWhere('sent_at', '<', db.raw('now() - make_interval(days => ?)', [olderThanDays]))
        .delete();
    },

    async pending(): Promise<number> {
      const row = await db('mail_outbox').whereNull('sent_at').count<{ count: string }[]>({ count: '*' }).first();
      return Number(row?.count ?? 0);
    },
  };
}

export type MailOutboxRepository = ReturnType<typeof createMailOutboxRepository>;
