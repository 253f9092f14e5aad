import request from 'supertest';
import { afterAll, beforeAll } from 'vitest';
import { MailSink, type SinkMessage } from '../../infra/mail-sink.ts';
import { createApp } from '../src/app.ts';
import { createDb, type Db } from '../src/db/knex.ts';
import { createLogger } from '../src/http/observability.ts';
import { PASSWORD, testConfig, uniqueHandle } from './helpers.ts';

// issue 13: email — fixtures for tests that read real mail: a real SMTP server (a sink in the test process) and apps
// whose mail worker sends to it. Call emailTests() once at the top of a test file.

/**
 * Other test files sign people up too, and nothing sends their mail: it waits in the shared outbox. A file's workers
 * would send all of it; what is queued before a test that counts mails is set aside first.
 */
export async function setAsideQueuedMail(db: Db): Promise<void> {
  await db('mail_outbox').whereNull('sent_at').update({ sent_at: db.fn.now(), last_error: 'set aside by an email test' });
}

export const tokenIn = (mail: SinkMessage, path: string) => {
  const match = new RegExp(`http://hexhood\\.test${path}\\?token=([A-Za-z0-9_-]+)`).exec(mail.text);
  if (!match) throw new Error(`no ${path} link in: ${mail.text}`);
  return match[1]!;
};

export type EmailApp = ReturnType<typeof createApp> & { db: Db };

export async function emailTests() {
  // started before the apps are built: their config carries its address
  const sink = await new MailSink().start();
  const dbs: Db[] = [];

  function emailApp(overrides: Record<string, string> = {}): EmailApp {
    const config = testConfig({ SMTP_URL: sink.smtpUrl, PUBLIC_ORIGIN: 'http://hexhood.test', ...overrides });
    const db = createDb(config.DATABASE_URL, 4);
    dbs.push(db);
    return { ...createApp({ config, db, logger: createLogger('silent') }), db };
  }

  beforeAll(async () => {
    const db = createDb(testConfig().DATABASE_URL, 1);
    await setAsideQueuedMail(db);
    await db.destroy();
  });
  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.destroy()));
    await sink.stop();
  });

  /** Runs the mail worker until a mail to `to` matching `subject` is in the sink. */
  async function mailTo(app: EmailApp, to: string, subject: RegExp): Promise<SinkMessage> {
    for (let i = 0; i < 50; i++) {
      await app.mailWorker.runOnce();
      const found = sink.to(to).find((m) => subject.test(m.subject));
      if (found) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no mail "${subject}" to ${to}`);
  }

  async function register(app: EmailApp['app'], email: string, handle = uniqueHandle()) {
    const agent = request.agent(app);
    const res = await agent.post('/api/auth/register').send({ handle, displayName: `Test ${handle}`, email, password: PASSWORD });
    return { agent, res, handle };
  }

  /** A signed-in account whose address is verified through its mailed link. */
  async function verifiedPerson(app: EmailApp, prefix = 'p') {
    const email = `${uniqueHandle(prefix)}@example.test`;
    const person = await register(app.app, email);
    await request(app.app)
      .post('/api/auth/verify-email')
      .send({ token: tokenIn(await mailTo(app, email, /confirm/i), '/verify') })
      .expect(200);
    return { ...person, email };
  }

  return { sink, emailApp, mailTo, register, verifiedPerson };
}
