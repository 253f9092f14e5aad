import { z } from 'zod';

// The only place that reads process.env: parsed once at start, typed everywhere else.

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_ORIGIN: z.string().url().optional(),
  DATABASE_URL: z.string().default('postgres://postgres@127.0.0.1:5432/hexhood'),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  MEILI_URL: z.string().url().default('http://127.0.0.1:7700'),
  MEILI_MASTER_KEY: z.string().default('hexhood-dev-master-key-not-for-production'),
  MEILI_INDEX_PREFIX: z.string().regex(/^[A-Za-z0-9_-]*$/).default(''),
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
  ARGON2_MEMORY_KIB: z.coerce.number().int().min(1024).default(19456),
  // Express `trust proxy`: loopback by default, so the web tier's server-side calls (same process, over loopback)
  // can pass the visitor's address and host, while nobody else can forge X-Forwarded-*.
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((v): boolean | number | string => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v)),
});

export type Config = z.infer<typeof envSchema> & { isProduction: boolean };

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
  return { ...cfg, isProduction: cfg.NODE_ENV === 'production' };
}
