import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../api/src/config.ts';
import { createDb } from '../api/src/db/knex.ts';
import { migrateLatest } from '../api/src/db/migrate.ts';
import { DEFAULT_SEED, seedDemo, truncatedToHour, type SeedOptions } from './demo.seed.ts';
import { seedBasemap } from './basemap.seed.ts'; // issue 12

const USAGE = `Seeds the Berlin demo city (regions, users, posts, comments, reactions, outbox).

  npx tsx seeds/seed.ts [--posts N] [--users N] [--if-empty] [--reset] [--no-outbox]
                        [--seed N] [--now ISO] [--database-url URL]

  --posts N          posts to create (default 10000)
  --users N          demo residents besides the "demo" account (default 500); password for all: hexhood-demo
  --if-empty         do nothing when the posts table already has rows (npm start)
  --reset            truncate users, regions, posts, comments, reactions, outbox (and what references them) first
  --no-outbox        skip the outbox rows (benchmarks that don't use search)
  --no-shop-demo     skip the demo bakery's owner "baecker", staff "baecker_staff" and its running offer
  --seed N           random seed (default ${DEFAULT_SEED})
  --now ISO          end of the eight weeks of history (default: now, truncated to the hour);
                     the same --seed, --now and sizes give the same data on a fresh database
  --database-url URL default: DATABASE_URL`;

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${value}"`);
  return n;
}

export function parseSeedArgs(argv: string[]): SeedOptions & { databaseUrl?: string; help: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      posts: { type: 'string' },
      users: { type: 'string' },
      seed: { type: 'string' },
      now: { type: 'string' },
      'if-empty': { type: 'boolean', default: false },
      reset: { type: 'boolean', default: false },
      'no-outbox': { type: 'boolean', default: false },
      'no-shop-demo': { type: 'boolean', default: false },
      'database-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const now = values.now === undefined ? truncatedToHour(new Date()) : new Date(values.now);
  if (Number.isNaN(now.getTime())) throw new Error(`--now must be an ISO date, got "${values.now}"`);
  return {
    posts: positiveInt('posts', values.posts),
    users: positiveInt('users', values.users),
    seed: positiveInt('seed', values.seed),
    now,
    ifEmpty: values['if-empty'],
    reset: values.reset,
    outbox: !values['no-outbox'],
    shopDemo: !values['no-shop-demo'],
    databaseUrl: values['database-url'],
    help: values.help,
  };
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseSeedArgs>;
  try {
    args = parseSeedArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const db = createDb(args.databaseUrl ?? loadConfig().DATABASE_URL, 2);
  try {
    const started = performance.now();
    const applied = await migrateLatest(db);
    if (applied.length) console.log(`migrations applied: ${applied.join(', ')}`);
    // issue 12: the base map and street gazetteer are reference data, loaded whenever missing (also with --if-empty)
    const basemap = await seedBasemap(db);
    if (basemap.features || basemap.addresses) console.log(`base map: ${basemap.features} features, ${basemap.addresses} addresses loaded`);
    console.log(`seeding Berlin: ${args.posts ?? 10_000} posts, ${args.users ?? 500} users, now=${args.now?.toISOString()}`);
    const report = await seedDemo(db, { ...args, log: (line) => console.log(line) });
    if (report.skipped) {
      console.log('posts already present: nothing to do (--if-empty)');
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `seeded ${report.regions.created ? `${report.regions.neighborhoods} neighbourhoods, ${report.regions.regionCells} region cells, ` : ''}` +
        `${report.users} users, ${report.posts} posts, ${report.comments} comments, ${report.reactions} reactions, ` +
        `${report.outbox} outbox rows in ${seconds} s`,
    );
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
