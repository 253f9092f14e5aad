// Runs each suite with vitest's JSON reporter, then prints the one closing line CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, '.data', 'test-results');
mkdirSync(outDir, { recursive: true });

const suites = [
  { name: 'api', config: 'api/vitest.config.ts' },
  { name: 'web-e2e', config: 'web/vitest.e2e.config.ts', before: ['npm', ['run', 'build', '-w', 'web']] },
].filter((s) => existsSync(path.join(root, s.config)));

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const suite of suites) {
  console.log(`\n=== suite ${suite.name} ===`);
  if (suite.before) {
    const pre = spawnSync(suite.before[0], suite.before[1], { cwd: root, stdio: 'inherit' });
    if (pre.status !== 0) {
      console.log(`suite ${suite.name}: preparation failed`);
      totals.failed += 1;
      continue;
    }
  }
  const out = path.join(outDir, `${suite.name}.json`);
  rmSync(out, { force: true });
  const run = spawnSync('npx', ['vitest', 'run', '--config', suite.config, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], {
    cwd: root,
    stdio: 'inherit',
  });
  if (!existsSync(out)) {
    console.log(`suite ${suite.name}: no results (exit ${run.status})`);
    totals.failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  // A file that fails to load has no tests in it but still fails the suite.
  const brokenFiles = (report.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  totals.failed += brokenFiles;
  if (run.status !== 0 && report.numFailedTests === 0 && brokenFiles === 0) totals.failed += 1;
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
