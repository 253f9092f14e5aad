import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp, PASSWORD, uniqueHandle } from '../helpers.ts';

// The test server trusts X-Forwarded-For from loopback (the web tier's own calls), so each test plays clients of its
// own addresses and never shares a budget with another test on the run's database.
const v4 = () => `10.${[0, 0, 0].map(() => randomBytes(1)[0]! % 250).join('.')}`;
const v6prefix = () => `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;

const apps: ReturnType<typeof makeTestApp>[] = [];
function app(overrides: Record<string, string>) {
  const t = makeTestApp(overrides);
  apps.push(t);
  return t;
}
afterAll(() => Promise.all(apps.map((t) => t.close())));

const login = (t: ReturnType<typeof makeTestApp>, address: string, name: string, password = 'wrong-password') =>
  request(t.app).post('/api/auth/login').set('X-Forwarded-For', address).send({ login: name, password });

describe('login limits keyed on normalised identities', () => {
  it('padding, case, NFKC variants and the email form of one account share its budget', async () => {
    const base = app({});
    const handle = uniqueHandle('Rl');
    await request(base.app)
      .post('/api/auth/register')
      .set('X-Forwarded-For', v4())
      .send({ handle, displayName: 'Limit', email: `${handle.toLowerCase()}@example.test`, password: PASSWORD })
      .expect(201);
    const t = app({ RATE_LIMIT_AUTH_PER_MIN: '4' });
    const fullwidth = [...handle].map((c) => (/[A-Za-z0-9]/.test(c) ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');
    const variants = [`  ${handle}  `, handle.toUpperCase(), fullwidth, `${handle.toUpperCase()}@EXAMPLE.test`, handle.toLowerCase()];
    const statuses: number[] = [];
    // every attempt from an address of its own: only the account budget can stop the fifth
    for (const v of variants) statuses.push((await login(t, v4(), v)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    // a name that is no account is limited by its normalised form the same way
    const ghost = uniqueHandle('ghost');
    const ghostStatuses: number[] = [];
    for (const v of [ghost, ` ${ghost.toUpperCase()}`, `${ghost}\u3000`, ghost.toUpperCase(), ghost])
      ghostStatuses.push((await login(t, v4(), v)).status);
    expect(ghostStatuses).toEqual([401, 401, 401, 401, 429]);
  });

  it('IPv4-mapped IPv6 is its IPv4 address; IPv6 addresses of one /64 are one client', async () => {
    const t = app({ RATE_LIMIT_AUTH_PER_MIN: '3' });
    const a = v4();
    const mapped = [a, `::ffff:${a}`, `::FFFF:${a}`, a].map((addr) => login(t, addr, uniqueHandle()));
    const s1: number[] = [];
    for (const r of mapped) s1.push((await r).status);
    expect(s1).toEqual([401, 401, 401, 429]);

    const p = v6prefix();
    const s2: number[] = [];
    for (const suffix of ['::1', ':1:2:3:4', ':ffff:ffff:ffff:ffff', '::abcd']) s2.push((await login(t, `${p}${suffix}`, uniqueHandle())).status);
    expect(s2).toEqual([401, 401, 401, 429]);
    // the neighbouring /64 has a budget of its own
    const other = p.replace(/[0-9a-f]$/, (d) => (d === '0' ? '1' : '0'));
    expect((await login(t, `${other}::1`, uniqueHandle())).status).toBe(401);
  });
});

describe('one budget across API processes', () => {
  it('two app instances on one database share a limit of 10: 5 + 5 exhaust it', async () => {
    const a = app({ RATE_LIMIT_AUTH_PER_MIN: '10' });
    const b = app({ RATE_LIMIT_AUTH_PER_MIN: '10' });
    const address = v4();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login(a, address, uniqueHandle())).status);
    for (let i = 0; i < 5; i++) statuses.push((await login(b, address, uniqueHandle())).status);
    expect(statuses).toEqual(Array(10).fill(401));
    const over = [await login(a, address, uniqueHandle()), await login(b, address, uniqueHandle())];
    expect(over.map((r) => r.status)).toEqual([429, 429]);
    expect(Number(over[1]!.headers['retry-after'])).toBeGreaterThan(0);
    expect(over[1]!.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('the write budget of a signed-in user is shared too', async () => {
    const a = app({ RATE_LIMIT_WRITES_PER_MIN: '4' });
    const b = app({ RATE_LIMIT_WRITES_PER_MIN: '4' });
    const address = v4();
    const handle = uniqueHandle();
    // registering is the address's first write
    const reg = await request(a.app)
      .post('/api/auth/register')
      .set('X-Forwarded-For', address)
      .send({ handle, displayName: 'W', email: `${handle}@example.test`, password: PASSWORD })
      .expect(201);
    const cookie = reg.headers['set-cookie'] as unknown as string[];
    const statuses: number[] = [];
    for (const t of [a, b, a, b, a, b]) {
      statuses.push((await request(t.app).patch('/api/me').set('Cookie', cookie).set('X-Forwarded-For', address).send({ displayName: 'x' })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });
});
