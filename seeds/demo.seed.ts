import type pg from 'pg';
import type { Db } from '../api/src/db/knex.ts';
import { createRollupRepository } from '../api/src/repositories/rollup.repository.ts';
import { loadBerlinData } from './berlin-data.ts';
import { copyRows } from './copy.ts';
import { seedMerchants, seedShopDemo } from './merchants.seed.ts';
import { seedModerators } from './moderators.seed.ts';
import { DEMO_USER, demoPasswordHash, insertUsers, planUsers, type SeededUser } from './people.seed.ts';
import { candidateDisplayCells, PlacementCache } from './placements.ts';
import { buildPopulationRaster, ResidentSampler } from './population-raster.ts';
import { COMMENT_COLUMNS, generatePosts, POLL_VOTE_COLUMNS, POST_COLUMNS, REACTION_COLUMNS, type PostAuthors } from './posts.seed.ts';
import { neighborhoodsAtCentroids, seedRegionCells, seedRegions, updateNeighborhoodPopulation, type SeededRegions } from './regions.seed.ts';

// The demo city in one transaction: Berlin's regions, residents, eight weeks of posts with comments and reactions,
// and an outbox row per post for the search relay. Same options (seed, now, sizes) → same data on a fresh database.

export interface SeedOptions {
  posts?: number;
  users?: number;
  seed?: number;
  /** the moment the history ends; defaults to the current time truncated to the hour */
  now?: Date;
  /** do nothing when posts already has rows (npm start runs the seed every time) */
  ifEmpty?: boolean;
  /** truncate every seeded table first (and what references them) — for development and tests only */
  reset?: boolean;
  /** write one outbox row per post so the relay indexes them in search (default true) */
  outbox?: boolean;
  /** share of posts that get comments/reactions; default all up to 20k posts, then ~20k posts' worth */
  engagementShare?: number;
  /** above this many posts into an empty table, load without secondary indexes and foreign keys, then rebuild them */
  bulkLoadAbove?: number;
  /** receives one line per step with its duration */
  log?: (line: string) => void;
  /** issue 10: the demo bakery's owner, staff and a running offer (seed.ts sets it; off for the deterministic city) */
  shopDemo?: boolean;
}

export interface SeedReport {
  skipped: boolean;
  regions: { created: boolean; neighborhoods: number; regionCells: number };
  users: number;
  posts: number;
  comments: number;
  reactions: number;
  outbox: number;
  firstPostId: string | null;
  timingsMs: Record<string, number>;
}

export const DEFAULT_SEED = 20260101;

export function truncatedToHour(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 3_600_000) * 3_600_000);
}

async function postsAreEmpty(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM posts) AS any');
  return !rows[0]?.any;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * For a bulk load into an empty posts table: drops the secondary indexes and foreign keys (per-row index upkeep and
 * RI triggers cost more than building and validating once afterwards) and returns the statements that recreate them
 * exactly as the migrations made them, indexes first.
 */
async function suspendIndexesAndForeignKeys(client: pg.ClientBase): Promise<string[]> {
  const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
      WHERE i.schemaname = current_schema() AND i.tablename = 'posts'
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conrelid = 'posts'::regclass AND c.conname = i.indexname)
      ORDER BY i.indexname`,
  );
  const { rows: foreignKeys } = await client.query<{ conname: string; def: string }>(
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = 'posts'::regclass AND contype = 'f' ORDER BY conname`,
  );
  for (const i of indexes) await client.query(`DROP INDEX ${quoteIdent(i.indexname)}`);
  for (const fk of foreignKeys) await client.query(`ALTER TABLE posts DROP CONSTRAINT ${quoteIdent(fk.conname)}`);
  return [...indexes.map((i) => i.indexdef), ...foreignKeys.map((fk) => `ALTER TABLE posts ADD CONSTRAINT ${quoteIdent(fk.conname)} ${fk.def}`)];
}

function authorsOf(users: SeededUser[], regions: SeededRegions): PostAuthors {
  const byNeighborhood = regions.neighborhoods.map((): string[] => []);
  const byDistrict = new Map<string, string[]>();
  for (const user of users) {
    byNeighborhood[user.neighborhood]?.push(user.id);
    const district = regions.neighborhoods[user.neighborhood]?.districtCode ?? '';
    byDistrict.set(district, [...(byDistrict.get(district) ?? []), user.id]);
  }
  return { byNeighborhood, byDistrict, all: users.map((u) => u.id) };
}

export async function seedDemo(db: Db, options: SeedOptions = {}): Promise<SeedReport> {
  const report: SeedReport = {
    skipped: false,
    regions: { created: false, neighborhoods: 0, regionCells: 0 },
    users: 0,
    posts: 0,
    comments: 0,
    reactions: 0,
    outbox: 0,
    firstPostId: null,
    timingsMs: {},
  };
  let mark = performance.now();
  const step = (name: string) => {
    const t = performance.now();
    report.timingsMs[name] = Math.round(t - mark);
    options.log?.(`  ${name.padEnd(18)} ${((t - mark) / 1000).toFixed(2)} s`);
    mark = t;
  };
  await db.transaction(async (trx) => {
    // Inside a knex transaction the client hands out the transaction's own connection: COPY streams, plain queries
    // and the rollup repository all share one session and one transaction.
    const client = (await trx.client.acquireConnection()) as pg.Client;
    // Serialises concurrent seeds (two `npm start`s) and keeps writers out while post ids are assigned.
    await client.query('LOCK TABLE posts IN SHARE ROW EXCLUSIVE MODE');
    if (options.reset) {
      await client.query('TRUNCATE users, sessions, regions, region_cells, posts, comments, reactions, outbox RESTART IDENTITY CASCADE');
    } else if (options.ifEmpty && !(await postsAreEmpty(client))) {
      report.skipped = true;
      return;
    }
    await client.query(`SET LOCAL maintenance_work_mem = '256MB'; SET LOCAL synchronous_commit = off`);
    await seedCity(trx, client, options, report, step);
  });
  if (report.skipped) return report;
  step('commit');
  // The rollups were rebuilt in bulk; until VACUUM sets their visibility map, trends and heat maps read heap pages
  // (VACUUM cannot run inside the seed's transaction).
  await createRollupRepository(db).vacuum();
  step('vacuum rollups');
  return report;
}

async function seedCity(trx: Db, client: pg.Client, options: SeedOptions, report: SeedReport, step: (name: string) => void): Promise<void> {
  const postCount = options.posts ?? 10_000;
  const seed = options.seed ?? DEFAULT_SEED;
  const now = options.now ?? truncatedToHour(new Date());

  const data = loadBerlinData();
  const regions = await seedRegions(client, data);
  report.regions.created = regions.created;
  report.regions.neighborhoods = regions.neighborhoods.length;
  step('regions');

  const raster = await buildPopulationRaster(client, data, regions.neighborhoods);
  if (regions.created) await updateNeighborhoodPopulation(client, regions.neighborhoods, raster.neighborhoodPopulation);
  const sampler = new ResidentSampler(raster);
  step('population raster');

  report.regions.regionCells = await seedRegionCells(client, regions);
  const placements = new PlacementCache(
    await neighborhoodsAtCentroids(client, candidateDisplayCells(raster.cells)),
    new Map(regions.neighborhoods.map((n) => [n.id, n.name])),
    data.stations,
  );
  step('region cells');

  const planned = planUsers({
    seed,
    count: options.users ?? 500,
    now,
    sampler,
    neighborhoodOf: (cell) => raster.neighborhood[cell]!,
    demoNeighborhood: Math.max(
      regions.neighborhoods.findIndex((n) => n.code === DEMO_USER.neighborhoodCode),
      0,
    ),
    adminNeighborhood: Math.max(
      regions.neighborhoods.findIndex((n) => n.code === '0101'),
      0,
    ),
  });
  const users = await insertUsers(client, planned, await demoPasswordHash(seed));
  report.users = users.length;
  step('users');
  // moderation (issue 11): demo moderators for a few districts and a lead
  await seedModerators(client, await demoPasswordHash(seed));
  step('moderators');

  // An empty posts table is truncated in this transaction, which lets COPY write rows already frozen and
  // all-visible: index-only feed scans work right away, without a VACUUM pass over a million rows.
  const fresh = await postsAreEmpty(client);
  // CASCADE: every table referencing posts is empty too when posts are (comments, reactions, revisions, ...)
  if (fresh) await client.query('TRUNCATE posts CASCADE');
  const { rows: seq } = await client.query<{ first: string }>(`SELECT nextval(pg_get_serial_sequence('posts', 'id')) AS first`);
  const firstId = BigInt(seq[0]!.first);
  // Hand the value back so the COPY's first row gets it; nobody else can insert while we hold the lock.
  await client.query(`SELECT setval(pg_get_serial_sequence('posts', 'id'), $1, false)`, [firstId.toString()]);
  const lastId = (firstId + BigInt(postCount) - 1n).toString();
  const bulk = fresh && postCount > (options.bulkLoadAbove ?? 50_000);
  const restoreSchema = bulk ? await suspendIndexesAndForeignKeys(client) : [];

  const generated = generatePosts({
    seed,
    count: postCount,
    firstId,
    now,
    engagementShare: options.engagementShare ?? Math.min(1, 20_000 / Math.max(postCount, 1)),
    raster,
    sampler,
    placements,
    neighborhoods: regions.neighborhoods,
    authors: authorsOf(users, regions),
  });
  report.posts = await copyRows(client, 'posts', POST_COLUMNS, generated.lines, { freeze: fresh });
  report.firstPostId = postCount ? firstId.toString() : null;
  const { rows: check } = await client.query<{ n: string; lo: string | null; hi: string | null }>(
    'SELECT count(*) AS n, min(id) AS lo, max(id) AS hi FROM posts WHERE id >= $1',
    [firstId.toString()],
  );
  if (postCount && (Number(check[0]?.n) !== postCount || check[0]?.lo !== firstId.toString() || check[0]?.hi !== lastId)) {
    throw new Error(`posts did not get the ids ${firstId}..${lastId}: ${JSON.stringify(check[0])}`);
  }
  step(`posts (COPY)`);

  for (const statement of restoreSchema) await client.query(statement);
  if (restoreSchema.length) step('indexes + keys');

  report.comments = await copyRows(client, 'comments', COMMENT_COLUMNS, generated.engagement.commentLines, { freeze: fresh });
  report.reactions = await copyRows(client, 'reactions', REACTION_COLUMNS, generated.engagement.reactionLines, {
    freeze: fresh,
  });
  // issue 12: poll votes have a table of their own
  await copyRows(client, 'poll_votes', POLL_VOTE_COLUMNS, generated.engagement.voteLines, { freeze: fresh });
  step('engagement');

  // Posts bypassed the service, so the activity rollups (trends, heat maps) are recomputed from them in one pass.
  await createRollupRepository(trx).rebuildAll();
  step('rollups');

  if (options.outbox ?? true) {
    const res = await client.query(
      `INSERT INTO outbox (entity, entity_id, op)
       SELECT 'post', id, 'upsert' FROM posts WHERE id BETWEEN $1 AND $2 ORDER BY id`,
      [firstId.toString(), lastId],
    );
    report.outbox = res.rowCount ?? 0;
    step('outbox');
  }

  // issue 10: shop listings (and, for npm start, the demo bakery's owner and staff with one running offer)
  await seedMerchants(client);
  if (options.shopDemo) await seedShopDemo(client, await demoPasswordHash(seed));
  step('merchants');

  await client.query('ANALYZE regions; ANALYZE region_cells; ANALYZE users; ANALYZE posts; ANALYZE comments; ANALYZE reactions');
  step('analyze');
}
