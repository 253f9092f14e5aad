#!/usr/bin/env node
// Builds the offline base map's GeoJSON in static/map/ from the demo city's open data.
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

function ringArea(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return Math.abs(a / 2);
}

function pointInRing([x, y], ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function distanceToSegment([px, py], [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = dx || dy ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy))) : 0;
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * A label point well inside the polygon (a coarse "pole of inaccessibility"): the centroid can fall
 * outside concave districts, and MapLibre's own polygon labels repeat per tile.
 */
function labelPoint(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const polygon = polygons.reduce((best, p) => (ringArea(p[0]) > ringArea(best[0]) ? p : best));
  const outer = polygon[0];
  const xs = outer.map((c) => c[0]);
  const ys = outer.map((c) => c[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  let best = null;
  let bestDistance = -1;
  const steps = 40;
  for (let i = 0; i <= steps; i++) {
    for (let j = 0; j <= steps; j++) {
      // Longitude degrees are ~0.61 latitude degrees at Berlin's latitude; weigh x accordingly.
      const p = [minX + ((maxX - minX) * i) / steps, minY + ((maxY - minY) * j) / steps];
      if (!pointInRing(p, outer) || polygon.slice(1).some((hole) => pointInRing(p, hole))) continue;
      let d = Infinity;
      for (const ring of polygon) {
        for (let k = 1; k < ring.length; k++) {
          const scale = (c) => [c[0] * 0.61, c[1]];
          d = Math.min(d, distanceToSegment(scale(p), scale(ring[k - 1]), scale(ring[k])));
        }
      }
      if (d > bestDistance) {
        bestDistance = d;
        best = p;
      }
    }
  }
  return best.map((v) => Math.round(v * 1e5) / 1e5);
}

const districts = read('boundaries/berlin_bezirke.geojson');
const neighborhoods = read('boundaries/berlin_ortsteile.geojson');

const files = {
  'districts.geojson': slim(districts, ['id', 'name']),
  'neighborhoods.geojson': slim(neighborhoods, ['id', 'name', 'district_id']),
  'water.geojson': slim(read('basemap/berlin_water.geojson'), ['kind'], 0.00003),
  'green.geojson': slim(read('basemap/berlin_green.geojson'), ['kind'], 0.00004),
  'rail.geojson': slim(read('basemap/berlin_rail.geojson'), ['kind', 'underground'], 0.00004),
  'stations.geojson': slim(read('basemap/berlin_stations.geojson'), ['name', 'network']),
  'labels.geojson': {
    type: 'FeatureCollection',
    features: [
      ...districts.features.map((f) => ({
        type: 'Feature',
        properties: { name: f.properties.name, kind: 'district' },
        geometry: { type: 'Point', coordinates: labelPoint(f.geometry) },
      })),
      ...neighborhoods.features.map((f) => ({
        type: 'Feature',
        properties: { name: f.properties.name, kind: 'neighborhood' },
        geometry: { type: 'Point', coordinates: labelPoint(f.geometry) },
      })),
    ],
  },
};

for (const [name, collection] of Object.entries(files)) {
  const text = JSON.stringify(collection);
  writeFileSync(join(out, name), text);
  console.log(`${name.padEnd(24)} ${collection.features.length.toString().padStart(4)} features ${(text.length / 1024).toFixed(0).padStart(5)} KiB`);
}
copyFileSync(join(source, 'SOURCES.md'), join(out, 'SOURCES.md'));
