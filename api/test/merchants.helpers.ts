import { randomBytes } from 'node:crypto';
import type request from 'supertest';
import type { Db } from '../src/db/knex.ts';
import { pointToCell, cellToBigint, type LatLon } from '../src/geo/h3.ts';
import type { Viewer } from '../src/http/route.ts';
import { signUp } from './helpers.ts';
import type { TestApp } from './helpers.ts';

// Shops for the merchant/offer tests: created through the API (POST /api/merchants, an admin approves), or users made
// straight in the database for the storms (a thousand sign-ups would spend the run hashing passwords).

export async function makeAdmin(t: TestApp) {
  const admin = await signUp(t.app);
  await t.db('users').where({ id: admin.user.id }).update({ is_admin: true });
  return admin;
}

export async function setHome(agent: ReturnType<typeof request.agent>, at: LatLon) {
  await agent.put('/api/me/home').send(at).expect(200);
}

/** A shop at `at`, created by a fresh member and approved by `admin`; returns the owner's agent and the shop id. */
export async function approvedShop(t: TestApp, admin: Awaited<ReturnType<typeof makeAdmin>>, at: LatLon, extra: Record<string, unknown> = {}) {
  const owner = await signUp(t.app);
  const created = await owner.agent
    .post('/api/merchants')
    .send({ name: `Bäckerei ${randomBytes(3).toString('hex')}`, category: 'bakery', location: at, openingHours: 'Mo-Su 00:00-24:00', ...extra })
    .expect(201);
  const shopId = created.body.id as string;
  const pending = await admin.agent.get('/api/admin/ownership-requests').expect(200);
  const req = (pending.body.items as { id: string; merchantId: string }[]).find((r) => r.merchantId === shopId)!;
  await admin.agent.post(`/api/admin/ownership-requests/${req.id}/decision`).send({ approve: true }).expect(204);
  return { owner, shopId };
}

export function offerBody(extra: Record<string, unknown> = {}) {
  return {
    title: 'Second coffee free',
    terms: 'Show the code at the counter.',
    endsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    totalCap: 100,
    target: { ring: 1 },
    ...extra,
  };
}

/** Members made directly in the database (no password), with a home; the viewer object the session would give. */
export async function insertResidents(db: Db, homes: LatLon[]): Promise<Viewer[]> {
  const tag = randomBytes(4).toString('hex');
  const rows = homes.map((h, i) => ({
    handle: `r${tag}${i}`,
    display_name: 'Resident',
    email: `r${tag}${i}@example.test`,
    password_hash: 'x',
    home_h3_9: cellToBigint(pointToCell(h, 9)).toString(),
  }));
  const inserted: { id: string; handle: string }[] = [];
  for (let i = 0; i < rows.length; i += 500)
    inserted.push(
      ...(await db('users')
        .insert(rows.slice(i, i + 500))
        .returning(['id', 'handle'])),
    );
  return inserted.map((u, i) => ({ id: String(u.id), handle: u.handle, homeCell: pointToCell(homes[i]!, 9), isAdmin: false }));
}
