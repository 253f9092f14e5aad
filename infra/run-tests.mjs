// Runs the static gates (type checks, svelte-check, lint, formatting — each counts as one test), then each suite with
// its runner's JSON reporter (vitest, Playwright), then prints the one closing line CI reads.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const outDir = path.join(root, '.data', 'test-results');
mkdirSync(outDir, { recursive: true });

// The unit tier must not need a database or Meilisearch: it runs with both pointed at a closed port.
const NOWHERE = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', MEILI_URL: 'http://127.0.0.1:1' };

const suites = [
  { name: 'unit', config: 'api/vitest.unit.config.ts', env: NOWHERE },
  { name: 'api', config: 'api/vitest.config.ts' },
  // the production-path test in the api suite builds web/ already; this only rebuilds when sources changed since
  { name: 'web-e2e', runner: 'playwright', config: 'web/playwright.config.ts', before: ['node', ['infra/build.mjs', '--web']] },
].filter((s) => existsSync(path.join(root, s.config)));

/** Static checks; each passes or fails as one test. */
const gates = [
  { name: 'typecheck api, migrations, seeds, bench', cmd: ['npx', ['tsc', '-p', 'api', '--noEmit']] },
  // svelte-check first: its `svelte-kit sync` writes web/.svelte-kit/tsconfig.json, which the browser tests' extends
  { name: 'svelte-check', cmd: ['npm', ['run', 'check', '-w', 'web']] },
  { name: 'typecheck browser tests', cmd: ['npx', ['tsc', '-p', 'web/e2e', '--noEmit']] },
  { name: 'eslint', cmd: ['npx', ['eslint', '.']] },
  { name: 'prettier --check', cmd: ['npx', ['prettier', '--check', '.']] },
  // security (issue 9): the OpenAPI document lints clean (0 errors, 0 warnings) with Redocly's recommended rules
  { name: 'redocly lint (OpenAPI)', cmd: ['node', ['infra/lint-openapi.mjs']] },
];

function runVitest(suite, out) {
  const run = spawnSync('npx', ['vitest', 'run', '--config', suite.config, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...suite.env },
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
console.log('\n=== gates ===');
for (const gate of gates) {
  const run = spawnSync(gate.cmd[0], gate.cmd[1], { cwd: root, stdio: 'inherit' });
  const ok = run.status === 0;
  console.log(`gate ${gate.name}: ${ok ? 'passed' : 'FAILED'}`);
  if (ok) totals.passed += 1;
  else totals.failed += 1;
}
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
