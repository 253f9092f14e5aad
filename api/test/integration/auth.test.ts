import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp, PASSWORD, signUp, uniqueHandle } from '../helpers.ts';

const t = makeTestApp();
afterAll(() => t.close());

describe('auth', () => {
  it('registers, sets an HttpOnly SameSite=Lax session cookie, and knows the user', async () => {
    const handle = uniqueHandle();
    const agent = request.agent(t.app);
    const res = await agent
      .post('/api/auth/register')
      .send({ handle, displayName: 'Anna', email: `${handle}@example.test`, password: PASSWORD })
      .expect(201);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/hx_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(res.body.user).toMatchObject({ handle, displayName: 'Anna', homeCell: null, isAdmin: false });
    expect(res.body.user).not.toHaveProperty('password_hash');
    const me = await agent.get('/api/me').expect(200);
    expect(me.body.user.handle).toBe(handle);
  });

  it('stores argon2id hashes with m=19MiB, t=2, p=1 and the session token only hashed', async () => {
    const { user, agent } = await signUp(t.app);
    const row = await t.db('users').where({ id: user.id }).first('password_hash');
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const res = await agent.get('/api/me');
    expect(res.status).toBe(200);
    const sessions = await t.db('sessions').where({ user_id: user.id }).select('token_hash');
    expect(sessions).toHaveLength(1);
    expect(sessions[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('logs in by handle or email (case-insensitive) and out again', async () => {
    const { handle } = await signUp(t.app);
    const agent = request.agent(t.app);
    await agent.post('/api/auth/login').send({ login: handle.toUpperCase(), password: PASSWORD }).expect(200);
    await agent.get('/api/me').expect(200);
    await agent.post('/api/auth/logout').expect(204);
    await agent.get('/api/me').expect(401);
    await agent
      .post('/api/auth/login')
      .send({ login: `${handle}@EXAMPLE.test`, password: PASSWORD })
      .expect(200);
  });

  it('answers a wrong password and an unknown user identically (no enumeration)', async () => {
    const { handle } = await signUp(t.app);
    const wrong = await request(t.app).post('/api/auth/login').send({ login: handle, password: 'not the password' });
    const unknown = await request(t.app)
      .post('/api/auth/login')
      .send({ login: uniqueHandle('nobody'), password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  // issue 13: email — a taken email is no longer an error (that told anyone who is registered); see email.test.ts
  it('refuses a taken handle with 409 and a field error, whatever the email', async () => {
    const { handle } = await signUp(t.app);
    const res = await request(t.app)
      .post('/api/auth/register')
      .send({ handle: handle.toUpperCase(), displayName: 'X', email: `${handle}@example.test`, password: PASSWORD })
      .expect(409);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.handle']);
    const other = await request(t.app)
      .post('/api/auth/register')
      .send({ handle: handle.toUpperCase(), displayName: 'X', email: `${uniqueHandle()}@example.test`, password: PASSWORD })
      .expect(409);
    expect(other.body).toEqual(res.body);
  });

  it('validates registration fields', async () => {
    const res = await request(t.app)
      .post('/api/auth/register')
      .send({ handle: 'a b', displayName: '', email: 'nope', password: 'short', admin: true })
      .expect(422);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.handle', 'body.displayName', 'body.email', 'body.password']));
  });

  it('stores only the res-9 cell of the home point', async () => {
    const { agent, user } = await signUp(t.app);
    const res = await agent.put('/api/me/home').send({ lat: 52.5106123, lon: 13.4590456 }).expect(200);
    expect(res.body.user.homeCell).toMatch(/^89[0-9a-f]{13}$/);
    expect(JSON.stringify(res.body)).not.toContain('52.5106123');
    const row = await t.db('users').where({ id: user.id }).first();
    expect(Object.values(row).map(String).join(' ')).not.toContain('52.5106123');
  });

  it('updates settings and display name', async () => {
    const { agent } = await signUp(t.app);
    const res = await agent
      .patch('/api/me')
      .send({ displayName: 'New Name', settings: { defaultPrecision: 7 } })
      .expect(200);
    expect(res.body.user.displayName).toBe('New Name');
    expect(res.body.user.settings).toEqual({ defaultPrecision: 7, whoCanReply: 'everyone', dailyDigest: false });
  });
});

describe('CSRF protection', () => {
  it('refuses cross-site state changes with the victim cookie, allows same-origin', async () => {
    const { agent } = await signUp(t.app);
    const body = { displayName: 'Pwned' };
    await agent.patch('/api/me').set('Origin', 'https://evil.example').send(body).expect(403);
    await agent.patch('/api/me').set('Sec-Fetch-Site', 'cross-site').send(body).expect(403);
    const res = await agent.patch('/api/me').set('Sec-Fetch-Site', 'same-origin').send({ displayName: 'Fine' }).expect(200);
    expect(res.body.user.displayName).toBe('Fine');
  });

  it('allows requests whose Origin is our own host', async () => {
    const { agent } = await signUp(t.app);
    const probe = await agent.get('/api/me');
    expect(probe.status).toBe(200);
    const host = '127.0.0.1:5555';
    await agent.patch('/api/me').set('Host', host).set('Origin', `http://${host}`).send({ displayName: 'Ok' }).expect(200);
  });
});

describe('rate limits', () => {
  it('limits sign-in attempts with 429 and Retry-After', async () => {
    const limited = makeTestApp({ RATE_LIMIT_AUTH_PER_MIN: '3' });
    const address = `10.200.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const login = uniqueHandle('someone');
    try {
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 5; i++) {
        // budgets live in the run's shared database: an address and a name of this test's own
        const res = await request(limited.app).post('/api/auth/login').set('X-Forwarded-For', address).send({ login, password: 'wrong-password' });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers['retry-after'];
      }
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses.slice(3)).toEqual([429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('limits writes per user', async () => {
    const limited = makeTestApp({ RATE_LIMIT_WRITES_PER_MIN: '4' });
    try {
      // registration itself is a write from this address
      const { agent } = await signUp(limited.app, uniqueHandle(), {
        'X-Forwarded-For': `10.201.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
      });
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await agent.patch('/api/me').send({ displayName: `n${i}` })).status);
      expect(statuses.filter((s) => s === 200).length).toBe(4);
      expect(statuses.slice(-2)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  });
});
