import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser tests: `BASE_URL=http://127.0.0.1:3000 npm run test:e2e -w web` against a running server
// (npm start's). Without BASE_URL, e2e/global-setup.ts starts the full stack itself: it seeds the demo city
// into E2E_DATABASE_URL and serves API + web/build in one process (Meilisearch must be up).
export default defineConfig({
  test: {
    root: dirname(fileURLToPath(import.meta.url)),
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One browser at a time: the machine has 2 cores and SwiftShader renders on the CPU.
    fileParallelism: false,
    pool: 'forks',
    reporters: ['default']
  }
});
