import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const webDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms`);
}

let server: ChildProcess | undefined;
const rootDir = join(webDir, '..');

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: rootDir, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

/**
 * Without BASE_URL the suite starts the app the way `npm start` does — demo city seeded into the run's own
 * database (E2E_DATABASE_URL, made by infra/test.sh), one Node process serving API and web — on a free port.
 */
export default async function setup(project: TestProject) {
  const given = process.env.BASE_URL;
  if (given && /^https?:\/\//.test(given)) {
    project.provide('baseUrl', given);
    return;
  }
  const databaseUrl = process.env.E2E_DATABASE_URL;
  if (!databaseUrl) throw new Error('Set BASE_URL to a running server, or E2E_DATABASE_URL (npm test does) to start one.');
  if (!existsSync(join(webDir, 'build', 'handler.js'))) throw new Error('Build the web app first (npm run build -w web).');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    MEILI_INDEX_PREFIX: `${process.env.MEILI_INDEX_PREFIX ?? ''}e2e_`,
    PORT: String(port),
    HOST: '127.0.0.1',
    ORIGIN: baseUrl,
    LOG_LEVEL: 'warn'
  };
  await run('npx', ['tsx', 'seeds/seed.ts', '--if-empty'], env);
  // Own process group, output to a log file: stopping it must not leave a server (or an open stdout) behind.
  mkdirSync(join(webDir, 'e2e', 'results'), { recursive: true });
  const log = openSync(join(webDir, 'e2e', 'results', 'server.log'), 'w');
  server = spawn('npx', ['tsx', 'api/src/server.ts'], { cwd: rootDir, env, stdio: ['ignore', log, log], detached: true });
  await waitForHttp(`${baseUrl}/health`, 60_000);
  project.provide('baseUrl', baseUrl);
  return () => {
    if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  };
}
