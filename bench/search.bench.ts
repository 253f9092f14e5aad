// Issue 4 benchmark, Meilisearch side: search latency with an area filter on an index of the newest 200k of the
// bench's 1M posts, through the search service and Meilisearch alone. (Freshness: freshness.bench.ts.)
import { SearchQuery } from '../api/src/contract/search.schema.ts';
import { feedCover, snapOrigin } from '../api/src/geo/h3.ts';
import { ANONYMOUS, audiencePolicy } from '../api/src/policy/audience.policy.ts';
import { and, coverFilter } from '../api/src/search/filter.ts';
import { createPostsIndex } from '../api/src/search/posts.index.ts';
import { benchApp, timed } from './bench-setup.ts';
import { ensureBenchIndex } from './search-index.ts';
import { fmt, median, percentile, report, verdict } from './stats.ts';

const { db, database, services, search: conn } = benchApp(6);
const index = createPostsIndex(conn);

const { docs, afterId, first, last } = await ensureBenchIndex(db, conn, index);
console.log(`\nSearch benchmark: ${docs.toLocaleString('en')} posts in ${index.uid} (the newest of ${database}, ids ${first}..${last})`);

// ---- Search latency with an area filter --------------------------------------------------------------------------
const WORDS = [
  'kita',
  'fahrrad',
  'flohmarkt',
  'späti',
  'hund',
  'katze',
  'cafe',
  'baustelle',
  'park',
  'sperrmüll',
  'kinderarzt',
  'bike',
  'lost cat',
  'street party',
  'playground',
  'wohnung',
  'fest',
  'spielplatz',
  'tram',
  'bürgeramt',
  'kinderwagen',
  'repair',
];
// where the indexed posts are (a deterministic sample), so areas have something to find
const origins = (
  await db.raw(`SELECT ST_Y(geom) AS lat, ST_X(geom) AS lon FROM posts TABLESAMPLE SYSTEM (1) REPEATABLE (9) WHERE id > ? LIMIT 150`, [afterId])
).rows as {
  lat: number;
  lon: number;
}[];
const regions = ((await db.raw(`SELECT slug FROM regions WHERE kind <> 'city' ORDER BY id`)).rows as { slug: string }[]).map((r) => r.slug);
const radii = ['500', '1000', '2000', '5000'];
const queries: Record<string, string>[] = [];
origins.forEach((o, i) => {
  const q = WORDS[i % WORDS.length]!;
  const area = { lat: String(o.lat), lon: String(o.lon), radius: radii[i % radii.length]! };
  queries.push({ q, ...area }, { q, ...area, sort: 'newest' }, { q: '', ...area, sort: 'newest' });
  if (i % 3 === 0) queries.push({ q, ...area, kind: 'question,post' });
});
regions.forEach((region, i) => queries.push({ q: WORDS[(i * 7) % WORDS.length]!, region }, { q: '', region, sort: 'newest', tags: 'nachbarschaft' }));
const parsed = queries.map((q) => SearchQuery.parse({ limit: '20', ...q }));

const run = (q: (typeof parsed)[number]) => services.search.search(q, undefined, 'bench');
for (const q of parsed.slice(0, 60)) await run(q); // warm-up
const serviceMs: number[] = [];
let hits = 0;
for (let pass = 0; pass < 2; pass++) {
  for (const q of pass ? [...parsed].reverse() : parsed) {
    const [ms, page] = await timed(() => run(q));
    serviceMs.push(ms);
    if (pass === 0 && page.items.length) hits++;
  }
}
// Meilisearch alone for the radius queries, with the filter the service builds for an anonymous public search.
const publicRadiusFilter = (lat: number, lon: number, radius: number) =>
  and(coverFilter(feedCover(snapOrigin({ lat, lon }).cell, radius)), audiencePolicy.searchFilter(ANONYMOUS));
const meiliMs: number[] = [];
for (const [i, o] of origins.entries()) {
  const filter = publicRadiusFilter(o.lat, o.lon, Number(radii[i % radii.length]));
  const [ms] = await timed(() =>
    index.search({ q: WORDS[i % WORDS.length]!, filter, limit: 20, offset: 0, facets: ['kind', 'tags'], cropLength: 24 }),
  );
  meiliMs.push(ms);
}
const p95 = percentile(serviceMs, 95);
console.log(
  `\nsearch with an area filter (radius 500–5000 m, district, neighbourhood; relevance and newest; facets, highlights), ` +
    `${parsed.length} queries × 2 passes, ${hits} of ${parsed.length} with results:`,
);
report([
  ['search service (Meilisearch + rows from PostgreSQL)', `median ${fmt(median(serviceMs))}  p95 ${fmt(p95)}  p99 ${fmt(percentile(serviceMs, 99))}`],
  ['Meilisearch alone (radius queries)', `median ${fmt(median(meiliMs))}  p95 ${fmt(percentile(meiliMs, 95))}`],
  ['p95', `${fmt(p95)}  target ≤20 ms at ≥200k posts  ${verdict(p95 <= 20 && docs >= 200_000)}`],
]);

await db.destroy();
