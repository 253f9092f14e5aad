import type { Db } from '../db/knex.ts';

export interface AddressRow {
  id: number;
  street: string;
  postcode: string;
  ortsteil: string;
  bezirk: string;
  lat: number | null;
  lon: number | null;
  point_source: string;
  n_addresses: number;
  house_numbers: string[];
}

// The street gazetteer (street × postcode × Ortsteil), loaded by seeds/basemap.seed.ts; searched through Meilisearch.
export function createAddressRepository(db: Db) {
  return {
    async count(): Promise<number> {
      const res = await db.raw<{ rows: { n: number }[] }>('SELECT count(*)::int AS n FROM addresses');
      return res.rows[0]?.n ?? 0;
    },

    async all(): Promise<AddressRow[]> {
      const res = await db.raw<{ rows: AddressRow[] }>(
        `SELECT id, street, postcode, ortsteil, bezirk, ST_Y(geom) AS lat, ST_X(geom) AS lon, point_source, n_addresses, house_numbers
         FROM addresses ORDER BY id`,
      );
      return res.rows;
    },
  };
}

export type AddressRepository = ReturnType<typeof createAddressRepository>;
