// Runs each suite with its runner's JSON reporter (vitest, Playwright), then prints the one closing line CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, '.data', 'test-results');
mkdirSync(outDir, { recursive: true });

const suites = [
  { name: 'api', config: 'api/vitest.config.ts' },
  { name: 'web-e2e', runner: 'playwright', config: 'web/playwright.config.ts', before: ['npm', ['run', 'build', '-w', 'web']] },
].filter((s) => existsSync(path.join(root, s.config)));

function runVitest(suite, out) {
  const run = spawnSync('npx', ['vitest', 'run', '--config', suite.config, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], {
    cwd: root,
    stdio: 'inherit',
  });
  if (!existsSync(out)) {
    console.log(`suite ${suite.name}: no results (exit ${run.status})`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  // A file that fails to load has no tests in it but still fails the suite.
  const brokenFiles = (report.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  let failed = report.numFailedTests + brokenFiles;
  if (run.status !== 0 && failed === 0) failed = 1;
  return { passed: report.numPassedTests, failed, skipped: report.numPendingTests + report.numTodoTests };
}

/** Playwright's JSON stats: expected = passed, unexpected = failed, flaky (passed only on a retry) counts as failed. */
function runPlaywright(suite, out) {
  const run = spawnSync('npx', ['playwright', 'test', '--config', suite.config, '--reporter=list,json'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_FILE: out },
  });
  if (!existsSync(out)) {
    console.log(`suite ${suite.name}: no results (exit ${run.status})`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const { stats, errors = [] } = JSON.parse(readFileSync(out, 'utf8'));
  // Errors outside tests (config, web server, global setup) fail the suite even when no test ran.
  let failed = stats.unexpected + stats.flaky + errors.length;
  if (run.status !== 0 && failed === 0) failed = 1;
  return { passed: stats.expected, failed, skipped: stats.skipped };
}

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
  const counts = suite.runner === 'playwright' ? runPlaywright(suite, out) : runVitest(suite, out);
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
