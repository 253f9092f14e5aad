// Lighthouse (desktop preset) on a page, N times, with the median of each figure:
//   node web/e2e/lighthouse.mjs --url http://127.0.0.1:3000/ [--runs 3] [--label after] [--out web/e2e/.artifacts/lighthouse]
// infra/lighthouse.sh starts a production server on a seeded scratch database and calls this.
// Lighthouse is NOT a project dependency: install it outside the repo (lighthouse 13 needs Node 22):
//   mkdir -p /tmp/lh && cd /tmp/lh && npm i -E lighthouse@12.2.3
// and point LIGHTHOUSE_BIN at it when it lives elsewhere (default /tmp/lh/node_modules/.bin/lighthouse).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    runs: { type: 'string', default: '3' },
    label: { type: 'string', default: 'run' },
    out: { type: 'string', default: join(here, '.artifacts', 'lighthouse') },
    // --long-window: the desktop preset, but the trace ends only after 5.25 s without network or main-thread work
    // (Lighthouse's own windows for unthrottled runs) instead of 1 s: a check that nothing after the map is left out
    'long-window': { type: 'boolean', default: false },
  },
});
if (!values.url) {
  console.error('usage: node web/e2e/lighthouse.mjs --url URL [--runs N] [--label NAME] [--out DIR]');
  process.exit(2);
}

const bin = process.env.LIGHTHOUSE_BIN ?? '/tmp/lh/node_modules/.bin/lighthouse';
if (!existsSync(bin)) {
  console.error(`lighthouse not found at ${bin}: mkdir -p /tmp/lh && cd /tmp/lh && npm i -E lighthouse@12.2.3 (or set LIGHTHOUSE_BIN)`);
  process.exit(2);
}

/** The browser tests' flags (playwright.config.ts): WebGL through ANGLE + SwiftShader, nothing that phones home. */
const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-gl=angle',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
].join(' ');

/** The figures the results file records, from one Lighthouse JSON report. */
function figures(report) {
  const audit = (id) => report.audits[id]?.numericValue;
  const score = (id) => Math.round((report.categories[id]?.score ?? 0) * 100);
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    fcpMs: Math.round(audit('first-contentful-paint')),
    lcpMs: Math.round(audit('largest-contentful-paint')),
    tbtMs: Math.round(audit('total-blocking-time')),
    cls: Number(audit('cumulative-layout-shift').toFixed(3)),
    speedIndexMs: Math.round(audit('speed-index')),
    totalKiB: Math.round(audit('total-byte-weight') / 1024),
    // the board marks the moment its map is first shown (web/src/lib/map/reveal.ts); a run whose trace ended
    // before it measured a page without its map drawn, and is reported as such
    mapShownMs: mapShown(report),
  };
}

function mapShown(report) {
  const items = report.audits['user-timings']?.details?.items ?? [];
  const mark = items.find((item) => item.name === 'hexhood:map-shown');
  return mark ? Math.round(mark.startTime) : null;
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

mkdirSync(values.out, { recursive: true });

/** Lighthouse's CLI arguments for the preset: the desktop preset, or a config extending it with longer windows. */
function presetArgs() {
  if (!values['long-window']) return ['--preset=desktop'];
  const desktopConfig = join(dirname(realpathSync(bin)), '..', 'core', 'config', 'desktop-config.js');
  const configPath = join(values.out, 'desktop-long-window.config.mjs');
  const quiet = 5250;
  writeFileSync(
    configPath,
    `import desktop from ${JSON.stringify(pathToFileURL(desktopConfig).href)};
export default { ...desktop, settings: { ...desktop.settings, pauseAfterLoadMs: ${quiet}, networkQuietThresholdMs: ${quiet}, cpuQuietThresholdMs: ${quiet} } };
`,
  );
  return [`--config-path=${configPath}`];
}

const runs = [];
for (let i = 1; i <= Number(values.runs); i++) {
  const reportPath = join(values.out, `${values.label}-${i}.json`);
  const load = loadavg().map((x) => x.toFixed(2));
  const res = spawnSync(
    bin,
    [values.url, ...presetArgs(), '--output=json', `--output-path=${reportPath}`, '--quiet', `--chrome-flags=${CHROME_FLAGS}`],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' } },
  );
  if (res.status !== 0) {
    console.error(`lighthouse run ${i} failed (exit ${res.status})`);
    process.exit(1);
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  const run = { run: `${values.label}-${i}`, fetchTime: report.fetchTime, loadAverage: load.join(' '), ...figures(report) };
  runs.push(run);
  console.log(JSON.stringify(run));
}

const keys = ['performance', 'accessibility', 'bestPractices', 'fcpMs', 'lcpMs', 'tbtMs', 'cls', 'speedIndexMs', 'totalKiB'];
const summary = {
  label: values.label,
  preset: values['long-window'] ? 'desktop, 5.25 s quiet windows' : 'desktop',
  url: values.url,
  runs: runs.length,
  median: Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k]))])),
  runsWithoutMapShown: runs.filter((r) => r.mapShownMs === null).length,
};
writeFileSync(join(values.out, `${values.label}-summary.json`), `${JSON.stringify({ summary, runs }, null, 2)}\n`);
console.log(JSON.stringify(summary));
if (summary.runsWithoutMapShown)
  console.warn(`${summary.runsWithoutMapShown} run(s) ended before the map was shown: their figures leave the map out`);
