import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Db } from '../src/db/knex.ts';
import { cellToBigint, polygonCells, type PolygonGeometry } from '../src/geo/h3.ts';
import { postBody, signUp, type TestApp } from './helpers.ts';

// A small city of its own for each moderation test file, somewhere random on Earth so files share a database safely:
//
//   city ─┬─ mitte  ─┬─ mitteA   (west quarter)
//         │          └─ mitteB
//         └─ pankow ─── pankowA  (east half)
//
// Each box is ~0.03° wide; a point in mitteA's middle is ≥ 2.5 km from pankow, so its res-8 display cell touches
// mitte's regions only. region_cells gets the same res-8 'overlapping' cover the seed computes.

export interface TestRegion {
  id: string;
  slug: string;
  geometry: PolygonGeometry;
  cells: string[];
}

const box = (w: number, s: number, e: number, n: number): PolygonGeometry => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

async function insertRegion(db: Db, parentId: string | null, kind: string, name: string, geometry: PolygonGeometry): Promise<TestRegion> {
  const slug = `${name.toLowerCase()}-${randomBytes(4).toString('hex')}`;
  const res = await db.raw<{ rows: { id: string }[] }>(
    `INSERT INTO regions (parent_id, slug, name, kind, geom) VALUES (?, ?, ?, ?, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))) RETURNING id`,
    [parentId, slug, name, kind, JSON.stringify(geometry)],
  );
  const id = res.rows[0]!.id;
  const cells = polygonCells(geometry, 8, 'overlapping').map((c) => cellToBigint(c).toString());
  await db('region_cells').insert(cells.map((h3_8) => ({ region_id: id, h3_8 })));
  return { id, slug, geometry, cells };
}

export async function createTestCity(db: Db) {
  const x0 = -160 + Math.random() * 300;
  const y0 = -45 + Math.random() * 95;
  const city = await insertRegion(db, null, 'city', 'Testcity', box(x0, y0, x0 + 0.12, y0 + 0.05));
  const mitte = await insertRegion(db, city.id, 'district', 'Mitte', box(x0, y0, x0 + 0.06, y0 + 0.05));
  const pankow = await insertRegion(db, city.id, 'district', 'Pankow', box(x0 + 0.06, y0, x0 + 0.12, y0 + 0.05));
  const mitteA = await insertRegion(db, mitte.id, 'neighborhood', 'MitteA', box(x0, y0, x0 + 0.03, y0 + 0.05));
  const mitteB = await insertRegion(db, mitte.id, 'neighborhood', 'MitteB', box(x0 + 0.03, y0, x0 + 0.06, y0 + 0.05));
  const pankowA = await insertRegion(db, pankow.id, 'neighborhood', 'PankowA', box(x0 + 0.06, y0, x0 + 0.12, y0 + 0.05));
  return {
    city,
    mitte,
    pankow,
    mitteA,
    mitteB,
    pankowA,
    points: {
      mitteA: { lat: y0 + 0.025, lon: x0 + 0.015 },
      pankowA: { lat: y0 + 0.025, lon: x0 + 0.1 },
      border: { lat: y0 + 0.025, lon: x0 + 0.06 },
    },
    bounds: { x0, y0, x1: x0 + 0.12, y1: y0 + 0.05 },
  };
}

export type TestCity = Awaited<ReturnType<typeof createTestCity>>;

export type Agent = ReturnType<typeof request.agent>;

/** An administrator (the flag is set in the database: no API grants it). */
export async function signUpAdmin(t: TestApp) {
  const admin = await signUp(t.app);
  await t.db('users').where({ id: admin.user.id }).update({ is_admin: true });
  return admin;
}

export async function appoint(admin: Agent, region: TestRegion, handle: string, role: 'moderator' | 'lead' = 'moderator') {
  await admin.put('/api/moderation/roles').send({ region: region.slug, handle, role }).expect(200);
}

export async function signUpLivingAt(t: TestApp, home: { lat: number; lon: number }) {
  const user = await signUp(t.app);
  await user.agent.put('/api/me/home').send(home).expect(200);
  return user;
}

export async function writePost(author: Agent, at: { lat: number; lon: number }, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await author.post('/api/posts').send(postBody(at, extra)).expect(201);
  return res.body.id as string;
}

export const REASON = { reasonCategory: 'harassment', reasonText: 'Insults a neighbour by name.' } as const;

/** The cast of the confinement matrix, around one city. */
export async function createCast(t: TestApp, city: TestCity) {
  const admin = await signUpAdmin(t);
  const resident = await signUpLivingAt(t, city.points.mitteA);
  const modThis = await signUp(t.app);
  const modSibling = await signUp(t.app);
  const modParent = await signUp(t.app);
  const lead = await signUp(t.app);
  // acts in the matrix's set-ups, so that every matrix member may decide appeals against its actions
  const actor = await signUp(t.app);
  await appoint(admin.agent, city.mitte, modThis.handle);
  await appoint(admin.agent, city.pankow, modSibling.handle);
  await appoint(admin.agent, city.city, modParent.handle);
  await appoint(admin.agent, city.mitte, lead.handle, 'lead');
  await appoint(admin.agent, city.mitte, actor.handle);
  return { admin, resident, modThis, modSibling, modParent, lead, actor };
}
