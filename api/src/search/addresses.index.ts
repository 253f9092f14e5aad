import type { Settings, Task } from 'meilisearch';
import type { AddressRow } from '../repositories/address.repository.ts';
import type { SearchConnection } from './meili.client.ts';
import { SearchTaskFailedError } from './posts.index.ts';

// The `addresses` index: the street gazetteer, one document per street × postcode × Ortsteil. Reference data that only
// changes when the seed reloads it, so it is written whole (no outbox): syncAddressesIndex fills it when its document
// count differs from the table's, and the indexer repeats that check now and then (a Meilisearch that lost its data).

export const ADDRESSES_INDEX = 'addresses';

export interface AddressDocument {
  id: number;
  street: string;
  /** spelling variants people type: "ss" for "ß", "str" for "straße" */
  street_alt: string;
  postcode: string;
  ortsteil: string;
  bezirk: string;
  lat: number | null;
  lon: number | null;
  n_addresses: number;
  house_numbers: string[];
}

export function addressesIndexSettings(): Settings {
  return {
    searchableAttributes: ['street', 'street_alt', 'postcode', 'ortsteil', 'bezirk'],
    filterableAttributes: ['postcode', 'ortsteil'],
    // relevance first, then the street with more addresses (the one people more likely mean)
    rankingRules: ['words', 'typo', 'proximity', 'attribute', 'exactness', 'n_addresses:desc'],
    typoTolerance: {
      enabled: true,
      // "alee" for "allee": one typo from four letters on
      minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 },
      // postcodes match as written
      disableOnNumbers: true,
    },
    synonyms: { str: ['straße'], 'str.': ['straße'], strasse: ['straße'], pl: ['platz'] },
    pagination: { maxTotalHits: 200 },
  };
}

export function addressDocument(row: AddressRow): AddressDocument {
  const alt = row.street
    .replace(/ß/g, 'ss')
    .replace(/(s)trasse\b/gi, '$1tr')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue');
  return {
    id: row.id,
    street: row.street,
    street_alt: alt,
    postcode: row.postcode,
    ortsteil: row.ortsteil,
    bezirk: row.bezirk,
    lat: row.lat,
    lon: row.lon,
    n_addresses: row.n_addresses,
    house_numbers: row.house_numbers,
  };
}

async function done(pending: { waitTask(o: { timeout: number; interval: number }): Promise<Task> }, timeout = 120_000): Promise<void> {
  const task = await pending.waitTask({ timeout, interval: 100 });
  if (task.status !== 'succeeded') throw new SearchTaskFailedError(task);
}

export function createAddressesIndex(conn: SearchConnection) {
  const uid = `${conn.indexPrefix}${ADDRESSES_INDEX}`;
  const index = () => conn.client.index<AddressDocument>(uid);
  return {
    uid,
    async search(q: string, limit: number) {
      return index().search(q, { limit, attributesToRetrieve: ['*'] });
    },

    /** Creates the index with its settings and loads every row when the counts differ. Needs the indexing key. */
    async sync(rows: () => Promise<AddressRow[]>, count: () => Promise<number>): Promise<'in-sync' | 'loaded'> {
      let documents = -1;
      try {
        documents = (await index().getStats()).numberOfDocuments;
      } catch {
        await done(conn.client.createIndex(uid, { primaryKey: 'id' }), 30_000);
      }
      const wanted = await count();
      if (documents === wanted) return 'in-sync';
      await done(index().updateSettings(addressesIndexSettings()));
      await done(index().deleteAllDocuments());
      const docs = (await rows()).map(addressDocument);
      for (let i = 0; i < docs.length; i += 5000) {
        await done(index().addDocuments(docs.slice(i, i + 5000), { primaryKey: 'id' }));
      }
      return 'loaded';
    },
  };
}

export type AddressesIndex = ReturnType<typeof createAddressesIndex>;
