// Gate: `redocly lint` (recommended rules, redocly.yaml) on the committed OpenAPI document; fails on any error OR
// warning (redocly itself exits 0 on warnings). api/src/contract/openapi.test.ts keeps the document in step with code.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const run = spawnSync('npx', ['redocly', 'lint', 'api/openapi.json', '--format=json'], { cwd: root, encoding: 'utf8' });
let report;
try {
  report = JSON.parse(run.stdout.slice(run.stdout.indexOf('{')));
} catch {
  console.error(run.stdout, run.stderr);
  console.error('redocly lint: no JSON report');
  process.exit(1);
}
const { errors, warnings } = report.totals;
for (const p of report.problems ?? []) console.error(`${p.severity} ${p.ruleId}: ${p.message} (${p.location?.[0]?.pointer ?? ''})`);
console.log(`redocly lint api/openapi.json: ${errors} errors, ${warnings} warnings`);
process.exit(errors + warnings === 0 ? 0 : 1);
