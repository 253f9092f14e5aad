import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/knex.ts';
import { migrateLatest, migrateRollbackAll } from '../../src/db/migrate.ts';

// Every migration must be reversible: up → down to nothing → up again, on a scratch database of this run.
const base = new URL(process.env.DATABASE_URL!);
const scratchName = `${base.pathname.slice(1)}_mig`;
const adminUrl = Object.assign(new URL(base.href), { pathname: '/postgres' }).href;
const scratchUrl = Object.assign(new URL(base.href), { pathname: `/${scratchName}` }).href;

let admin: Db;
let scratch: Db;

beforeAll(async () => {
  admin = createDb(adminUrl, 1);
  await admin.raw(`DROP DATABASE IF EXISTS "${scratchName}" WITH (FORCE)`);
  await admin.raw(`CREATE DATABASE "${scratchName}"`);
  scratch = createDb(scratchUrl, 2);
});

afterAll(async () => {
  await scratch?.destroy();
  await admin.raw(`DROP DATABASE IF EXISTS "${scratchName}" WITH (FORCE)`);
  await admin.destroy();
});

async function tables(db: Db): Promise<string[]> {
  const res = await db.raw<{ rows: { table_name: string }[] }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'knex_%' AND table_name <> 'spatial_ref_sys' ORDER BY 1`,
  );
  return res.rows.map((r) => r.table_name);
}

describe('migrations', () => {
  it('apply, roll back completely and apply again', async () => {
    const applied = await migrateLatest(scratch);
    expect(applied.length).toBeGreaterThan(5);
    const first = await tables(scratch);
    expect(first).toEqual(expect.arrayContaining(['users', 'sessions', 'regions', 'posts', 'comments', 'reactions', 'outbox']));
    await migrateRollbackAll(scratch);
    expect(await tables(scratch)).toEqual([]);
    await migrateLatest(scratch);
    expect(await tables(scratch)).toEqual(first);
  });

  it('creates the covering feed indexes', async () => {
    const res = await scratch.raw<{ rows: { indexdef: string }[] }>(`SELECT indexdef FROM pg_indexes WHERE tablename = 'posts'`);
    const defs = res.rows.map((r) => r.indexdef).join('\n');
    for (const col of ['h3_9', 'h3_8', 'h3_7']) {
      expect(defs).toMatch(new RegExp(`\\(${col}, created_at DESC, id DESC\\) INCLUDE \\(kind, audience, region_id, author_id\\)`));
    }
    expect(defs).toMatch(/USING gist \(geom\)/);
    expect(defs).not.toMatch(/tsv/);
    expect(defs).toMatch(/USING brin \(created_at\)/);
  });
});
