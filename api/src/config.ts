import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { z } from 'zod';

// The only place that reads process.env: parsed once at start, typed everywhere else.

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v ? v : undefined));

/** Express `trust proxy` as a function: (address of a hop, its index counted from the socket) → believe it. */
export type TrustProxy = (address: string, hop: number) => boolean;

const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

const unmapped = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

let own: BlockList | undefined;
/** True for loopback and this host's own interface addresses: a connection from one comes from this machine. */
export function isOwnAddress(address: string): boolean {
  own ??= ownAddresses();
  return contains(own, address);
}

/** This host's own addresses: a connection from one of them comes from this machine (or container). */
function ownAddresses(): BlockList {
  const list = new BlockList();
  for (const infos of Object.values(networkInterfaces())) {
    for (const info of infos ?? []) list.addAddress(unmapped(info.address), info.family === 'IPv6' ? 'ipv6' : 'ipv4');
  }
  for (const cidr of NAMED_RANGES.loopback!) addCidr(list, cidr);
  return list;
}

function addCidr(list: BlockList, entry: string): void {
  const [address = '', bits] = entry.split('/');
  const family = isIP(address);
  if (!family) throw new Error(`TRUST_PROXY: "${entry}" is not an IP address, CIDR range or one of ${Object.keys(NAMED_RANGES).join(', ')}`);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (bits === undefined) return list.addAddress(address, type);
  const prefix = Number(bits);
  if (!/^\d+$/.test(bits) || prefix > (family === 6 ? 128 : 32)) throw new Error(`TRUST_PROXY: bad prefix length in "${entry}"`);
  list.addSubnet(address, prefix, type);
}

function contains(list: BlockList, address: string): boolean {
  const a = unmapped(address);
  const family = isIP(a);
  return family !== 0 && list.check(a, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Which X-Forwarded-* to believe. The in-process web tier calls the API from this host (loopback, or the address a
 * request came in on) and forwards the visitor's address, so this host is trusted in every mode but "none".
 * - "loopback" (default): nobody else; a client's own X-Forwarded-For is ignored.
 * - N (1–10): the N hops in front of the app are proxies (every request comes through them; the port is not public).
 * - a comma-separated list of addresses, CIDR ranges and loopback/linklocal/uniquelocal: those are proxies.
 * - "none": believe nobody (the web tier's calls then count as this host's own address).
 * "true" is refused: it lets any client choose its own address and escape every per-address limit.
 */
export function trustProxy(value: string, self?: BlockList): TrustProxy {
  const v = value.trim().toLowerCase();
  if (v === 'true') {
    throw new Error('TRUST_PROXY=true would let every client choose its own address; give the number of proxy hops or their addresses');
  }
  if (v === 'none' || v === 'false' || v === '0') return () => false;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 10) throw new Error('TRUST_PROXY: at most 10 proxy hops');
    return (_address, hop) => hop < hops;
  }
  const list = new BlockList();
  for (const entry of v
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    if (NAMED_RANGES[entry]) NAMED_RANGES[entry].forEach((cidr) => addCidr(list, cidr));
    else addCidr(list, entry);
  }
  return self ? (address) => contains(self, address) || contains(list, address) : (address) => isOwnAddress(address) || contains(list, address);
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_ORIGIN: z.string().url().optional(),
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/hexhood'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  MEILI_URL: z.string().url().default('http://127.0.0.1:7700'),
  // The master key derives the app's scoped keys and keeps them in Meilisearch (see search/meili.client.ts).
  // Operators who would rather not hand the app the master key set the two scoped keys instead.
  MEILI_MASTER_KEY: optionalString,
  MEILI_SEARCH_KEY: optionalString,
  MEILI_INDEXING_KEY: optionalString,
  // optional with given keys: a documents-only key for the relay (without it, writes check the index exists first)
  MEILI_WRITER_KEY: optionalString,
  MEILI_INDEX_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]*$/)
    .default(''),
  // The in-process outbox relay and reconciler run unless this is "false"/"0" (tests drive them by hand).
  SEARCH_RELAY: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => v !== 'false' && v !== '0'),
  // Seconds between reconciler steps (each checks one id range of 20k posts); 0 turns the reconciler off.
  SEARCH_RECONCILE_SECONDS: z.coerce.number().min(0).max(86_400).default(10),
  SESSION_SECRET: z.string().min(16).default('hexhood-dev-session-secret-change-me'),
  SESSION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  RATE_LIMIT_AUTH_PER_MIN: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_WRITES_PER_MIN: z.coerce.number().int().min(1).default(60),
  FEED_ORIGIN_MOVES_PER_10MIN: z.coerce.number().int().min(1).default(240),
  WEB_BUILD_DIR: z.string().optional(),
  MAP_STYLE_URL: z.string().optional(),
  // Where post photos are kept (local-disk photo storage); relative paths resolve against the working directory.
  PHOTO_DIR: z.string().default('.data/photos'),
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(1024).default(19456),
  // Prometheus metrics are served on a listener of their own, never on the public port; unset = no metrics listener.
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().default('127.0.0.1'),
  // On SIGTERM in-flight requests are answered first; one still running after this is cut off (exit code 1).
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().min(1).max(600).default(10),
  // --- issue 13: live updates --- seconds between SSE heartbeats; events kept this long can be resumed (then "reload")
  LIVE_HEARTBEAT_SECONDS: z.coerce.number().min(0.05).max(300).default(15),
  // safety-net poll of the events table (LISTEN/NOTIFY wakes the hub at once; the poll covers a lost connection)
  LIVE_POLL_SECONDS: z.coerce.number().min(0.05).max(3600).default(2),
  LIVE_STREAMS_PER_CLIENT: z.coerce.number().int().min(1).default(12),
  LIVE_RETAIN_HOURS: z.coerce
    .number()
    .min(0.01)
    .max(24 * 30)
    .default(24),
  // --- issue 13: email --- where mail goes (smtp:// or smtps://, credentials in the URL); development and tests use the
  // local sink infra/start.sh runs (infra/mail-sink.ts). Required in production.
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'expected smtp://[user:pass@]host[:port] or smtps://…')
    .optional(),
  MAIL_FROM: z.string().min(3).max(200).default('Hexhood <no-reply@hexhood.invalid>'),
  // An unverified account may read but not write. Default: true in production, false otherwise (the demo posts at once).
  REQUIRE_VERIFIED_EMAIL: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : undefined)),
  // password-reset and verification mails asked for, per address and per client address
  RATE_LIMIT_MAIL_PER_HOUR: z.coerce.number().int().min(1).default(5),
  // the daily digest goes out from this hour on (Europe/Berlin)
  MAIL_DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  // Whose X-Forwarded-For / -Proto / -Host to believe; see trustProxy() below.
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((v, ctx) => {
      try {
        return trustProxy(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
    }),
});

export type Config = Omit<z.infer<typeof envSchema>, 'REQUIRE_VERIFIED_EMAIL' | 'SMTP_URL'> & {
  isProduction: boolean;
  // issue 13: email — resolved from NODE_ENV when not set
  REQUIRE_VERIFIED_EMAIL: boolean;
  SMTP_URL: string;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${fields}`);
  }
  const cfg = parsed.data;
  if (cfg.NODE_ENV === 'production' && cfg.SESSION_SECRET.startsWith('hexhood-dev')) {
    throw new Error('invalid configuration: SESSION_SECRET must be set in production');
  }
  if (Boolean(cfg.MEILI_SEARCH_KEY) !== Boolean(cfg.MEILI_INDEXING_KEY)) {
    throw new Error('invalid configuration: set both MEILI_SEARCH_KEY and MEILI_INDEXING_KEY, or neither (and MEILI_MASTER_KEY)');
  }
  if (cfg.NODE_ENV === 'production' && !cfg.MEILI_MASTER_KEY && !cfg.MEILI_SEARCH_KEY) {
    throw new Error('invalid configuration: set MEILI_MASTER_KEY, or MEILI_SEARCH_KEY and MEILI_INDEXING_KEY, in production');
  }
  // issue 13: email — production must say where mail goes; elsewhere the local sink (infra/start.sh) is the default
  if (cfg.NODE_ENV === 'production' && !cfg.SMTP_URL) throw new Error('invalid configuration: SMTP_URL must be set in production');
  return {
    ...cfg,
    isProduction: cfg.NODE_ENV === 'production',
    REQUIRE_VERIFIED_EMAIL: cfg.REQUIRE_VERIFIED_EMAIL ?? cfg.NODE_ENV === 'production',
    SMTP_URL: cfg.SMTP_URL ?? 'smtp://127.0.0.1:1025',
  };
}
