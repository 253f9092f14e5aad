import { mkdirSync, rmSync } from 'node:fs';
import { BOARD_METRICS, SCREENSHOT_DIR } from './paths';

// Each run starts without the last run's screenshots and metrics, so what is there afterwards is this run's.
// (The server itself is playwright.config.ts's webServer.)
export default function globalSetup(): void {
  rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
  rmSync(BOARD_METRICS, { force: true });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
}
