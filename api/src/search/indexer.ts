import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import { IndexRepair } from './index-repair.ts';
import type { SearchConnection } from './meili.client.ts';
import { OutboxRelay, type RelayOptions } from './outbox.relay.ts';
import { createPostsIndex } from './posts.index.ts';
import { createReconciler } from './reconciler.ts';
// --- address search (issue 12) ---
import { createAddressRepository } from '../repositories/address.repository.ts';
import { createAddressesIndex } from './addresses.index.ts';
// issue 10: the shops index rides the same outbox
import { createMerchantsIndex, merchantSource, MerchantsIndexRepair } from './merchants.index.ts';

export interface IndexerOptions {
  /** LISTEN for outbox inserts on this database (omit to poll only) */
  databaseUrl?: string;
  /** 0: the reconciler does not run by itself (call reconciler.step/runOnce) */
  reconcileIntervalMs: number;
  relay?: Partial<RelayOptions>;
  /** how long a write waits for its Meilisearch task before the rows are retried later (default 10 s) */
  taskTimeoutMs?: number;
}

/**
 * The background side of search in one API process: the outbox relay, the drift reconciler, and the repair both call
 * on when the index is missing or mis-configured.
 */
export function createSearchIndexer(db: Db, conn: SearchConnection, logger: Pick<Logger, 'child'>, options: IndexerOptions) {
  const index = createPostsIndex(conn, undefined, { timeoutMs: options.taskTimeoutMs ?? 10_000, intervalMs: 25 });
  const repair = new IndexRepair({ db, conn, index, logger: logger.child({ component: 'search-repair' }) });
  const relay = new OutboxRelay({
    db,
    index,
    repair,
    healthy: () => conn.healthy(),
    logger: logger.child({ component: 'search-relay' }),
    options: { ...(options.databaseUrl ? { listenUrl: options.databaseUrl } : {}), ...options.relay },
  });
  const reconciler = createReconciler({ db, index, repair, logger: logger.child({ component: 'search-reconciler' }) });
  // The addresses index (reference data, no outbox): filled when its count differs from the table's, checked again
  // every few minutes so a Meilisearch that lost its data gets it back.
  const addresses = createAddressesIndex(conn);
  const addressRows = createAddressRepository(db);
  const addressLog = logger.child({ component: 'address-index' });
  let addressTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  async function syncAddresses(): Promise<void> {
    try {
      const result = await addresses.sync(
        () => addressRows.all(),
        () => addressRows.count(),
      );
      if (result === 'loaded') addressLog.info('addresses index loaded');
      if (!stopped) addressTimer = setTimeout(() => void syncAddresses(), 5 * 60_000).unref();
    } catch (err) {
      addressLog.warn({ err: (err as Error).message }, 'addresses index not synced yet; retrying');
      if (!stopped) addressTimer = setTimeout(() => void syncAddresses(), 10_000).unref();
    }
  }
  // issue 10: shops
  const merchantsIndex = createMerchantsIndex(conn, { timeoutMs: options.taskTimeoutMs ?? 10_000, intervalMs: 25 });
  const merchantsRelay = new OutboxRelay({
    db,
    index: merchantsIndex,
    repair: new MerchantsIndexRepair({ db, index: merchantsIndex, logger: logger.child({ component: 'merchants-index' }) }),
    source: merchantSource(db),
    healthy: () => conn.healthy(),
    logger: logger.child({ component: 'merchants-relay' }),
    options: { ...(options.databaseUrl ? { listenUrl: options.databaseUrl } : {}), ...options.relay },
  });
  return {
    index,
    repair,
    relay,
    reconciler,
    addresses,
    syncAddresses,
    merchantsRelay,
    /** Starts listening and relaying at once; a missing index is rebuilt in the background (searches answer 503 meanwhile). */
    async start(): Promise<void> {
      await relay.start();
      await merchantsRelay.start();
      if (options.reconcileIntervalMs > 0) reconciler.start(options.reconcileIntervalMs);
      void syncAddresses();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(addressTimer);
      repair.stop();
      await Promise.all([reconciler.stop(), relay.stop(), merchantsRelay.stop()]);
    },
  };
}

export type SearchIndexer = ReturnType<typeof createSearchIndexer>;
