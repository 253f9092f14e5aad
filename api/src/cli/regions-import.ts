// `npm run regions:import -- file.geojson`: imports or replaces regions from a GeoJSON FeatureCollection, all or
// nothing, exactly as the admin API does (services/region-import.service.ts).
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config.ts';
import { createDb } from '../db/knex.ts';
import { migrateLatest } from '../db/migrate.ts';
import { AppError } from '../http/errors.ts';
import { transactionRunner } from '../repositories/repositories.ts';
import { createRegionImportService } from '../services/region-import.service.ts';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run regions:import -- file.geojson');
  process.exit(2);
}
const config = loadConfig(process.env);
const db = createDb(config.DATABASE_URL, 2);
try {
  await migrateLatest(db);
  const { imported } = await createRegionImportService({ withTransaction: transactionRunner(db) }).importDocument(readFileSync(file, 'utf8'));
  for (const r of imported)
    console.log(`${r.created ? 'created ' : 'replaced'} ${r.slug} (#${r.id}): ${r.cells} cells${r.madeValid ? ', made valid' : ''}`);
} catch (err) {
  if (err instanceof AppError) {
    console.error(`nothing imported: ${err.message}`);
    for (const e of err.fieldErrors ?? []) console.error(`  ${e.field}: ${e.message}`);
    process.exitCode = 1;
  } else throw err;
} finally {
  await db.destroy();
}
