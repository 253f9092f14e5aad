import { createDb } from '../src/db/knex.ts';
import { migrateLatest } from '../src/db/migrate.ts';

/** Migrates this run's own database once (infra/test.sh creates it and points DATABASE_URL at it). */
export default async function setup(): Promise<void> {
  const url = process.env.DATABASE_URL ?? '';
  if (!/hexhood_test_/.test(url)) {
    throw new Error('DATABASE_URL must name a hexhood_test_* database; run the tests with `npm test`.');
  }
  const db = createDb(url);
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
}
