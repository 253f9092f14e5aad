// `npm run build`: the production build, run by the Dockerfile and by the production-path test alike.
// dist/ ends up self-contained apart from node_modules: the API, migrations and seeds compiled to JavaScript with their
// relative layout kept (dist/api/src, dist/migrations, dist/seeds), the files they read next to themselves (.sql, seed
// data), and the SvelteKit build at dist/web/build, where the compiled server looks for it.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');

function run(cmd, args) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (res.status !== 0) {
    console.error(`build: ${cmd} ${args.join(' ')} failed (exit ${res.status})`);
    process.exit(1);
  }
}

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

// The web build takes about a minute; skip it when web/build is newer than everything it is made from (always rebuilt
// in the image, where .dockerignore leaves web/build out).
const webSources = ['web/src', 'web/static', 'web/svelte.config.js', 'web/vite.config.ts', 'web/package.json', 'package-lock.json'];
const handler = path.join(root, 'web/build/handler.js');
const webFresh = existsSync(handler) && Math.max(...webSources.map((s) => newestMtime(path.join(root, s)))) < statSync(handler).mtimeMs;
if (webFresh) console.log('build: web/build is up to date');
else run('npm', ['run', 'build', '-w', 'web']);
// `node infra/build.mjs --web`: only the web build, when stale (for a test suite that needs web/build and nothing else)
if (process.argv.includes('--web')) process.exit(0);

// Type errors are caught by `npm run typecheck` (part of `npm test`); the emit itself skips checking (noCheck).
rmSync(dist, { recursive: true, force: true });
run('npx', ['tsc', '-p', 'tsconfig.build.json']);

// Files read at run time from next to the code: repositories' .sql, the seed's open data.
function copyAssets(from) {
  for (const entry of readdirSync(path.join(root, from), { withFileTypes: true })) {
    const rel = path.join(from, entry.name);
    if (entry.isDirectory()) copyAssets(rel);
    else if (!/\.(ts|mts|cts)$/.test(entry.name)) {
      mkdirSync(path.join(dist, from), { recursive: true });
      cpSync(path.join(root, rel), path.join(dist, rel));
    }
  }
}
for (const dir of ['api/src', 'migrations', 'seeds']) copyAssets(dir);
cpSync(path.join(root, 'web/build'), path.join(dist, 'web/build'), { recursive: true });
writeFileSync(path.join(dist, 'package.json'), `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`);
console.log('build: dist/ ready (node dist/api/src/server.js)');
