import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig, trustProxy } from './config.ts';

// This host's own addresses, fixed for the test: loopback plus one interface address.
function self(): BlockList {
  const list = new BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  list.addAddress('172.18.0.5', 'ipv4');
  return list;
}

describe('TRUST_PROXY', () => {
  it('by default believes X-Forwarded-For only from this host, never from a remote client', () => {
    const trust = loadConfig({}).TRUST_PROXY;
    expect(trust('203.0.113.9', 0)).toBe(false);
    expect(trust('10.1.2.3', 0)).toBe(false);
    expect(trust('127.0.0.1', 0)).toBe(true);
    expect(trust('::1', 0)).toBe(true);
    expect(trust('::ffff:127.0.0.1', 0)).toBe(true);
    const withSelf = trustProxy('loopback', self());
    expect(withSelf('172.18.0.5', 0)).toBe(true); // the web tier calling back on the address a request came in on
    expect(withSelf('172.18.0.6', 0)).toBe(false);
  });

  it('refuses "true", which would let every client pick its own address', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
  });

  it('trusts exactly N hops when given a number', () => {
    const trust = loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY;
    expect(trust('172.18.0.2', 0)).toBe(true);
    expect(trust('203.0.113.9', 1)).toBe(false);
    expect(() => loadConfig({ TRUST_PROXY: '11' })).toThrow(/at most 10/);
  });

  it('trusts listed addresses and ranges (plus this host), and rejects what is not an address', () => {
    const trust = trustProxy('10.0.0.0/8, 192.0.2.7, linklocal', self());
    expect(trust('10.9.8.7', 0)).toBe(true);
    expect(trust('::ffff:10.9.8.7', 0)).toBe(true);
    expect(trust('192.0.2.7', 1)).toBe(true);
    expect(trust('192.0.2.8', 0)).toBe(false);
    expect(trust('169.254.1.1', 0)).toBe(true);
    expect(trust('127.0.0.1', 0)).toBe(true);
    expect(() => trustProxy('proxy.internal', self())).toThrow(/not an IP address/);
    expect(() => trustProxy('10.0.0.0/33', self())).toThrow(/prefix/);
  });

  it('"none" believes nobody, not even this host', () => {
    const trust = loadConfig({ TRUST_PROXY: 'none' }).TRUST_PROXY;
    expect(trust('127.0.0.1', 0)).toBe(false);
  });
});

describe('production configuration', () => {
  const production = { NODE_ENV: 'production', SESSION_SECRET: 'a-real-secret-of-32-characters!!', SMTP_URL: 'smtp://mail.example:587' };

  it('needs Meilisearch credentials: the master key, or both scoped keys', () => {
    expect(() => loadConfig(production)).toThrow(/MEILI_MASTER_KEY/);
    expect(loadConfig({ ...production, MEILI_MASTER_KEY: 'k'.repeat(32) }).MEILI_MASTER_KEY).toBe('k'.repeat(32));
    expect(() => loadConfig({ ...production, MEILI_SEARCH_KEY: 'search' })).toThrow(/both/);
    expect(loadConfig({ ...production, MEILI_SEARCH_KEY: 's', MEILI_INDEXING_KEY: 'i' }).MEILI_SEARCH_KEY).toBe('s');
  });

  it('has no well-known Meilisearch key to fall back on', () => {
    expect(loadConfig({}).MEILI_MASTER_KEY).toBeUndefined();
  });

  it('serves metrics only when a metrics port is configured', () => {
    expect(loadConfig({}).METRICS_PORT).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: '9464' }).METRICS_PORT).toBe(9464);
  });
});
