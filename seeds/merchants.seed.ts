import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { cellCentroid, cellDisk, cellParent, cellToBigint, distanceMeters, pointToCell, type LatLon } from '../api/src/geo/h3.ts';
import { DEMO_USER } from './people.seed.ts';

// Issue 10: the OSM shop listings (seeds/data/pois, ODbL) as unclaimed merchants, plus the demo's approved bakery owner
// ("baecker"), a staff member ("baecker_staff", both with the demo password) and one running offer near the demo user.

const here = path.dirname(fileURLToPath(import.meta.url));

interface PoiFeature {
  properties: {
    id: string;
    name: string;
    category: string;
    cuisine?: string;
    brand?: string;
    opening_hours?: string;
    street?: string;
    housenumber?: string;
    postcode?: string;
    website?: string;
    osm_id?: string;
  };
  geometry: { coordinates: [number, number] };
}

export const DEMO_OWNER = { handle: 'baecker', displayName: 'Bäckerei (Inhaberin)' };
export const DEMO_STAFF = { handle: 'baecker_staff', displayName: 'Bäckerei (Team)' };

export function loadPois(): PoiFeature[] {
  const file = path.join(here, 'data/pois/berlin_pois.geojson');
  return (JSON.parse(readFileSync(file, 'utf8')) as { features: PoiFeature[] }).features.filter(
    (f) => f.properties.name && /^[a-z_]{2,32}$/.test(f.properties.category),
  );
}

const big = (cell: string) => cellToBigint(cell).toString();

/** Every OSM listing as an unclaimed shop (deterministic: no users, no posts). */
export async function seedMerchants(client: pg.ClientBase): Promise<number> {
  const pois = loadPois();
  const cols = {
    source: [] as string[],
    osm: [] as (string | null)[],
    name: [] as string[],
    category: [] as string[],
    cuisine: [] as (string | null)[],
    brand: [] as (string | null)[],
    street: [] as (string | null)[],
    housenumber: [] as (string | null)[],
    postcode: [] as (string | null)[],
    website: [] as (string | null)[],
    hours: [] as (string | null)[],
    lat: [] as number[],
    lon: [] as number[],
    h9: [] as string[],
    h8: [] as string[],
    h7: [] as string[],
  };
  for (const f of pois) {
    const p = f.properties;
    const [lon, lat] = f.geometry.coordinates;
    const c9 = pointToCell({ lat, lon }, 9);
    cols.source.push(p.id);
    cols.osm.push(p.osm_id ?? null);
    cols.name.push(p.name.slice(0, 120));
    cols.category.push(p.category);
    cols.cuisine.push(p.cuisine ?? null);
    cols.brand.push(p.brand ?? null);
    cols.street.push(p.street ?? null);
    cols.housenumber.push(p.housenumber ?? null);
    cols.postcode.push(p.postcode ?? null);
    cols.website.push(p.website ?? null);
    cols.hours.push(p.opening_hours ? p.opening_hours.slice(0, 500) : null);
    cols.lat.push(lat);
    cols.lon.push(lon);
    cols.h9.push(big(c9));
    cols.h8.push(big(cellParent(c9, 8)));
    cols.h7.push(big(cellParent(c9, 7)));
  }
  const res = await client.query(
    `INSERT INTO merchants (source_id, osm_id, name, category, cuisine, brand, street, housenumber, postcode, website,
                            opening_hours, lat, lon, geog, h3_9, h3_8, h3_7)
     SELECT s, o, n, c, cu, b, st, hn, pc, w, oh, la, lo, ST_SetSRID(ST_MakePoint(lo, la), 4326)::geography, h9, h8, h7
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::text[], $11::text[], $12::float8[], $13::float8[], $14::bigint[], $15::bigint[], $16::bigint[])
            AS t(s, o, n, c, cu, b, st, hn, pc, w, oh, la, lo, h9, h8, h7)
     ON CONFLICT (source_id) DO NOTHING`,
    [
      cols.source,
      cols.osm,
      cols.name,
      cols.category,
      cols.cuisine,
      cols.brand,
      cols.street,
      cols.housenumber,
      cols.postcode,
      cols.website,
      cols.hours,
      cols.lat,
      cols.lon,
      cols.h9,
      cols.h8,
      cols.h7,
    ],
  );

  await client.query('ANALYZE merchants');
  return res.rowCount ?? 0;
}

/**
 * The demo's shop team: the bakery nearest the demo resident's home gets an approved owner (`baecker`) and a staff
 * member (`baecker_staff`), both with the demo password, and one offer running for 30 days. `npm start` only (the
 * offer's times follow the clock, so it is not part of the deterministic city).
 */
export async function seedShopDemo(client: pg.ClientBase, passwordHash: string): Promise<string | null> {
  const pois = loadPois();
  const bakeries = pois.filter((f) => f.properties.category === 'bakery' && f.properties.opening_hours);
  const home: LatLon = DEMO_USER.home;
  const nearest = bakeries
    .map((f) => ({ f, d: distanceMeters(home, { lat: f.geometry.coordinates[1], lon: f.geometry.coordinates[0] }) }))
    .sort((a, b) => a.d - b.d)[0];
  if (!nearest) return null;
  const { rows: shop } = await client.query<{ id: string; lat: number; lon: number; name: string }>(
    `UPDATE merchants SET status = 'claimed' WHERE source_id = $1 RETURNING id, lat, lon, name`,
    [nearest.f.properties.id],
  );
  const merchant = shop[0]!;
  const shopCell = pointToCell({ lat: merchant.lat, lon: merchant.lon }, 9);
  const people: { id: string; handle: string }[] = [];
  for (const [who, role] of [
    [DEMO_OWNER, 'owner'],
    [DEMO_STAFF, 'staff'],
  ] as const) {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO users (handle, display_name, email, password_hash, home_h3_9, email_verified_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT ((lower(handle))) DO UPDATE SET display_name = EXCLUDED.display_name RETURNING id`,
      [who.handle, who.displayName, `${who.handle}@shops.demo.hexhood.invalid`, passwordHash, big(shopCell)],
    );
    const id = rows[0]!.id;
    people.push({ id, handle: who.handle });
    await client.query(`INSERT INTO merchant_roles (merchant_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [merchant.id, id, role]);
  }
  await client.query(
    `INSERT INTO merchant_ownership_requests (merchant_id, user_id, note, status, decided_at) VALUES ($1, $2, 'demo', 'approved', now())`,
    [merchant.id, people[0]!.id],
  );

  // one running offer: the shop's res-8 cell and two rings around it (~1.5 km)
  const targets = cellDisk(cellParent(shopCell, 8), 2).map(big);
  const { rows: post } = await client.query<{ id: string }>(
    `INSERT INTO posts (author_id, kind, title, body, tags, lat, lon, precision, display_cell, h3_9, h3_8, h3_7, h3_5, geom,
                        audience, target_cells8)
     VALUES ($1, 'offer', $2, $3, '{offer}', $4, $5, 9, $6, $6, $7, $8, $9, ST_SetSRID(ST_MakePoint($11, $12), 4326), 'area', $10)
     RETURNING id`,
    [
      people[0]!.id,
      `${merchant.name}: second Franzbrötchen free`,
      'Buy one Franzbrötchen, get the second free. One per person, show the code at the counter.',
      merchant.lat,
      merchant.lon,
      big(shopCell),
      big(cellParent(shopCell, 8)),
      big(cellParent(shopCell, 7)),
      big(cellParent(shopCell, 5)),
      targets,
      cellCentroid(shopCell).lon,
      cellCentroid(shopCell).lat,
    ],
  );
  await client.query(
    `INSERT INTO offers (merchant_id, post_id, created_by, title, terms, starts_at, ends_at, total_cap, remaining, target_cells8)
     VALUES ($1, $2, $3, $4, $5, now() - interval '1 hour', now() + interval '30 days', 200, 200, $6)`,
    [
      merchant.id,
      post[0]!.id,
      people[0]!.id,
      'Second Franzbrötchen free',
      'Buy one Franzbrötchen, get the second free. One per person, show the code at the counter.',
      targets,
    ],
  );
  await client.query(`INSERT INTO outbox (entity, entity_id, op) VALUES ('post', $1, 'upsert')`, [post[0]!.id]);
  return merchant.id;
}
