import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { MailSink } from '../../../infra/mail-sink.ts';
import { createMailOutboxRepository } from '../../src/repositories/mail-outbox.repository.ts';
import { emailTests, setAsideQueuedMail, tokenIn } from '../email.helpers.ts';
import { PASSWORD, postBody, randomPlace, uniqueHandle } from '../helpers.ts';

// issue 13: email — real mail through a real SMTP server (a sink in this process), sent by the real worker:
// verification, no email oracle at sign-up, password reset, SMTP outages and refusals, hostile input.

const { sink, emailApp, mailTo, register } = await emailTests();

describe('email verification', () => {
  const t = emailApp({ REQUIRE_VERIFIED_EMAIL: 'true' });

  it('sign-up → verification mail in the sink → the link verifies → the account can post', async () => {
    const email = `${uniqueHandle('v')}@example.test`;
    const { agent, res } = await register(t.app, email);
    expect(res.status).toBe(201);
    expect(res.body.user.emailVerified).toBe(false);

    // unverified: reads work, writes answer 403 problem+json saying what to do
    await agent.get('/api/me').expect(200);
    const refused = await agent.post('/api/posts').send(postBody(randomPlace()));
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.detail).toMatch(/confirm your email address/i);
    // account management stays possible
    await agent.patch('/api/me').send({ displayName: 'Still me' }).expect(200);

    const mail = await mailTo(t, email, /confirm your email/i);
    expect(mail.html).toContain('href="http://hexhood.test/verify?token=');
    const token = tokenIn(mail, '/verify');
    // the link works from anywhere (no session needed), once
    expect((await request(t.app).post('/api/auth/verify-email').send({ token }).expect(200)).body).toEqual({ status: 'verified' });
    const again = await request(t.app).post('/api/auth/verify-email').send({ token }).expect(422);
    expect(again.body.errors[0].field).toBe('body.token');

    expect((await agent.get('/api/me').expect(200)).body.user.emailVerified).toBe(true);
    await agent.post('/api/posts').send(postBody(randomPlace())).expect(201);
  });

  it('only the newest link works, an expired one does not, and the token is stored hashed', async () => {
    const email = `${uniqueHandle('v')}@example.test`;
    const { agent, res } = await register(t.app, email);
    const first = tokenIn(await mailTo(t, email, /confirm/i), '/verify');
    await agent.post('/api/me/email/verification').expect(204);
    await t.mailWorker.runOnce();
    const mails = sink.to(email).filter((m) => /confirm/i.test(m.subject));
    expect(mails).toHaveLength(2);
    const second = tokenIn(mails[1]!, '/verify');
    const stored = await t.db('email_tokens').where({ user_id: res.body.user.id }).select('token_hash');
    expect(stored.map((r) => r.token_hash)).not.toContain(second);
    await request(t.app).post('/api/auth/verify-email').send({ token: first }).expect(422);
    await t
      .db('email_tokens')
      .where({ user_id: res.body.user.id })
      .update({ expires_at: t.db.raw("now() - interval '1 second'") });
    await request(t.app).post('/api/auth/verify-email').send({ token: second }).expect(422);
    expect((await agent.get('/api/me')).body.user.emailVerified).toBe(false);
  });

  it('a sent mail keeps no link in the outbox', async () => {
    const email = `${uniqueHandle('v')}@example.test`;
    await register(t.app, email);
    await mailTo(t, email, /confirm/i);
    const row = await t.db('mail_outbox').where({ to_address: email }).first();
    expect(row.sent_at).not.toBeNull();
    expect(row.text_body).toBeNull();
    expect(row.html_body).toBeNull();
    // housekeeping drops old sent-mail records and tokens nobody can use any more
    const user = await t.db('users').where({ email }).first('id');
    await t
      .db('mail_outbox')
      .where({ id: row.id })
      .update({ sent_at: t.db.raw("now() - interval '31 days'") });
    await t
      .db('email_tokens')
      .where({ user_id: user.id })
      .update({ used_at: t.db.raw("now() - interval '8 days'") });
    await t.mailWorker.tidy();
    expect(await t.db('mail_outbox').where({ id: row.id }).first()).toBeUndefined();
    expect(await t.db('email_tokens').where({ user_id: user.id })).toEqual([]);
  });
});

describe('sign-up does not reveal whether an address is registered', () => {
  const t = emailApp({ REQUIRE_VERIFIED_EMAIL: 'true' });

  it('answers a taken address exactly like a new one; the owner is told, the newcomer gets no link', async () => {
    const email = `${uniqueHandle('o')}@example.test`;
    const owner = await register(t.app, email);
    await request(t.app)
      .post('/api/auth/verify-email')
      .send({ token: tokenIn(await mailTo(t, email, /confirm/i), '/verify') })
      .expect(200);

    const fresh = await register(t.app, `${uniqueHandle('n')}@example.test`);
    const dup = await register(t.app, email.toUpperCase());
    expect(dup.res.status).toBe(fresh.res.status);
    const shape = (v: unknown): unknown =>
      v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)])) : v === null ? null : typeof v;
    expect(shape(dup.res.body)).toEqual(shape(fresh.res.body));
    expect(Object.keys(dup.res.headers).sort()).toEqual(Object.keys(fresh.res.headers).sort());
    expect(String(dup.res.headers['set-cookie'])).toMatch(/hx_session=/);
    expect(dup.res.body.user.emailVerified).toBe(false);

    const warning = await mailTo(t, email, /someone tried to sign up/i);
    expect(warning.text).toContain('http://hexhood.test/forgot-password');
    // the newcomer got no verification link: the only "confirm" mail to this address is the owner's first one
    expect(sink.to(email).filter((m) => /confirm/i.test(m.subject))).toHaveLength(1);
    // and cannot post where verification is required
    await dup.agent.post('/api/posts').send(postBody(randomPlace())).expect(403);
    // more attempts within the hour: still the same answer, but the owner is not flooded
    expect((await register(t.app, email)).res.status).toBe(201);
    await t.mailWorker.runOnce();
    expect(sink.to(email).filter((m) => /someone tried/i.test(m.subject))).toHaveLength(1);

    // signing in with the address reaches the verified owner
    const login = await request(t.app).post('/api/auth/login').send({ login: email, password: PASSWORD }).expect(200);
    expect(login.body.user.handle).toBe(owner.handle);
  });

  it('tells the old, verified address when the address changes, masking the new one', async () => {
    const old = `${uniqueHandle('o')}@example.test`;
    const { agent } = await register(t.app, old);
    await request(t.app)
      .post('/api/auth/verify-email')
      .send({ token: tokenIn(await mailTo(t, old, /confirm/i), '/verify') })
      .expect(200);
    const next = `${uniqueHandle('n')}@example.test`;
    await agent.put('/api/me/email').send({ email: next, password: PASSWORD }).expect(200);
    const notice = await mailTo(t, old, /address was changed/i);
    expect(notice.text).toContain(`${next[0]}…@example.test`);
    expect(notice.text).not.toContain(next);
    expect(notice.text).toContain('/forgot-password');
    // the new address gets its verification link; an unverified address changing again tells nobody
    await mailTo(t, next, /confirm/i);
    const third = `${uniqueHandle('t')}@example.test`;
    await agent.put('/api/me/email').send({ email: third, password: PASSWORD }).expect(200);
    await mailTo(t, third, /confirm/i);
    expect(sink.to(next).filter((m) => /address was changed/i.test(m.subject))).toHaveLength(0);
  });

  it('the newcomer can move to an address of its own and verify that', async () => {
    const email = `${uniqueHandle('o')}@example.test`;
    await register(t.app, email);
    await request(t.app)
      .post('/api/auth/verify-email')
      .send({ token: tokenIn(await mailTo(t, email, /confirm/i), '/verify') })
      .expect(200);
    const dup = await register(t.app, email);
    const mine = `${uniqueHandle('m')}@example.test`;
    await dup.agent.put('/api/me/email').send({ email: mine, password: 'wrong password!' }).expect(422);
    const changed = await dup.agent.put('/api/me/email').send({ email: mine, password: PASSWORD }).expect(200);
    expect(changed.body.user).toMatchObject({ email: mine, emailVerified: false });
    await request(t.app)
      .post('/api/auth/verify-email')
      .send({ token: tokenIn(await mailTo(t, mine, /confirm/i), '/verify') })
      .expect(200);
    await dup.agent.post('/api/posts').send(postBody(randomPlace())).expect(201);
  });
});

describe('password reset by email', () => {
  const t = emailApp();

  it('mails a single-use link; the new password works, the old one not, every other session ends', async () => {
    const email = `${uniqueHandle('r')}@example.test`;
    const { agent: first, handle } = await register(t.app, email);
    const second = request.agent(t.app);
    await second.post('/api/auth/login').send({ login: handle, password: PASSWORD }).expect(200);

    const asked = await request(t.app)
      .post('/api/auth/password-reset')
      .send({ email: ` ${email.toUpperCase()} ` })
      .expect(202);
    const unknown = await request(t.app)
      .post('/api/auth/password-reset')
      .send({ email: `${uniqueHandle('nobody')}@example.test` })
      .expect(202);
    expect(unknown.body).toEqual(asked.body);

    const mail = await mailTo(t, email, /new hexhood password/i);
    const token = tokenIn(mail, '/reset-password');
    const resetter = request.agent(t.app);
    const newPassword = 'a brand new passphrase';
    const done = await resetter.post('/api/auth/password-reset/confirm').send({ token, password: newPassword }).expect(200);
    expect(done.body.user.handle).toBe(handle);
    await resetter.get('/api/me').expect(200);

    await first.get('/api/me').expect(401);
    await second.get('/api/me').expect(401);
    await request(t.app).post('/api/auth/login').send({ login: handle, password: PASSWORD }).expect(401);
    await request(t.app).post('/api/auth/login').send({ login: email, password: newPassword }).expect(200);
    // single use
    await request(t.app).post('/api/auth/password-reset/confirm').send({ token, password: 'yet another passphrase' }).expect(422);
  });

  it('is rate limited per normalised address, whichever client asks', async () => {
    const limited = emailApp({ RATE_LIMIT_MAIL_PER_HOUR: '2' });
    const email = `${uniqueHandle('rl')}@example.test`;
    const from = (ip: string) => request(limited.app).post('/api/auth/password-reset').set('X-Forwarded-For', ip);
    await from('198.51.100.1').send({ email }).expect(202);
    await from('198.51.100.2').send({ email: email.toUpperCase() }).expect(202);
    const third = await from('198.51.100.3').send({ email: ` ${email} ` });
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBeDefined();
    expect(third.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('SMTP outage', () => {
  it('sign-up succeeds while SMTP is down and its mail arrives once SMTP is back', async () => {
    const outage = await new MailSink().start();
    const port = outage.smtpPort;
    await outage.stop();
    const t = emailApp({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    await setAsideQueuedMail(t.db);
    const email = `${uniqueHandle('down')}@example.test`;
    const { res } = await register(t.app, email);
    expect(res.status).toBe(201);

    expect(await t.mailWorker.runOnce()).toEqual({ sent: 0, failed: 1 });
    expect(t.mailWorker.unreachable).toBe(true);
    const queued = await t.db('mail_outbox').where({ to_address: email }).first();
    expect(queued).toMatchObject({ sent_at: null, attempts: 1 });
    expect(new Date(queued.next_attempt_at).getTime()).toBeGreaterThan(Date.now());

    const back = await new MailSink().start({ smtpPort: port });
    try {
      await t.mailWorker.runOnce();
      const mail = back.to(email)[0];
      expect(mail?.subject).toMatch(/confirm your email/i);
      expect(tokenIn(mail!, '/verify')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      expect((await t.db('mail_outbox').where({ to_address: email }).first()).sent_at).not.toBeNull();
    } finally {
      await back.stop();
    }
  });
});

describe('a mail the server refuses', () => {
  it('is retried a few times, then kept with its error and never sent again, not even after an outage', async () => {
    const t = emailApp();
    const bounce = `${uniqueHandle('bounce')}@example.test`;
    sink.refuse = (address) => address === bounce;
    try {
      await setAsideQueuedMail(t.db);
      await register(t.app, bounce);
      for (let i = 0; i < 3; i++) {
        await t.db('mail_outbox').where({ to_address: bounce }).update({ next_attempt_at: t.db.fn.now() });
        expect(await t.mailWorker.runOnce()).toEqual({ sent: 0, failed: 1 });
      }
      const row = await t.db('mail_outbox').where({ to_address: bounce }).first();
      expect(row).toMatchObject({ sent_at: null, attempts: 3 });
      expect(row.last_error).toMatch(/550/);
      // what an end of an outage does: backed-off mail is due again — the abandoned one is not
      await createMailOutboxRepository(t.db).releaseBackoff();
      expect(await t.mailWorker.runOnce()).toEqual({ sent: 0, failed: 0 });
      expect(t.mailWorker.unreachable).toBe(false);
    } finally {
      sink.refuse = () => false;
    }
  });
});

describe('hostile input on the email routes', () => {
  const t = emailApp();

  it('answers 4xx problem+json, never 500', async () => {
    const cases: [string, string, unknown][] = [
      ['post', '/api/auth/verify-email', { token: 'x'.repeat(5000) }],
      ['post', '/api/auth/verify-email', { token: { $ne: null } }],
      ['post', '/api/auth/verify-email', { token: '../../etc/passwd' }],
      ['post', '/api/auth/verify-email', { token: 'A'.repeat(43), extra: 1 }],
      ['post', '/api/auth/password-reset', { email: 'not an email' }],
      ['post', '/api/auth/password-reset', { email: ['a@b.c'] }],
      ['post', '/api/auth/password-reset', { email: `${'a'.repeat(300)}@example.test` }],
      ['post', '/api/auth/password-reset/confirm', { token: 'A'.repeat(43), password: 'short' }],
      ['post', '/api/auth/password-reset/confirm', { token: 'A'.repeat(43), password: 'long enough password' }],
      ['post', '/api/me/email/verification', {}],
      ['put', '/api/me/email', { email: 'a@b.c', password: 'x' }],
    ];
    for (const [method, path, body] of cases) {
      const res = await (request(t.app) as unknown as Record<string, (p: string) => request.Test>)[method]!(path).send(body as object);
      expect(res.status, `${method} ${path} ${JSON.stringify(body).slice(0, 60)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const notJson = await request(t.app).post('/api/auth/password-reset').set('content-type', 'text/plain').send('email=a@b.c');
    expect(notJson.status).toBe(400);
  });
});
