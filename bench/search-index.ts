// The bench search index: the newest 200k indexable posts of the bench database, built by the project's own reindex
// (a new index filled from PostgreSQL, then swapped in atomically). Shared by the search and freshness benchmarks.
import type { Db } from '../api/src/db/knex.ts';
import type { SearchConnection } from '../api/src/search/meili.client.ts';
import type { PostsIndex } from '../api/src/search/posts.index.ts';
import { reindexPosts } from '../api/src/search/reindex.ts';
import { timed } from './bench-setup.ts';

export const INDEXED = 200_000;

export async function ensureBenchIndex(db: Db, conn: SearchConnection, index: PostsIndex) {
  if (!(await conn.healthy())) throw new Error('Meilisearch is not available (bash -c "source infra/lib.sh && ensure_meili")');
  const slice = (
    await db.raw(
      `SELECT min(id) AS first, max(id) AS last, count(*) AS n FROM (
         SELECT id FROM posts WHERE status = 'visible' AND deleted_at IS NULL ORDER BY id DESC LIMIT ?) s`,
      [INDEXED],
    )
  ).rows[0] as { first: string; last: string; n: string };
  const afterId = String(BigInt(slice.first) - 1n);
  // A rebuild takes a minute or two, so the index is kept between runs while it holds exactly this slice.
  const count = await index.documentCount().catch(() => 0);
  const maxId = await index.maxId().catch(() => 0);
  if (count !== Number(slice.n) || String(maxId) !== slice.last) {
    console.log(`\nbuilding ${index.uid} from the newest ${Number(slice.n).toLocaleString('en')} posts (once; kept for later runs)…`);
    const [ms, built] = await timed(() => reindexPosts({ db, conn, logger: { info: () => undefined }, afterId }));
    console.log(`  indexed ${built.indexed.toLocaleString('en')} posts in ${(ms / 1000).toFixed(1)} s`);
  }
  return { docs: await index.documentCount(), afterId, first: slice.first, last: slice.last };
}
