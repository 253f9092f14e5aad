import { Router } from 'express';
import {
  AddStaffBody,
  Claim,
  ClaimIdParams,
  ClaimList,
  ClaimListingBody,
  CreateMerchantBody,
  CreateOfferBody,
  DecideBody,
  MerchantDetail,
  MerchantIdParams,
  MerchantList,
  MerchantQuery,
  MerchantStats,
  MyMerchantList,
  OfferIdParams,
  OfferSummary,
  OwnershipRequestList,
  RedeemBody,
  Redemption,
  UpdateMerchantBody,
} from '../contract/merchant.schema.ts';
import { defineRoute } from '../contract/registry.ts';
import { handle } from '../http/route.ts';
import type { MerchantService } from '../services/merchant.service.ts';
import type { OfferService } from '../services/offer.service.ts';

// Shops, offers, claims and redemptions (issue 10).

const list = defineRoute({
  method: 'get',
  path: '/api/merchants',
  tag: 'merchants',
  summary: 'Shops near a point, in a cell or region, by category, open now, or by text',
  query: MerchantQuery,
  response: MerchantList,
  errors: [503],
});
const mine = defineRoute({
  method: 'get',
  path: '/api/me/merchants',
  tag: 'merchants',
  summary: 'Shops where you are owner or staff',
  auth: 'required',
  response: MyMerchantList,
});
const one = defineRoute({
  method: 'get',
  path: '/api/merchants/:id',
  tag: 'merchants',
  summary: 'A shop: hours (Europe/Berlin), current offers, integrity record',
  params: MerchantIdParams,
  response: MerchantDetail,
  errors: [404],
});
const create = defineRoute({
  method: 'post',
  path: '/api/merchants',
  tag: 'merchants',
  summary: 'Create a shop; you become its owner once an administrator approves',
  auth: 'required',
  body: CreateMerchantBody,
  status: 201,
  response: MerchantDetail,
});
const update = defineRoute({
  method: 'patch',
  path: '/api/merchants/:id',
  tag: 'merchants',
  summary: 'Edit opening hours (OSM syntax) or website (owner)',
  auth: 'required',
  params: MerchantIdParams,
  body: UpdateMerchantBody,
  response: MerchantDetail,
  errors: [403, 404],
});
const claimListing = defineRoute({
  method: 'post',
  path: '/api/merchants/:id/ownership-requests',
  tag: 'merchants',
  summary: 'Claim an unclaimed listing (an administrator approves)',
  auth: 'required',
  params: MerchantIdParams,
  body: ClaimListingBody,
  status: 201,
  response: MerchantDetail,
  errors: [404, 409],
});
const pending = defineRoute({
  method: 'get',
  path: '/api/admin/ownership-requests',
  tag: 'merchants',
  summary: 'Pending shop claims (administrators)',
  auth: 'required',
  response: OwnershipRequestList,
  errors: [403],
});
const decide = defineRoute({
  method: 'post',
  path: '/api/admin/ownership-requests/:id/decision',
  tag: 'merchants',
  summary: 'Approve or reject a shop claim (administrators)',
  auth: 'required',
  params: MerchantIdParams,
  body: DecideBody,
  errors: [403, 404],
});
const addStaff = defineRoute({
  method: 'post',
  path: '/api/merchants/:id/staff',
  tag: 'merchants',
  summary: 'Add a member as staff (owner)',
  auth: 'required',
  params: MerchantIdParams,
  body: AddStaffBody,
  errors: [403, 404],
});
const createOffer = defineRoute({
  method: 'post',
  path: '/api/merchants/:id/offers',
  tag: 'offers',
  summary: 'Publish an offer to residents of a target area (owner or staff)',
  auth: 'required',
  params: MerchantIdParams,
  body: CreateOfferBody,
  status: 201,
  response: OfferSummary,
  errors: [403, 404],
});
const stats = defineRoute({
  method: 'get',
  path: '/api/merchants/:id/stats',
  tag: 'offers',
  summary: 'Claims and redemptions over time and by area (k-anonymous), for owner and staff',
  auth: 'required',
  params: MerchantIdParams,
  response: MerchantStats,
  errors: [403, 404],
});
const redeem = defineRoute({
  method: 'post',
  path: '/api/merchants/:id/redemptions',
  tag: 'offers',
  summary: 'Redeem a claim code at the counter (owner or staff of the issuing shop)',
  auth: 'required',
  params: MerchantIdParams,
  body: RedeemBody,
  status: 201,
  response: Redemption,
  errors: [403, 404, 409],
});
const offer = defineRoute({
  method: 'get',
  path: '/api/offers/:id',
  tag: 'offers',
  summary: 'One offer',
  params: OfferIdParams,
  response: OfferSummary,
  errors: [404],
});
const withdraw = defineRoute({
  method: 'delete',
  path: '/api/offers/:id',
  tag: 'offers',
  summary: 'Withdraw an offer early (owner or staff)',
  auth: 'required',
  params: OfferIdParams,
  errors: [403, 404, 409],
});
const claim = defineRoute({
  method: 'post',
  path: '/api/offers/:id/claims',
  tag: 'offers',
  summary: 'Claim an offer: a code and QR code for the counter',
  auth: 'required',
  params: OfferIdParams,
  status: 201,
  response: Claim,
  errors: [403, 404, 409, 410],
});
const wallet = defineRoute({
  method: 'get',
  path: '/api/me/claims',
  tag: 'offers',
  summary: 'My offers: your claims with their codes',
  auth: 'required',
  response: ClaimList,
});
const myClaim = defineRoute({
  method: 'get',
  path: '/api/me/claims/:id',
  tag: 'offers',
  summary: 'One of your claims',
  auth: 'required',
  params: ClaimIdParams,
  response: Claim,
  errors: [404],
});
const cancel = defineRoute({
  method: 'delete',
  path: '/api/me/claims/:id',
  tag: 'offers',
  summary: 'Cancel an unredeemed claim (its place returns to the offer)',
  auth: 'required',
  params: ClaimIdParams,
  errors: [404, 409],
});

export function merchantRoutes({ merchants, offers }: { merchants: MerchantService; offers: OfferService }): Router {
  const r = Router();
  r.get(
    list.path,
    handle(list, async ({ query }) => merchants.list(query)),
  );
  r.get(
    mine.path,
    handle(mine, async ({ viewer }) => merchants.mine(viewer)),
  );
  r.get(
    one.path,
    handle(one, async ({ params, viewer }) => merchants.detail(params.id, viewer)),
  );
  r.post(
    create.path,
    handle(create, async ({ body, viewer }) => merchants.create(viewer, body)),
  );
  r.patch(
    update.path,
    handle(update, async ({ params, body, viewer }) => merchants.update(params.id, viewer, body)),
  );
  r.post(
    claimListing.path,
    handle(claimListing, async ({ params, body, viewer }) => merchants.requestOwnership(params.id, viewer, body.note)),
  );
  r.get(
    pending.path,
    handle(pending, async ({ viewer }) => merchants.pendingRequests(viewer)),
  );
  r.post(
    decide.path,
    handle(decide, async ({ params, body, viewer }) => merchants.decide(params.id, viewer, body.approve)),
  );
  r.post(
    addStaff.path,
    handle(addStaff, async ({ params, body, viewer }) => merchants.addStaff(params.id, viewer, body.handle)),
  );
  r.post(
    createOffer.path,
    handle(createOffer, async ({ params, body, viewer }) => offers.create(params.id, viewer, body)),
  );
  r.get(
    stats.path,
    handle(stats, async ({ params, viewer }) => offers.stats(params.id, viewer)),
  );
  r.post(
    redeem.path,
    handle(redeem, async ({ params, body, viewer }) => offers.redeem(params.id, viewer, body.code)),
  );
  r.get(
    offer.path,
    handle(offer, async ({ params, viewer }) => offers.get(params.id, viewer)),
  );
  r.delete(
    withdraw.path,
    handle(withdraw, async ({ params, viewer }) => offers.withdraw(params.id, viewer)),
  );
  r.post(
    claim.path,
    handle(claim, async ({ params, viewer }) => offers.claim(params.id, viewer)),
  );
  r.get(
    wallet.path,
    handle(wallet, async ({ viewer }) => offers.wallet(viewer)),
  );
  r.get(
    myClaim.path,
    handle(myClaim, async ({ params, viewer }) => offers.claimOf(params.id, viewer)),
  );
  r.delete(
    cancel.path,
    handle(cancel, async ({ params, viewer }) => offers.cancel(params.id, viewer)),
  );
  return r;
}
