#!/usr/bin/env node
// Prints, per page (board, search, trends), the gzip size of the JS and CSS it loads up front, how much
// of that is the page's own route chunk (beyond the entry and the root layout every page shares), and
// what it loads on demand (MapLibre, h3-js, pmtiles); then the MapLibre worker and the offline map data.
// Run after `npm run build -w web`.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('..', import.meta.url).pathname;
const client = join(root, '.svelte-kit/output/client');
const manifest = JSON.parse(readFileSync(join(client, '.vite/manifest.json'), 'utf8'));
const gzipCache = new Map();
const gzip = (file) => {
  if (!gzipCache.has(file)) gzipCache.set(file, gzipSync(readFileSync(join(client, file)), { level: 9 }).length);
  return gzipCache.get(file);
};
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const sum = (files) => [...files].reduce((n, f) => n + gzip(f), 0);

// Which generated node is which page: nodes/N.js re-exports the route's +page.svelte.
const nodesDir = join(root, '.svelte-kit/generated/client-optimized/nodes');
const nodeOf = new Map();
for (const name of readdirSync(nodesDir)) {
  const match = /src\/routes(.*?)\/\+page\.svelte/.exec(readFileSync(join(nodesDir, name), 'utf8'));
  if (match) nodeOf.set(match[1] || '/', `.svelte-kit/generated/client-optimized/nodes/${name}`);
}
const entryKeys = Object.keys(manifest).filter((k) => /client-optimized\/app\.js$|client\/entry\.js$|nodes\/0\.js$/.test(k));

/** JS and CSS files reachable by static imports from the given manifest keys, and their dynamic imports. */
function closure(keys, skip = new Set()) {
  const js = new Set();
  const css = new Set();
  const lazy = new Set();
  const walk = (key) => {
    const chunk = manifest[key];
    if (!chunk || js.has(chunk.file) || skip.has(chunk.file)) return;
    js.add(chunk.file);
    for (const c of chunk.css ?? []) if (!skip.has(c)) css.add(c);
    for (const i of chunk.imports ?? []) walk(i);
    for (const d of chunk.dynamicImports ?? []) lazy.add(d);
  };
  keys.forEach(walk);
  return { js, css, lazy };
}

const shell = closure(entryKeys);
const shellFiles = new Set([...shell.js, ...shell.css]);

function report(label, route) {
  const node = nodeOf.get(route);
  if (!node) {
    console.log(`${label}: no page at ${route}`);
    return;
  }
  const all = closure([...entryKeys, node]);
  const own = closure([node], shellFiles);
  const lazy = [...all.lazy]
    .filter((key) => !key.includes('.svelte-kit/generated'))
    .map((key) => {
      const extra = closure([key], new Set([...all.js, ...all.css]));
      return { name: key.replace(/^.*node_modules\//, '').replace(/^src\//, ''), size: sum(extra.js) + sum(extra.css) };
    })
    // helpers already loaded up front add nothing
    .filter(({ size }) => size > 0)
    .map(({ name, size }) => `${name} ${kb(size)}`);
  const jsGz = sum(all.js);
  const cssGz = sum(all.css);
  console.log(`${label} JS  (gzip): ${kb(jsGz)} in ${all.js.size} files`);
  console.log(`${label} CSS (gzip): ${kb(cssGz)} in ${all.css.size} files`);
  console.log(`${label} JS+CSS (gzip): ${kb(jsGz + cssGz)}; its route chunks beyond the shared entry+layout: ${kb(sum(own.js) + sum(own.css))}`);
  console.log(`${label} loaded later (gzip JS+CSS): ${lazy.join('; ') || 'none'}`);
}

report('board', '/');
report('search', '/search');
report('trends', '/trends');
console.log(`shared entry + root layout (gzip JS+CSS): ${kb(sum(shell.js) + sum(shell.css))}`);

const worker = Object.values(manifest).find((c) => /maplibre-gl-worker/.test(c.file ?? c.src ?? ''));
if (worker) console.log(`maplibre worker (gzip): ${kb(gzip(worker.file))}`);
const mapDir = join(root, 'static/map');
const mapData = ['districts', 'neighborhoods', 'labels', 'water', 'green', 'rail', 'stations'].reduce(
  (n, name) => n + gzipSync(readFileSync(join(mapDir, `${name}.geojson`)), { level: 9 }).length,
  0,
);
const largest = Math.max(...Object.values(manifest).map((c) => statSync(join(client, c.file)).size));
console.log(`offline map GeoJSON (gzip): ${kb(mapData)}; largest built JS file ${kb(largest)} raw`);
