import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import { createOutboxRepository } from '../repositories/outbox.repository.ts';
import { createSearchDocumentRepository } from '../repositories/search-document.repository.ts';
import type { SearchConnection } from './meili.client.ts';
import { toPostDocument } from './post-document.ts';
import { createPostsIndex } from './posts.index.ts';

/**
 * Rebuilds the posts index from PostgreSQL into a new index and swaps it in atomically, so search never sees a
 * half-built index (a missing live index is replaced by renaming the new one, so searches answer 503 until it is
 * complete, not an empty list). Changes made while it runs are not lost: every post with an outbox row written after
 * the build started is re-sent from its current state after the swap (the live relay keeps writing the live index
 * meanwhile). The search relay calls this to repair a lost or mis-configured index (index-repair.ts).
 */
export async function reindexPosts({
  db,
  conn,
  logger,
  batchSize = 5000,
  afterId = '0',
  signal,
}: {
  db: Db;
  conn: SearchConnection;
  logger: Pick<Logger, 'info'>;
  batchSize?: number;
  /** index only posts with larger ids (the benchmark builds an index of the newest slice of its million posts) */
  afterId?: string;
  /** gives up between batches (shutdown); the partial build is dropped */
  signal?: AbortSignal;
}): Promise<{ indexed: number; resynced: number }> {
  const live = createPostsIndex(conn);
  const nextUid = `${live.uid}_next_${Date.now()}`;
  const next = createPostsIndex(conn, nextUid, { timeoutMs: 120_000, intervalMs: 100 });
  const documents = createSearchDocumentRepository(db);
  const outbox = createOutboxRepository(db);

  const startedAfter = await outbox.maxId();
  await next.ensure(); // settings before documents, so Meilisearch indexes each document once
  let indexed = 0;
  try {
    for (let after = afterId; ;) {
      signal?.throwIfAborted();
      const ids = await documents.indexableIdsAfter(after, batchSize);
      if (!ids.length) break;
      const docs = (await documents.load(ids)).filter((s) => s.indexable).map(toPostDocument);
      await next.apply(docs, []);
      indexed += docs.length;
      after = ids[ids.length - 1]!;
      logger.info({ indexed }, 'reindex progress');
    }
    await live.replaceWith(nextUid);
  } finally {
    // after the swap this holds the old contents; on failure, the partial build
    await next.drop(nextUid);
  }

  // Whatever changed since the build began may have reached only the old index: send its current state again.
  const changed = await outbox.entityIdsAfter('post', startedAfter);
  for (let i = 0; i < changed.length; i += batchSize) {
    const ids = changed.slice(i, i + batchSize);
    const sources = await documents.load(ids);
    const docs = sources.filter((s) => s.indexable).map(toPostDocument);
    const kept = new Set(docs.map((d) => String(d.id)));
    await live.apply(docs, ids.filter((id) => !kept.has(id)).map(Number));
  }
  return { indexed, resynced: changed.length };
}

// `npm run reindex`
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const { loadConfig } = await import('../config.ts');
  const { createDb } = await import('../db/knex.ts');
  const { createLogger } = await import('../http/observability.ts');
  const { createSearchConnection } = await import('./meili.client.ts');
  const config = loadConfig();
  const db = createDb(config.DATABASE_URL, 2);
  const logger = createLogger(config.LOG_LEVEL);
  const conn = createSearchConnection(config.MEILI_URL, config.MEILI_MASTER_KEY, config.MEILI_INDEX_PREFIX);
  const started = Date.now();
  try {
    const result = await reindexPosts({ db, conn, logger });
    console.log(`reindexed ${result.indexed} posts (+${result.resynced} re-sent) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // issue 12: the addresses index (reference data) is checked and filled too
    const { createAddressesIndex } = await import('./addresses.index.ts');
    const { createAddressRepository } = await import('../repositories/address.repository.ts');
    const rows = createAddressRepository(db);
    const state = await createAddressesIndex(conn).sync(
      () => rows.all(),
      () => rows.count(),
    );
    console.log(`addresses index: ${state}`);
  } finally {
    await db.destroy();
  }
}
