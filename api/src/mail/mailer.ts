import nodemailer, { type Transporter } from 'nodemailer';
import type { MailContent } from './templates.ts';

/** One SMTP transport per process (nodemailer pools nothing by default: one connection per message, reliable behind any relay). */
export interface Mailer {
  send(to: string, mail: MailContent): Promise<void>;
  /** Whether the SMTP server answers (connects and greets); used to notice the end of an outage. */
  reachable(): Promise<boolean>;
  close(): void;
}

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport: Transporter = nodemailer.createTransport(
    // a dead server must fail the attempt quickly; the worker retries with backoff
    { url: smtpUrl, connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 15_000 },
    { from },
  );
  return {
    async send(to, mail) {
      await transport.sendMail({ to, subject: mail.subject, text: mail.text, html: mail.html });
    },
    reachable: () =>
      transport.verify().then(
        () => true,
        () => false,
      ),
    close: () => transport.close(),
  };
}
