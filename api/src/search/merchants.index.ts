import { MeilisearchApiError, type Settings } from 'meilisearch';
import type { Logger } from 'pino';
import type { Db } from '../db/knex.ts';
import { createDocumentWriter, type DocumentWriter } from './document-writer.ts';
import type { SearchConnection } from './meili.client.ts';
import type { RelaySource } from './outbox.relay.ts';
import { SearchIndexNotReadyError, SearchTaskFailedError } from './posts.index.ts';

/**
 * The shops index (issue 10): a second index fed by the same outbox (rows of entity 'merchant') through a second
 * OutboxRelay. Typo-tolerant; every listing also carries its category's words in German and English, and synonyms
 * cover the ae/oe/ue/ss spellings, so "Bäckerei", "Baeckerei" and "bakery" find the same shops.
 */

export const MERCHANTS_INDEX = 'merchants';
export const MERCHANT_ENTITY = 'merchant';

/** German and English words for each category, indexed with every listing of it. */
export const CATEGORY_TERMS: Record<string, string> = {
  bakery: 'Bäckerei Backwaren Brötchen bakery',
  cafe: 'Café Kaffee coffee cafe',
  restaurant: 'Restaurant Essen food',
  supermarket: 'Supermarkt Lebensmittel supermarket grocery',
  bar: 'Bar Kneipe',
  pub: 'Kneipe Pub',
  biergarten: 'Biergarten beer garden',
  nightclub: 'Club Nachtclub nightclub',
  pharmacy: 'Apotheke pharmacy chemist',
  fitness_centre: 'Fitnessstudio Fitness gym',
  bank: 'Bank Geldautomat',
  marketplace: 'Markt Wochenmarkt market',
};

export interface MerchantDocument {
  id: number;
  name: string;
  category: string;
  category_terms: string;
  cuisine: string | null;
  brand: string | null;
  street: string | null;
  _geo: { lat: number; lng: number };
}

export function merchantsIndexSettings(): Settings {
  return {
    searchableAttributes: ['name', 'category_terms', 'brand', 'cuisine', 'street'],
    filterableAttributes: ['category', '_geo'],
    sortableAttributes: ['_geo'],
    rankingRules: ['words', 'typo', 'proximity', 'attribute', 'sort', 'exactness'],
    typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 } },
    synonyms: {
      baeckerei: ['bäckerei'],
      backerei: ['bäckerei'],
      bakery: ['bäckerei'],
      baker: ['bäckerei'],
      kaffee: ['café'],
      coffee: ['café'],
      apotheke: ['pharmacy'],
      supermarkt: ['supermarket'],
      strasse: ['straße'],
      gym: ['fitnessstudio'],
    },
  };
}

const apiCode = (error: unknown) => (error instanceof MeilisearchApiError ? error.cause?.code : undefined);

export function createMerchantsIndex(
  conn: SearchConnection,
  wait = { timeoutMs: 10_000, intervalMs: 25 },
  writer: DocumentWriter = createDocumentWriter(conn),
) {
  const uid = `${conn.indexPrefix}${MERCHANTS_INDEX}`;

  async function waitFor(tasks: { taskUid: number }[]): Promise<void> {
    if (!tasks.length) return;
    const done = await conn.client.tasks.waitForTasks(
      tasks.map((t) => t.taskUid),
      { timeout: wait.timeoutMs, interval: wait.intervalMs },
    );
    const failed = done.find((t) => t.status !== 'succeeded');
    if (failed?.error?.code === 'index_not_found') throw new SearchIndexNotReadyError('missing');
    if (failed) throw new SearchTaskFailedError(failed);
  }

  return {
    uid,
    waitFor,

    async enqueue(upserts: { id: number }[], deletes: number[]): Promise<{ taskUid: number }[]> {
      if (!upserts.length && !deletes.length) return [];
      const { client } = await writer.client();
      const target = client.index(uid);
      const tasks: { taskUid: number }[] = [];
      try {
        if (upserts.length) tasks.push(await target.addDocuments(upserts, { primaryKey: 'id' }));
        if (deletes.length) tasks.push(await target.deleteDocuments(deletes));
      } catch (error) {
        if (apiCode(error) !== 'invalid_api_key') throw error;
        writer.forget();
        throw new SearchIndexNotReadyError('key-lost');
      }
      return tasks;
    },

    /** Creates the index when missing and applies the settings; true when it had to be created (it is empty). */
    async ensure(): Promise<boolean> {
      let created = false;
      try {
        await conn.client.getIndex(uid);
      } catch (error) {
        if (apiCode(error) !== 'index_not_found') throw error;
        const task = await conn.client.createIndex(uid, { primaryKey: 'id' }).waitTask({ timeout: wait.timeoutMs, interval: wait.intervalMs });
        if (task.status !== 'succeeded' && task.error?.code !== 'index_already_exists') throw new SearchTaskFailedError(task);
        created = task.status === 'succeeded';
      }
      const task = await conn.client.index(uid).updateSettings(merchantsIndexSettings()).waitTask({ timeout: 120_000, interval: 100 });
      if (task.status !== 'succeeded') throw new SearchTaskFailedError(task);
      return created;
    },

    /** Shop ids, best match first. */
    async search(q: string, filter: { category?: string; near?: { lat: number; lon: number; radius: number } }, limit: number): Promise<string[]> {
      const parts: string[] = [];
      if (filter.category) parts.push(`category = "${filter.category.replace(/[^a-z_]/g, '')}"`);
      if (filter.near) parts.push(`_geoRadius(${filter.near.lat}, ${filter.near.lon}, ${filter.near.radius})`);
      const res = await conn.client.index<MerchantDocument>(uid).search(q, {
        filter: parts.length ? parts.join(' AND ') : undefined,
        limit,
        attributesToRetrieve: ['id'],
      });
      return res.hits.map((h) => String(h.id));
    },
  };
}

export type MerchantsIndex = ReturnType<typeof createMerchantsIndex>;

/** Current shop documents for the relay: every listed shop is indexable. */
export function merchantSource(db: Db): RelaySource {
  return {
    entity: MERCHANT_ENTITY,
    async documents(ids) {
      const res = await db.raw<{
        rows: {
          id: string;
          name: string;
          category: string;
          cuisine: string | null;
          brand: string | null;
          street: string | null;
          lat: number;
          lon: number;
        }[];
      }>(`SELECT id, name, category, cuisine, brand, street, lat, lon FROM merchants WHERE id = ANY(?::bigint[])`, [ids]);
      return res.rows.map((m): MerchantDocument => ({
        id: Number(m.id),
        name: m.name,
        category: m.category,
        category_terms: CATEGORY_TERMS[m.category] ?? '',
        cuisine: m.cuisine,
        brand: m.brand,
        street: m.street,
        _geo: { lat: m.lat, lng: m.lon },
      }));
    },
  };
}

/**
 * Makes sure the shops index exists with its settings before the relay sends; a missing index (first start, or a
 * Meilisearch that lost its data) is refilled through the outbox: one 'merchant' row per shop.
 */
export class MerchantsIndexRepair {
  #ready = false;
  #inFlight: Promise<boolean> | undefined;
  constructor(private readonly deps: { db: Db; index: MerchantsIndex; logger: Pick<Logger, 'info' | 'warn'> }) {}

  invalidate(): void {
    this.#ready = false;
  }

  ensureReady(): Promise<boolean> {
    if (this.#ready) return Promise.resolve(true);
    this.#inFlight ??= (async () => {
      const created = await this.deps.index.ensure();
      if (created) {
        const res = await this.deps.db.raw(`INSERT INTO outbox (entity, entity_id, op) SELECT ?, id, 'upsert' FROM merchants ORDER BY id`, [
          MERCHANT_ENTITY,
        ]);
        this.deps.logger.info({ index: this.deps.index.uid, queued: res.rowCount }, 'shops index created; refilling it through the outbox');
      }
      return (this.#ready = true);
    })().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }
}
