#!/usr/bin/env node
// Builds the district and Ortsteil outlines in static/map/ (the trends page fits the map to one) from the demo
// city's open data. The base map itself is served as vector tiles by the API (/api/tiles, issue 12).
// Run by hand when the source data changes: `npm run map:data -w web -- <berlin data dir>`.
// The app itself only ever reads static/map/ (shipped with the build), never the source directory.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const source = resolve(process.argv[2] ?? '../seeds/data');
const out = resolve(new URL('../static/map', import.meta.url).pathname);
mkdirSync(out, { recursive: true });

const read = (rel) => JSON.parse(readFileSync(join(source, rel), 'utf8'));

/** Douglas-Peucker on one line or ring; tolerance in degrees (0.00004° ≈ 3-4 m here). */
function simplifyLine(points, tolerance) {
  if (points.length <= 4 || !tolerance) return points;
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [first, last] = stack.pop();
    let maxDistance = 0;
    let index = -1;
    for (let i = first + 1; i < last; i++) {
      const d = distanceToSegment(points[i], points[first], points[last]);
      if (d > maxDistance) {
        maxDistance = d;
        index = i;
      }
    }
    if (maxDistance > tolerance) {
      keep[index] = 1;
      stack.push([first, index], [index, last]);
    }
  }
  const result = points.filter((_, i) => keep[i]);
  const closed = points[0][0] === points.at(-1)[0] && points[0][1] === points.at(-1)[1];
  return closed && result.length < 4 ? points : result;
}

/** Rounds coordinates (5 decimals ≈ 1 m), optionally simplifies, and keeps only the named properties. */
function slim(collection, keep, tolerance = 0, decimals = 5) {
  const f = 10 ** decimals;
  const round = (c) =>
    typeof c[0] === 'number'
      ? [Math.round(c[0] * f) / f, Math.round(c[1] * f) / f]
      : typeof c[0][0] === 'number'
        ? simplifyLine(c, tolerance).map(round)
        : c.map(round);
  return {
    type: 'FeatureCollection',
    features: collection.features.map((feature) => ({
      type: 'Feature',
      properties: Object.fromEntries(keep.filter((k) => feature.properties[k] != null).map((k) => [k, feature.properties[k]])),
      geometry: { type: feature.geometry.type, coordinates: round(feature.geometry.coordinates) },
    })),
  };
}

function distanceToSegment([px, py], [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = dx || dy ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy))) : 0;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

const districts = read('boundaries/berlin_bezirke.geojson');
const neighborhoods = read('boundaries/berlin_ortsteile.geojson');

const files = {
  'districts.geojson': slim(districts, ['id', 'name']),
  'neighborhoods.geojson': slim(neighborhoods, ['id', 'name', 'district_id']),
};

for (const [name, collection] of Object.entries(files)) {
  const text = JSON.stringify(collection);
  writeFileSync(join(out, name), text);
  console.log(`${name.padEnd(24)} ${collection.features.length.toString().padStart(4)} features ${(text.length / 1024).toFixed(0).padStart(5)} KiB`);
}
copyFileSync(join(source, 'SOURCES.md'), join(out, 'SOURCES.md'));
