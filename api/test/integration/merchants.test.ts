import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { cellDisk, cellParent, pointToCell } from '../../src/geo/h3.ts';
import { makeTestApp, offsetMeters, randomPlace, signUp } from '../helpers.ts';
import { approvedShop, makeAdmin, offerBody, setHome } from '../merchants.helpers.ts';

const t = makeTestApp();
afterAll(() => t.close());

describe('shops', () => {
  it('lists shops near a point by distance, by category and open now, with exact point and address', async () => {
    const admin = await makeAdmin(t);
    const here = randomPlace();
    const a = await approvedShop(t, admin, offsetMeters(here, 100, 0), { street: 'Teststraße', housenumber: '1', postcode: '10243' });
    await approvedShop(t, admin, offsetMeters(here, 600, 0), { category: 'cafe', openingHours: 'off' });
    await approvedShop(t, admin, offsetMeters(here, 3000, 0));
    const res = await request(t.app).get('/api/merchants').query({ lat: here.lat, lon: here.lon, radius: 1000 }).expect(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.items[0]).toMatchObject({
      id: a.shopId,
      category: 'bakery',
      address: 'Teststraße 1, 10243 Berlin',
      openNow: true,
      claimed: true,
    });
    expect(res.body.items[0].location.lat).toBeCloseTo(offsetMeters(here, 100, 0).lat, 6);
    expect(res.body.items[0].distanceMeters).toBeGreaterThan(80);
    const req = request(t.app);
    const bakeries = await req.get('/api/merchants').query({ lat: here.lat, lon: here.lon, radius: 1000, category: 'cafe' }).expect(200);
    expect(bakeries.body.items.map((m: { category: string }) => m.category)).toEqual(['cafe']);
    const open = await req.get('/api/merchants').query({ lat: here.lat, lon: here.lon, radius: 1000, openNow: 'true' }).expect(200);
    expect(open.body.items.map((m: { id: string }) => m.id)).toEqual([a.shopId]);
    const cell = await req
      .get('/api/merchants')
      .query({ cell: pointToCell(offsetMeters(here, 100, 0), 9) })
      .expect(200);
    expect(cell.body.items.map((m: { id: string }) => m.id)).toEqual([a.shopId]);
  });

  it('rejects invalid opening hours, offers ending before they start and caps ≤ 0 with 422 field errors', async () => {
    const admin = await makeAdmin(t);
    const { owner, shopId } = await approvedShop(t, admin, randomPlace());
    const bad = await owner.agent.patch(`/api/merchants/${shopId}`).send({ openingHours: 'Mo-Fr 25:00-99:00 banana' }).expect(422);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.body.errors[0].field).toBe('body.openingHours');
    const ok = await owner.agent.patch(`/api/merchants/${shopId}`).send({ openingHours: 'Mo-Fr 08:00-18:00; PH off' }).expect(200);
    expect(ok.body.openingHours).toBe('Mo-Fr 08:00-18:00; PH off');
    expect(ok.body.week).toHaveLength(7);
    const now = Date.now();
    const backwards = await owner.agent
      .post(`/api/merchants/${shopId}/offers`)
      .send(offerBody({ startsAt: new Date(now + 86_400_000).toISOString(), endsAt: new Date(now + 3_600_000).toISOString() }))
      .expect(422);
    expect(backwards.body.errors.map((e: { field: string }) => e.field)).toContain('body.endsAt');
    for (const cap of [0, -5]) {
      const res = await owner.agent
        .post(`/api/merchants/${shopId}/offers`)
        .send(offerBody({ totalCap: cap }))
        .expect(422);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('body.totalCap');
    }
    const create = await signUp(t.app);
    const badShop = await create.agent
      .post('/api/merchants')
      .send({ name: 'X', category: 'bakery', location: randomPlace(), openingHours: 'whenever' })
      .expect(422);
    expect(badShop.body.errors[0].field).toBe('body.openingHours');
  });
});

describe('offers: claim → code → redeem', () => {
  it('shows the offer on the board of residents inside the target area only, and runs the whole loop', async () => {
    const admin = await makeAdmin(t);
    const shopAt = randomPlace();
    const { owner, shopId } = await approvedShop(t, admin, shopAt);
    const staff = await signUp(t.app);
    await owner.agent.post(`/api/merchants/${shopId}/staff`).send({ handle: staff.handle }).expect(204);

    const created = await owner.agent
      .post(`/api/merchants/${shopId}/offers`)
      .send(offerBody({ totalCap: 5 }))
      .expect(201);
    const offer = created.body;
    expect(offer).toMatchObject({ remaining: 5, state: 'running', perPersonLimit: 1 });
    expect(offer.targetCells).toHaveLength(7);

    const near = await signUp(t.app);
    await setHome(near.agent, offsetMeters(shopAt, 200, 0));
    const far = await signUp(t.app);
    await setHome(far.agent, offsetMeters(shopAt, 5000, 0));

    // feed: the offer post is listed for the resident inside, not for the one outside or anonymous
    const feedNear = await near.agent.get('/api/feed').query({ lat: shopAt.lat, lon: shopAt.lon, radius: 1000 }).expect(200);
    const offerPost = feedNear.body.items.find((p: { kind: string }) => p.kind === 'offer');
    expect(offerPost).toMatchObject({ title: offer.title, audience: 'area', offerId: offer.id });
    const feedFar = await far.agent.get('/api/feed').query({ lat: shopAt.lat, lon: shopAt.lon, radius: 1000 }).expect(200);
    expect(feedFar.body.items.some((p: { kind: string }) => p.kind === 'offer')).toBe(false);
    const board = await near.agent.get(`/api/cells/${cellParent(pointToCell(shopAt, 9), 8)}/posts`).expect(200);
    expect(board.body.items.some((p: { kind: string }) => p.kind === 'offer')).toBe(true);
    await far.agent.get(`/api/posts/${offer.postId}`).expect(404);

    // out of area → 403; inside → 201 with a code (≥ 80 bits) and an SVG QR code
    const out = await far.agent.post(`/api/offers/${offer.id}/claims`).expect(403);
    expect(out.body.detail).toMatch(/near the shop/);
    const claim = (await near.agent.post(`/api/offers/${offer.id}/claims`).expect(201)).body;
    expect(claim.code.replace(/-/g, '')).toMatch(/^[0-9A-HJKMNP-TV-Z]{20}$/);
    expect(claim.qrSvg).toMatch(/^<svg/);
    expect(claim.status).toBe('active');
    const dup = await near.agent.post(`/api/offers/${offer.id}/claims`).expect(409);
    expect(dup.body.detail).toMatch(/already claimed/);
    expect((await near.agent.get(`/api/offers/${offer.id}`).expect(200)).body).toMatchObject({ remaining: 4, inArea: true, myClaimId: claim.id });

    // residents can't read each other's claims
    await far.agent.get(`/api/me/claims/${claim.id}`).expect(404);
    await far.agent.delete(`/api/me/claims/${claim.id}`).expect(404);
    expect((await far.agent.get('/api/me/claims').expect(200)).body.items).toEqual([]);

    // another shop's staff can't redeem it; this shop's staff can, once; the answer names the offer, not the person
    const other = await approvedShop(t, admin, randomPlace());
    await other.owner.agent.post(`/api/merchants/${other.shopId}/redemptions`).send({ code: claim.code }).expect(404);
    await other.owner.agent.post(`/api/merchants/${shopId}/redemptions`).send({ code: claim.code }).expect(403);
    await other.owner.agent.get(`/api/merchants/${shopId}/stats`).expect(403);
    await other.owner.agent.patch(`/api/merchants/${shopId}`).send({ openingHours: '24/7' }).expect(403);
    await near.agent.post(`/api/merchants/${shopId}/redemptions`).send({ code: claim.code }).expect(403);
    const redeemed = await staff.agent.post(`/api/merchants/${shopId}/redemptions`).send({ code: claim.code.toLowerCase() }).expect(201);
    expect(redeemed.body).toMatchObject({ code: claim.code, offer: { id: offer.id, title: offer.title } });
    expect(JSON.stringify(redeemed.body)).not.toContain(near.handle);
    const again = await staff.agent.post(`/api/merchants/${shopId}/redemptions`).send({ code: claim.code }).expect(409);
    expect(again.body.detail).toContain(redeemed.body.redeemedAt);

    const wallet = (await near.agent.get('/api/me/claims').expect(200)).body.items;
    expect(wallet).toHaveLength(1);
    expect(wallet[0]).toMatchObject({ id: claim.id, status: 'redeemed' });
    await near.agent.delete(`/api/me/claims/${claim.id}`).expect(409);

    const shop = (await near.agent.get(`/api/merchants/${shopId}`).expect(200)).body;
    expect(shop.integrity).toMatchObject({ offers: 1, claims: 1, claimsHonoured: 1 });
    const stats = (await staff.agent.get(`/api/merchants/${shopId}/stats`).expect(200)).body;
    expect(stats.totals).toMatchObject({ claims: 1, redemptions: 1, activeOffers: 1 });
    // one person: their cell is merged into "elsewhere"
    expect(stats.byArea).toEqual([{ cell: null, people: 1, claims: 1 }]);
  });

  it('cancelling an unredeemed claim returns its place; exhausted → 409, ended → 410', async () => {
    const admin = await makeAdmin(t);
    const shopAt = randomPlace();
    const { owner, shopId } = await approvedShop(t, admin, shopAt);
    const offer = (
      await owner.agent
        .post(`/api/merchants/${shopId}/offers`)
        .send(offerBody({ totalCap: 1, target: { ring: 0 } }))
        .expect(201)
    ).body;
    const a = await signUp(t.app);
    const b = await signUp(t.app);
    await setHome(a.agent, shopAt);
    await setHome(b.agent, shopAt);
    const claim = (await a.agent.post(`/api/offers/${offer.id}/claims`).expect(201)).body;
    const exhausted = await b.agent.post(`/api/offers/${offer.id}/claims`).expect(409);
    expect(exhausted.body.detail).toMatch(/All of this offer/);
    await a.agent.delete(`/api/me/claims/${claim.id}`).expect(204);
    expect((await b.agent.get(`/api/offers/${offer.id}`).expect(200)).body.remaining).toBe(1);
    await b.agent.post(`/api/offers/${offer.id}/claims`).expect(201);

    const ending = (
      await owner.agent
        .post(`/api/merchants/${shopId}/offers`)
        .send(offerBody({ target: { ring: 0 } }))
        .expect(201)
    ).body;
    await t
      .db('offers')
      .where({ id: ending.id })
      .update({ starts_at: new Date(Date.now() - 7200_000), ends_at: new Date(Date.now() - 3600_000) });
    const gone = await a.agent.post(`/api/offers/${ending.id}/claims`).expect(410);
    expect(gone.body.detail).toMatch(/ended/);
  });

  it('an unapproved owner cannot post offers; chosen target cells work', async () => {
    const admin = await makeAdmin(t);
    const here = randomPlace();
    const pending = await signUp(t.app);
    const shop = (await pending.agent.post('/api/merchants').send({ name: 'Pending Café', category: 'cafe', location: here }).expect(201)).body;
    expect(shop).toMatchObject({ claimed: false, myRole: null, myPendingClaim: true });
    await pending.agent.post(`/api/merchants/${shop.id}/offers`).send(offerBody()).expect(403);

    const { owner, shopId } = await approvedShop(t, admin, here);
    const far = offsetMeters(here, 4000, 0);
    const cells = cellDisk(cellParent(pointToCell(far, 9), 8), 0);
    const offer = (
      await owner.agent
        .post(`/api/merchants/${shopId}/offers`)
        .send(offerBody({ target: { cells } }))
        .expect(201)
    ).body;
    expect(offer.targetCells).toEqual(cells);
    const there = await signUp(t.app);
    await setHome(there.agent, far);
    await there.agent.post(`/api/offers/${offer.id}/claims`).expect(201);
    const bad = await owner.agent
      .post(`/api/merchants/${shopId}/offers`)
      .send(offerBody({ target: { cells: [pointToCell(here, 9)] } }))
      .expect(422);
    expect(bad.body.errors[0].field).toBe('body.target.cells');
  });
});
