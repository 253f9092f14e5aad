import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers.ts';

// Per-address limits must key on an address the client cannot choose. The server below hands the real app each
// connection as if it came from `peer` (a remote client, or the web tier on this host), so X-Forwarded-For meets the
// app's own trust setting exactly as it would in production.

async function serveAs(t: TestApp, peer: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    Object.defineProperty(req.socket, 'remoteAddress', { value: peer, configurable: true });
    t.app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function attemptLogins(url: string, count: number, forwardedFor: (i: number) => string | undefined): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const xff = forwardedFor(i);
    const res = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(xff ? { 'x-forwarded-for': xff } : {}) },
      // a different unknown account each time, so only the per-address limit can trip
      body: JSON.stringify({ login: `nobody-${i}-${Math.random().toString(36).slice(2)}`, password: 'wrong password 123' }),
    });
    await res.arrayBuffer();
    statuses.push(res.status);
  }
  return statuses;
}

const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers) await close();
});

function app(overrides: Record<string, string> = {}): TestApp {
  const t = makeTestApp({ RATE_LIMIT_AUTH_PER_MIN: '3', ARGON2_MEMORY_KIB: '1024', ...overrides });
  closers.push(() => t.close());
  return t;
}

describe('proxy trust', () => {
  it('with the default config, a remote client forging X-Forwarded-For still shares one per-address budget', async () => {
    const t = app();
    const { url, server } = await serveAs(t, '203.0.113.9');
    closers.push(() => new Promise((r) => server.close(() => r())));
    const statuses = await attemptLogins(url, 5, (i) => `198.51.100.${i + 1}`);
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });

  it("the web tier's calls from this host carry each visitor's own address", async () => {
    const t = app();
    const { url, server } = await serveAs(t, '127.0.0.1');
    closers.push(() => new Promise((r) => server.close(() => r())));
    // five visitors, one attempt each: nobody is limited by the others
    expect(await attemptLogins(url, 5, (i) => `198.51.100.${i + 1}`)).toEqual([401, 401, 401, 401, 401]);
    // one visitor five times: limited after three
    expect((await attemptLogins(url, 5, () => '198.51.100.77')).slice(3)).toEqual([429, 429]);
  });

  it('behind one configured proxy hop, the address the proxy saw is used and what the client forged is not', async () => {
    const t = app({ TRUST_PROXY: '1' });
    const { url, server } = await serveAs(t, '172.18.0.2'); // the reverse proxy's container
    closers.push(() => new Promise((r) => server.close(() => r())));
    // the client forged the first entry; the proxy appended the address it saw
    const statuses = await attemptLogins(url, 5, (i) => `10.0.0.${i + 1}, 203.0.113.50`);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });
});
