import { verify } from '@node-rs/argon2';
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../seeds/people.seed.ts';
import { seedDemo, type SeedOptions, type SeedReport } from '../../../seeds/demo.seed.ts';
import { createDb, type Db } from '../../src/db/knex.ts';
import { migrateLatest } from '../../src/db/migrate.ts';
import { bigintToCell, cellCentroid, cellParent, placeAtPrecision, type Precision } from '../../src/geo/h3.ts';

// The demo seed on a scratch database of this run (it needs Berlin to itself, away from the other tests' posts).
const base = new URL(process.env.DATABASE_URL!);
const scratchName = `${base.pathname.slice(1)}_seed`;
const adminUrl = Object.assign(new URL(base.href), { pathname: '/postgres' }).href;
const scratchUrl = Object.assign(new URL(base.href), { pathname: `/${scratchName}` }).href;

const NOW = new Date('2026-11-20T12:00:00Z');
const OPTIONS: SeedOptions = { posts: 3000, users: 150, seed: 42, now: NOW };
const DAY = 86_400_000;

let admin: Db;
let db: Db;
let report: SeedReport;

async function rows<T>(sql: string, bindings: readonly Knex.RawBinding[] = []): Promise<T[]> {
  return (await db.raw<{ rows: T[] }>(sql, bindings)).rows;
}

/** What a second run must reproduce exactly. */
async function snapshot() {
  return {
    posts: await rows(
      `SELECT p.id, p.kind, p.title, p.body, p.tags, p.lat, p.lon, p.precision, p.display_cell, p.h3_9, p.audience,
              p.region_id, p.created_at, p.event_starts_at, p.poll_options, p.comment_count, u.handle
         FROM posts p JOIN users u ON u.id = p.author_id ORDER BY p.id`,
    ),
    users: await rows(`SELECT id, handle, display_name, home_h3_9, password_hash, settings FROM users ORDER BY id`),
    regions: await rows(`SELECT id, slug, population, households FROM regions ORDER BY id`),
    comments: await rows(`SELECT post_id, author_id, body, created_at FROM comments ORDER BY id`),
  };
}

beforeAll(async () => {
  admin = createDb(adminUrl, 1);
  await admin.raw(`DROP DATABASE IF EXISTS "${scratchName}" WITH (FORCE)`);
  await admin.raw(`CREATE DATABASE "${scratchName}"`);
  db = createDb(scratchUrl, 2);
  await migrateLatest(db);
  report = await seedDemo(db, OPTIONS);
});

afterAll(async () => {
  await db?.destroy();
  await admin.raw(`DROP DATABASE IF EXISTS "${scratchName}" WITH (FORCE)`);
  await admin.destroy();
});

describe('demo seed: regions', () => {
  it('builds Berlin, its 12 districts and 96 neighbourhoods with registered population', async () => {
    const kinds = await rows<{ kind: string; n: string; population: string }>(
      `SELECT kind, count(*) AS n, sum(population) AS population FROM regions GROUP BY kind ORDER BY kind`,
    );
    expect(kinds).toEqual([
      { kind: 'city', n: '1', population: '3897145' },
      { kind: 'district', n: '12', population: '3897145' },
      { kind: 'neighborhood', n: '96', population: '3897145' },
    ]);
    const mismatched = await rows(
      `SELECT d.slug FROM regions d JOIN regions n ON n.parent_id = d.id
        WHERE d.kind = 'district' AND n.kind = 'neighborhood'
        GROUP BY d.slug, d.population HAVING sum(n.population) <> d.population`,
    );
    expect(mismatched).toEqual([]);
    const slugs = await rows<{ slug: string }>(`SELECT slug FROM regions`);
    for (const { slug } of slugs) expect(slug).toMatch(/^[a-z0-9-]{1,80}$/);
    const named = await rows<{ slug: string }>(
      `SELECT slug FROM regions WHERE slug IN ('friedrichshain-kreuzberg', 'tempelhof-schoeneberg', 'pankow', 'pankow-ortsteil', 'prenzlauer-berg') ORDER BY slug`,
    );
    expect(named.map((r) => r.slug)).toEqual(['friedrichshain-kreuzberg', 'pankow', 'pankow-ortsteil', 'prenzlauer-berg', 'tempelhof-schoeneberg']);
  });

  it('covers every res-8 cell of Berlin with its district and neighbourhood', async () => {
    const [cover] = await rows<{ cells: string; without_district: string; without_neighborhood: string }>(
      `WITH city AS (SELECT rc.h3_8 FROM region_cells rc JOIN regions r ON r.id = rc.region_id WHERE r.kind = 'city')
       SELECT count(*) AS cells,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM region_cells rc JOIN regions r ON r.id = rc.region_id
                                                 WHERE rc.h3_8 = city.h3_8 AND r.kind = 'district')) AS without_district,
              count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM region_cells rc JOIN regions r ON r.id = rc.region_id
                                                 WHERE rc.h3_8 = city.h3_8 AND r.kind = 'neighborhood')) AS without_neighborhood
         FROM city`,
    );
    expect(Number(cover!.cells)).toBeGreaterThan(1200); // Berlin is ~890 km², a res-8 cell ~0.74 km²
    expect(cover!.without_district).toBe('0');
    expect(cover!.without_neighborhood).toBe('0');
  });
});

describe('demo seed: posts', () => {
  it('loads what was asked, with an outbox row per post', async () => {
    expect(report.skipped).toBe(false);
    const [counts] = await rows<Record<string, string>>(
      `SELECT (SELECT count(*) FROM posts) AS posts, (SELECT count(*) FROM users) AS users,
              (SELECT count(*) FROM users WHERE email LIKE '%@demo.hexhood.local') AS demo_users,
              (SELECT count(DISTINCT entity_id) FROM outbox WHERE entity = 'post' AND op = 'upsert') AS outbox,
              (SELECT string_agg(handle, ',') FROM users WHERE is_admin) AS admins`,
    );
    // 150 residents + the demo account + the demo admin + six demo moderators (issue 11)
    expect(counts).toEqual({ posts: '3000', users: '158', demo_users: '158', outbox: '3000', admins: 'admin' });
  });

  it('places posts where people live: per resident, every district gets a similar share', async () => {
    const districts = await rows<{ slug: string; population: number; area_m2: number; posts: string }>(
      `SELECT d.slug, d.population, d.area_m2, count(p.id) AS posts
         FROM regions d JOIN regions n ON n.parent_id = d.id LEFT JOIN posts p ON p.region_id = n.id
        WHERE d.kind = 'district' GROUP BY d.id`,
    );
    const perResident = (slug: string) => {
      const d = districts.find((x) => x.slug === slug)!;
      return Number(d.posts) / ((3000 * d.population) / 3_897_145);
    };
    const perKm2 = (slug: string) => {
      const d = districts.find((x) => x.slug === slug)!;
      return Number(d.posts) / (d.area_m2 / 1e6);
    };
    for (const d of districts) {
      expect(perResident(d.slug), d.slug).toBeGreaterThan(0.7);
      expect(perResident(d.slug), d.slug).toBeLessThan(1.5);
    }
    // Dense inner districts carry far more posts per km² than the green outskirts.
    expect(perKm2('mitte')).toBeGreaterThan(2 * perKm2('spandau'));
    expect(perKm2('friedrichshain-kreuzberg')).toBeGreaterThan(3 * perKm2('treptow-koepenick'));
  });

  it('follows the privacy rules: public columns derive from the display cell only', async () => {
    const posts = await rows<{
      lat: number;
      lon: number;
      precision: Precision;
      display_cell: string;
      h3_9: string;
      h3_8: string;
      h3_7: string;
      h3_5: string;
      x: number;
      y: number;
    }>(`SELECT lat, lon, precision, display_cell, h3_9, h3_8, h3_7, h3_5, ST_X(geom) AS x, ST_Y(geom) AS y FROM posts`);
    for (const p of posts) {
      const placed = placeAtPrecision({ lat: p.lat, lon: p.lon }, p.precision);
      const h3_9 = bigintToCell(p.h3_9);
      expect(bigintToCell(p.display_cell)).toBe(placed.displayCell);
      expect(h3_9).toBe(placed.h3_9);
      expect(bigintToCell(p.h3_8)).toBe(cellParent(h3_9, 8));
      expect(bigintToCell(p.h3_7)).toBe(cellParent(h3_9, 7));
      expect(bigintToCell(p.h3_5)).toBe(cellParent(h3_9, 5));
      const centroid = cellCentroid(placed.displayCell);
      expect([p.x, p.y]).toEqual([centroid.lon, centroid.lat]);
    }
    const [wrongRegion] = await rows<{ n: string }>(
      `SELECT count(*) AS n FROM posts p
        WHERE p.region_id IS DISTINCT FROM (SELECT r.id FROM regions r WHERE r.kind = 'neighborhood'
                                             AND ST_Covers(r.geom, p.geom) ORDER BY r.id LIMIT 1)`,
    );
    expect(wrongRegion!.n).toBe('0');
  });

  it('keeps kinds, counters and timestamps consistent', async () => {
    const [bad] = await rows<Record<string, string>>(
      `SELECT count(*) FILTER (WHERE kind = 'offer') AS offers,
              count(*) FILTER (WHERE (kind = 'event') <> (event_starts_at IS NOT NULL)) AS event_times,
              count(*) FILTER (WHERE (kind = 'poll') <> (cardinality(poll_options) BETWEEN 2 AND 4)
                                  OR (kind <> 'poll' AND poll_options IS NOT NULL)) AS polls,
              count(*) FILTER (WHERE cardinality(tags) > 4) AS tags,
              count(*) FILTER (WHERE comment_count <> (SELECT count(*) FROM comments c WHERE c.post_id = p.id)) AS comments,
              count(*) FILTER (WHERE created_at > ?::timestamptz OR created_at < ?::timestamptz - interval '56 days') AS times
         FROM posts p`,
      [NOW.toISOString(), NOW.toISOString()],
    );
    expect(bad).toEqual({ offers: '0', event_times: '0', polls: '0', tags: '0', comments: '0', times: '0' });
    const [engaged] = await rows<{ comments: string; reactions: string }>(
      `SELECT (SELECT count(*) FROM comments) AS comments, (SELECT count(*) FROM reactions) AS reactions`,
    );
    expect(Number(engaged!.comments)).toBeGreaterThan(1000);
    expect(Number(engaged!.reactions)).toBeGreaterThan(1000);
    // issue 12: poll votes live in poll_votes, each for an option the poll has
    const [votes] = await rows<{ n: string; bad: string; stray: string }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE v.option >= cardinality(p.poll_options) OR p.kind <> 'poll') AS bad,
              (SELECT count(*) FROM reactions WHERE kind = 'vote') AS stray
         FROM poll_votes v JOIN posts p ON p.id = v.post_id`,
    );
    expect(Number(votes!.n)).toBeGreaterThan(100);
    expect([votes!.bad, votes!.stray]).toEqual(['0', '0']);
    const [giveaways] = await rows<{ free: string; other: string }>(
      `SELECT count(*) FILTER (WHERE sale_price_cents = 0) AS free, count(*) FILTER (WHERE sale_price_cents IS DISTINCT FROM 0) AS other
         FROM posts WHERE kind = 'for_sale'`,
    );
    expect(Number(giveaways!.free)).toBeGreaterThan(10);
    expect(giveaways!.other).toBe('0');
  });

  it('has trends worth finding: the festival in Friedrichshain-Kreuzberg and construction in Pankow', async () => {
    const count = (tag: string, district: string, fromDays: number, toDays: number) =>
      rows<{ n: string }>(
        `SELECT count(*) AS n FROM posts p JOIN regions n ON n.id = p.region_id JOIN regions d ON d.id = n.parent_id
          WHERE ? = ANY(p.tags) AND d.slug = ? AND p.created_at > ?::timestamptz AND p.created_at <= ?::timestamptz`,
        [tag, district, new Date(NOW.getTime() - fromDays * DAY).toISOString(), new Date(NOW.getTime() - toDays * DAY).toISOString()],
      ).then((r) => Number(r[0]!.n));
    const festivalNow = await count('festival', 'friedrichshain-kreuzberg', 3, 0);
    const festivalBefore = await count('festival', 'friedrichshain-kreuzberg', 56, 3);
    expect(festivalNow).toBeGreaterThan(20);
    expect(festivalNow / 3).toBeGreaterThan((10 * festivalBefore) / 53); // per day, ten times the baseline
    const baustelleNow = await count('baustelle', 'pankow', 7, 0);
    const baustelleBefore = await count('baustelle', 'pankow', 56, 7);
    expect(baustelleNow).toBeGreaterThan(15);
    expect(baustelleNow / 7).toBeGreaterThan((5 * baustelleBefore) / 49);
    // The rollups the trends read were rebuilt from the seeded posts.
    const [rollup] = await rows<{ rolled: string; counted: string }>(
      `SELECT (SELECT sum(n) FROM tag_cell_day WHERE tag = 'festival') AS rolled,
              (SELECT count(*) FROM posts WHERE 'festival' = ANY(tags)) AS counted`,
    );
    expect(rollup!.rolled).toBe(rollup!.counted);
  });
});

describe('demo seed: users and reruns', () => {
  // moderation (issue 11)
  it('appoints demo moderators for a few districts and a lead of Mitte, each living in their district', async () => {
    const roles = await rows<{ handle: string; role: string; district: string; lives_there: boolean }>(
      `SELECT u.handle, rr.role, r.name AS district,
              EXISTS (SELECT 1 FROM region_cells rc WHERE rc.region_id = r.id
                         AND rc.h3_8 = ((u.home_h3_9 & ~(15::bigint << 52)) | (8::bigint << 52) | (7::bigint << 18))) AS lives_there
         FROM region_roles rr JOIN users u ON u.id = rr.user_id JOIN regions r ON r.id = rr.region_id ORDER BY u.handle`,
    );
    expect(roles.map((r) => [r.handle, r.role, r.district])).toEqual([
      ['lead_mitte', 'lead', 'Mitte'],
      ['mod_mitte', 'moderator', 'Mitte'],
      ['mod_mitte2', 'moderator', 'Mitte'],
      ['mod_neukoelln', 'moderator', 'Neukölln'],
      ['mod_pankow', 'moderator', 'Pankow'],
      ['mod_xhain', 'moderator', 'Friedrichshain-Kreuzberg'],
    ]);
    expect(roles.every((r) => r.lives_there)).toBe(true);
  });

  it('gives every demo account the shared demo password', async () => {
    const [demo] = await rows<{ password_hash: string; home_h3_9: string | null }>(
      `SELECT password_hash, home_h3_9 FROM users WHERE handle = 'demo'`,
    );
    expect(await verify(demo!.password_hash, DEMO_PASSWORD)).toBe(true);
    expect(demo!.home_h3_9).not.toBeNull();
    const [hashes] = await rows<{ n: string }>(`SELECT count(DISTINCT password_hash) AS n FROM users`);
    expect(hashes!.n).toBe('1');
  });

  it('does nothing with ifEmpty when posts exist', async () => {
    const again = await seedDemo(db, { ...OPTIONS, ifEmpty: true });
    expect(again.skipped).toBe(true);
    const [n] = await rows<{ n: string }>(`SELECT count(*) AS n FROM posts`);
    expect(n!.n).toBe('3000');
  });

  it('is deterministic: the same options give the same city', async () => {
    const first = await snapshot();
    await seedDemo(db, { ...OPTIONS, reset: true });
    const second = await snapshot();
    expect(second.posts.length).toBe(3000);
    expect(second).toEqual(first);
    await seedDemo(db, { ...OPTIONS, seed: 43, reset: true });
    const other = await snapshot();
    expect(other.posts.map((p) => (p as { title: string }).title)).not.toEqual(first.posts.map((p) => (p as { title: string }).title));
  }, 120_000);
});
