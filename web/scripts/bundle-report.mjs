#!/usr/bin/env node
// Prints the gzip size of the JS and CSS the board (/) loads up front, and of what it loads on demand
// (h3-js, pmtiles) plus the MapLibre worker and the offline map data. Run after `npm run build -w web`.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const client = join(root, '.svelte-kit/output/client');
const manifest = JSON.parse(readFileSync(join(client, '.vite/manifest.json'), 'utf8'));
const gzip = (file) => gzipSync(readFileSync(join(client, file)), { level: 9 }).length;

// The board is route node 2 (src/routes/+page.svelte); 0 is the root layout.
const entries = Object.keys(manifest).filter((k) => /client\/entry\.js$|client-optimized\/app\.js$|nodes\/[02]\.js$/.test(k));
const js = new Set();
const css = new Set();
const lazy = new Set();
function walk(key) {
  const chunk = manifest[key];
  if (!chunk || js.has(chunk.file)) return;
  js.add(chunk.file);
  for (const c of chunk.css ?? []) css.add(c);
  for (const i of chunk.imports ?? []) walk(i);
  for (const d of chunk.dynamicImports ?? []) lazy.add(d);
}
entries.forEach(walk);
const sum = (files) => [...files].reduce((n, f) => n + gzip(f), 0);
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const jsGz = sum(js);
const cssGz = sum(css);
// Each dynamic import of the board (MapLibre after hydration, h3-js and pmtiles on first use) with
// whatever it pulls in beyond the up-front files.
const lazyGroups = [...lazy].filter((key) => !key.includes('.svelte-kit/generated')).map((key) => {
  const files = new Set();
  const styles = new Set();
  const visit = (k) => {
    const chunk = manifest[k];
    if (!chunk || js.has(chunk.file) || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const c of chunk.css ?? []) if (!css.has(c)) styles.add(c);
    for (const i of chunk.imports ?? []) visit(i);
  };
  visit(key);
  const name = key.replace(/^.*node_modules\//, '').replace(/^\.\.\//, '').replace(/^src\//, '');
  return `${name} ${kb(sum(files) + sum(styles))}`;
});
const worker = Object.values(manifest).find((c) => /maplibre-gl-worker/.test(c.file ?? c.src ?? ''));
const mapDir = join(root, 'static/map');
const mapData = ['districts', 'neighborhoods', 'labels', 'water', 'green', 'rail', 'stations'].reduce(
  (n, name) => n + gzipSync(readFileSync(join(mapDir, `${name}.geojson`)), { level: 9 }).length,
  0
);

console.log(`board JS  (gzip): ${kb(jsGz)} in ${js.size} files`);
console.log(`board CSS (gzip): ${kb(cssGz)} in ${css.size} files`);
console.log(`board JS+CSS (gzip): ${kb(jsGz + cssGz)}`);
console.log(`loaded later (gzip JS+CSS): ${lazyGroups.join('; ') || 'none'}`);
if (worker) console.log(`maplibre worker (gzip): ${kb(gzip(worker.file))}`);
console.log(`offline map GeoJSON (gzip): ${kb(mapData)}; largest built JS file ${kb(Math.max(...[...js].map((f) => statSync(join(client, f)).size)))} raw`);
