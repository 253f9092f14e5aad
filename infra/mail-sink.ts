// issue 13: email — a local SMTP sink whose inbox can be read: `npm start` runs it (infra/lib.sh ensure_mail_sink) with a
// small web inbox, and the API tests start one in their own process on a free port. Mail is parsed (mailparser) and
// kept in memory, newest last; nothing is relayed anywhere.
//
//   npx tsx infra/mail-sink.ts --smtp 1025 --web 1080     inbox at http://127.0.0.1:1080/, JSON at /api/messages
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SinkMessage {
  id: number;
  /** envelope recipients (lower-cased) */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  receivedAt: string;
}

const MAX_KEPT = 2000;
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export class MailSink {
  readonly messages: SinkMessage[] = [];
  #smtp: SMTPServer | undefined;
  #web: Server | undefined;
  #nextId = 1;
  #waiters = new Set<() => void>();
  smtpPort = 0;
  webPort = 0;

  /** Recipients the sink refuses with a permanent 550 (tests of bounces). */
  refuse: (address: string) => boolean = () => false;

  /** Listens on 127.0.0.1; port 0 takes a free one (see smtpPort/webPort). The web inbox is optional. */
  async start({ smtpPort = 0, webPort }: { smtpPort?: number; webPort?: number } = {}): Promise<this> {
    this.#smtp = new SMTPServer({
      authOptional: true,
      // plain SMTP on loopback: no certificate to trust, and nodemailer does not try STARTTLS when it is not offered
      disabledCommands: ['STARTTLS', 'AUTH'],
      size: 10 * 1024 * 1024,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.refuse(address.address.toLowerCase())) {
          const error = new Error('no such mailbox here') as Error & { responseCode: number };
          error.responseCode = 550;
          return callback(error);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.#add({
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              from: typeof session.envelope.mailFrom === 'object' && session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: typeof mail.html === 'string' ? mail.html : '',
            });
            callback();
          })
          .catch((err: Error) => callback(err));
      },
    });
    await new Promise<void>((resolve, reject) => {
      this.#smtp!.once('error', reject);
      this.#smtp!.listen(smtpPort, '127.0.0.1', () => resolve());
    });
    this.smtpPort = (this.#smtp.server.address() as AddressInfo).port;
    if (webPort !== undefined) {
      this.#web = createServer((req, res) => this.#serve(req.method ?? 'GET', req.url ?? '/', res));
      await new Promise<void>((resolve, reject) => {
        this.#web!.once('error', reject);
        this.#web!.listen(webPort, '127.0.0.1', () => resolve());
      });
      this.webPort = (this.#web.address() as AddressInfo).port;
    }
    return this;
  }

  get smtpUrl(): string {
    return `smtp://127.0.0.1:${this.smtpPort}`;
  }

  /** Messages to this address (case-insensitive), oldest first. */
  to(address: string): SinkMessage[] {
    const a = address.toLowerCase();
    return this.messages.filter((m) => m.to.includes(a));
  }

  /** Resolves with the first message that matches, waiting for it up to timeoutMs. */
  async waitFor(match: (m: SinkMessage) => boolean, timeoutMs = 10_000): Promise<SinkMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no matching mail arrived in the sink');
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.#waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.#smtp ? this.#smtp.close(() => resolve()) : resolve()));
    this.#web?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#web ? this.#web.close(() => resolve()) : resolve()));
    this.#smtp = undefined;
    this.#web = undefined;
  }

  #add(m: Omit<SinkMessage, 'id' | 'receivedAt'>): void {
    this.messages.push({ ...m, id: this.#nextId++, receivedAt: new Date().toISOString() });
    if (this.messages.length > MAX_KEPT) this.messages.splice(0, this.messages.length - MAX_KEPT);
    for (const wake of [...this.#waiters]) wake();
  }

  #serve(method: string, url: string, res: import('node:http').ServerResponse): void {
    const path = url.split('?')[0]!;
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, {
        'content-type': type,
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(body);
    };
    if (path === '/health') return send(200, 'text/plain', 'hexhood-mail-sink');
    if (path === '/api/messages' && method === 'GET') return send(200, 'application/json', JSON.stringify(this.messages));
    if (path === '/api/messages' && method === 'DELETE') {
      this.messages.length = 0;
      return send(204, 'text/plain', '');
    }
    const one = /^\/messages\/(\d+)$/.exec(path);
    if (one) {
      const m = this.messages.find((x) => x.id === Number(one[1]));
      if (!m) return send(404, 'text/plain', 'no such message');
      // the plain-text part, escaped, with its links made clickable
      const body = escapeHtml(m.text).replace(/(https?:\/\/[^\s<]+)/g, (u) => `<a href="${u}">${u}</a>`);
      return send(
        200,
        'text/html; charset=utf-8',
        page(
          escapeHtml(m.subject),
          `<p><a href="/">← inbox</a></p><h1>${escapeHtml(m.subject)}</h1>
<p>To: ${escapeHtml(m.to.join(', '))}<br>From: ${escapeHtml(m.from)}<br>${escapeHtml(m.receivedAt)}</p><pre>${body}</pre>`,
        ),
      );
    }
    if (path === '/') {
      const rows = [...this.messages]
        .reverse()
        .map(
          (m) =>
            `<tr><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.to.join(', '))}</td><td><a href="/messages/${m.id}">${escapeHtml(m.subject)}</a></td></tr>`,
        )
        .join('');
      return send(
        200,
        'text/html; charset=utf-8',
        page(
          'Hexhood dev inbox',
          `<h1>Hexhood dev inbox</h1><p>${this.messages.length} messages (kept in memory, newest first).</p>
<table><thead><tr><th>received</th><th>to</th><th>subject</th></tr></thead><tbody>${rows}</tbody></table>`,
        ),
      );
    }
    send(404, 'text/plain', 'not found');
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:sans-serif;margin:2rem}td,th{padding:.2rem .6rem;text-align:left}pre{white-space:pre-wrap}</style></head><body>${body}</body></html>`;
}

// CLI: run as a process of its own (infra/lib.sh starts it for `npm start`)
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const sink = await new MailSink().start({ smtpPort: arg('--smtp', 1025), webPort: arg('--web', 1080) });
  console.log(`mail sink: SMTP ${sink.smtpUrl}, inbox http://127.0.0.1:${sink.webPort}/`);
  const stop = () => void sink.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
