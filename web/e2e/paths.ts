import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** What a run writes (gitignored): screenshots, board metrics, server log, traces of failed tests. */
export const ARTIFACTS_DIR = join(here, '.artifacts');
export const SCREENSHOT_DIR = join(ARTIFACTS_DIR, 'screenshots');
/** A few committed screenshots for reviewers; rewritten only with E2E_UPDATE_REFERENCE=1 when the UI changes on purpose. */
export const REFERENCE_DIR = join(here, 'reference');
/** Timings and paint statistics of the board tests (LCP, map ready, feed requests per move). */
export const BOARD_METRICS = join(ARTIFACTS_DIR, 'board-metrics.json');
