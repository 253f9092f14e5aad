import path from 'node:path';
import { defineConfig } from 'vitest/config';

const here = path.dirname(new URL(import.meta.url).pathname);

// `npm run test:unit`: the pure tests next to the code — no database, no Meilisearch, seconds.
export default defineConfig({
  test: {
    root: here,
    include: ['src/**/*.test.ts', '../web/src/lib/**/*.test.ts'],
  },
});
