import type { z } from 'zod';
import type { Address, AddressList } from '../contract/map.schema.ts';
import { ServiceUnavailableError } from '../http/errors.ts';
import type { AddressDocument, AddressesIndex } from '../search/addresses.index.ts';
import { isSearchUnavailable } from '../search/posts.index.ts';

type AddressOut = z.infer<typeof Address>;

const HOUSE_NUMBER = /^\d{1,4}[a-z]?$/i;

/**
 * Splits a typed address into the words searched (street, postcode, Ortsteil) and a house number: "karl marx alee 12"
 * → "karl marx alee" + "12". Five digits are a postcode and stay in the query.
 */
export function parseAddressQuery(q: string): { words: string; houseNumber: string | null } {
  const tokens = q
    .replace(/(\d)\s+([a-z])\b/gi, '$1$2') // "12 a" → "12a"
    .split(/[\s,]+/)
    .filter(Boolean);
  let houseNumber: string | null = null;
  const words: string[] = [];
  for (const token of tokens) {
    if (houseNumber === null && HOUSE_NUMBER.test(token) && words.length > 0) houseNumber = token.toUpperCase();
    else words.push(token);
  }
  return { words: words.join(' '), houseNumber };
}

export function createAddressService({ index, retryAfterSeconds = 5 }: { index: AddressesIndex; retryAfterSeconds?: number }) {
  function present(doc: AddressDocument, houseNumber: string | null): AddressOut {
    const known = houseNumber === null ? null : doc.house_numbers.includes(houseNumber);
    return {
      id: String(doc.id),
      street: doc.street,
      postcode: doc.postcode,
      ortsteil: doc.ortsteil,
      bezirk: doc.bezirk,
      point: doc.lat === null || doc.lon === null ? null : { lat: doc.lat, lon: doc.lon },
      houseNumber,
      houseNumberKnown: known,
      addressCount: doc.n_addresses,
      label: `${doc.street}${houseNumber && known ? ` ${houseNumber}` : ''}, ${doc.postcode} Berlin-${doc.ortsteil}`,
    };
  }

  return {
    async search(q: string, limit: number): Promise<z.infer<typeof AddressList>> {
      const { words, houseNumber } = parseAddressQuery(q);
      if (!words) return { items: [] };
      let hits: AddressDocument[];
      try {
        // a few more than asked: with a house number the rows that have it move to the front
        hits = (await index.search(words, houseNumber ? Math.min(limit * 3, 60) : limit)).hits;
      } catch (err) {
        if (isSearchUnavailable(err)) throw new ServiceUnavailableError('Address search is unavailable; try again shortly.', retryAfterSeconds);
        throw err;
      }
      const items = hits.map((doc) => present(doc, houseNumber));
      if (houseNumber) {
        // stable: relevance order within each group
        const withNumber = items.filter((a) => a.houseNumberKnown);
        const without = items.filter((a) => !a.houseNumberKnown);
        return { items: [...withNumber, ...without].slice(0, limit) };
      }
      return { items };
    },
  };
}

export type AddressService = ReturnType<typeof createAddressService>;
