import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

// Browser tests: `BASE_URL=http://127.0.0.1:3000 npx playwright test` (in web/) against a running server
// (npm start's). Without BASE_URL the suite starts the app the way `npm start` does — the demo city seeded into
// E2E_DATABASE_URL (infra/test.sh makes one per run), the search index built, one Node process serving API and
// web/build — on a free port, and stops it afterwards. Meilisearch must be up.

const webDir = dirname(fileURLToPath(import.meta.url));
const rootDir = join(webDir, '..');
/** Everything a run writes (traces, server log, screenshots, metrics); gitignored. */
const artifacts = join(webDir, 'e2e', '.artifacts');

/** Headless WebGL through ANGLE + SwiftShader (MapLibre needs WebGL2), nothing that phones home. */
const CHROMIUM_ARGS = [
  '--headless',
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
];

/** A port nobody listens on. Synchronous because the config is; asked once, in the runner (workers inherit env). */
function freePort(): number {
  const script = `const s = require('node:net').createServer();
s.listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); });`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

function ownServer() {
  const databaseUrl = process.env.E2E_DATABASE_URL;
  if (!databaseUrl) throw new Error('Set BASE_URL to a running server, or E2E_DATABASE_URL (npm test does) to start one.');
  if (!existsSync(join(webDir, 'build', 'handler.js'))) throw new Error('Build the web app first (npm run build -w web).');
  // This file is evaluated again in each worker (and may be in the runner): the environment carries the choice.
  process.env.E2E_OWN_SERVER = '1';
  process.env.E2E_PORT ||= String(freePort());
  const baseUrl = `http://127.0.0.1:${process.env.E2E_PORT}`;
  process.env.BASE_URL = baseUrl;
  return {
    // The index is built before the server starts, so search tests never race the relay's first indexing.
    command: [
      'npx tsx seeds/seed.ts --if-empty',
      'npx tsx api/src/search/reindex.ts',
      `mkdir -p ${JSON.stringify(artifacts)}`,
      `exec npx tsx api/src/server.ts > ${JSON.stringify(join(artifacts, 'server.log'))} 2>&1`,
    ].join(' && '),
    cwd: rootDir,
    url: `${baseUrl}/health`,
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 10_000 },
    env: {
      ...(process.env as Record<string, string>),
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      MEILI_INDEX_PREFIX: `${process.env.MEILI_INDEX_PREFIX ?? ''}e2e_`,
      PORT: process.env.E2E_PORT,
      HOST: '127.0.0.1',
      ORIGIN: baseUrl,
      LOG_LEVEL: 'warn',
      // every spec signs people up from this one address; the limits themselves are tested in the API suite
      RATE_LIMIT_AUTH_PER_MIN: '1000',
      RATE_LIMIT_WRITES_PER_MIN: '1000',
      RATE_LIMIT_MAIL_PER_HOUR: '1000', // issue 13: email
    },
  };
}

const webServer = !process.env.BASE_URL || process.env.E2E_OWN_SERVER === '1' ? ownServer() : undefined;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.e2e.ts',
  outputDir: join(artifacts, 'test-results'),
  globalSetup: './e2e/global-setup.ts',
  webServer,
  // One browser at a time: the machine has 2 cores and SwiftShader renders on the CPU.
  workers: 1,
  fullyParallel: false,
  // A test that needs a retry to pass is a failing test.
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  // Upper bounds, not waits: on a busy 2-core machine SwiftShader takes 10-30 s to draw a map.
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: process.env.BASE_URL?.replace(/\/$/, ''),
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      chromiumSandbox: false,
      // Debian's chromium: `npx playwright install` cannot download browsers on this machine.
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    navigationTimeout: 30_000,
    actionTimeout: 15_000,
  },
});
