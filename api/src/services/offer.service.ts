import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { bigintToCell, cellCentroid, cellDisk, cellParent, cellResolution, cellToBigint } from '../geo/h3.ts';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import { audiencePolicy } from '../policy/audience.policy.ts';
import type { MerchantRepository } from '../repositories/merchant.repository.ts';
import type { ClaimRow, OfferRepository, OfferRow } from '../repositories/offer.repository.ts';
import type { PostRepository } from '../repositories/post.repository.ts';
import type { WithTransaction } from '../repositories/repositories.ts';
import { CLAIM_CODE_LENGTH, K_ANONYMITY, OFFER_DAYS_MAX } from '../contract/limits.ts';
import type { AudienceService } from './audience.service.ts';
import { addressOf } from './merchant.service.ts';

/**
 * Offers (issue 10): owners and staff publish them (a post of kind 'offer' whose audience is the target area, so feeds,
 * boards and search show it to residents there through the one audience policy); residents there claim one with a
 * single statement (repositories/offer-claim.sql) and get an unguessable code with a QR code; staff redeem it once, at
 * the issuing shop only, and see the code and offer, never who claimed it.
 */

export class GoneError extends AppError {
  constructor(detail: string) {
    super(410, 'Gone', detail);
  }
}

// Crockford base32: no I, L, O, U; what people type is normalised (O→0, I/L→1) before lookup.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** 20 characters × 5 random bits = 100 bits. */
export function newClaimCode(): string {
  const bytes = randomBytes(CLAIM_CODE_LENGTH);
  let code = '';
  for (const b of bytes) code += ALPHABET[b & 31];
  return code;
}

export function normaliseCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** "ABCD-EFGH-..." for people to read out. */
export const formatCode = (code: string) => code.match(/.{1,4}/g)!.join('-');

function offerState(o: OfferRow, now: Date) {
  if (o.withdrawn_at) return 'withdrawn' as const;
  if (now >= o.ends_at) return 'ended' as const;
  if (now < o.starts_at) return 'upcoming' as const;
  if (o.remaining <= 0) return 'exhausted' as const;
  return 'running' as const;
}

function claimStatus(c: ClaimRow, now: Date) {
  if (c.redeemed_at) return 'redeemed' as const;
  if (c.cancelled_at) return 'cancelled' as const;
  if (now >= c.offer_ends_at) return 'expired' as const;
  return 'active' as const;
}

export interface CreateOfferInput {
  title: string;
  terms: string;
  startsAt?: string;
  endsAt: string;
  totalCap: number;
  perPersonLimit: 1;
  perHousehold: boolean;
  target: { ring: number } | { cells: string[] };
}

export function createOfferService(deps: {
  offers: OfferRepository;
  merchants: MerchantRepository;
  posts: Pick<PostRepository, 'findById'>;
  withTransaction: WithTransaction;
  audience: AudienceService;
}) {
  const { offers, merchants, posts, audience } = deps;

  async function requireTeam(merchantId: string, viewer: Viewer) {
    const m = await merchants.findById(merchantId);
    if (!m) throw new NotFoundError('Shop');
    const role = await merchants.roleOf(merchantId, viewer.id);
    if (!role) throw new ForbiddenError('Only this shop’s approved owner and staff can do this.');
    return { merchant: m, role };
  }

  async function inArea(o: OfferRow, viewer: Viewer | undefined): Promise<boolean> {
    if (!viewer?.homeCell) return false;
    const post = await posts.findById(o.post_id);
    return Boolean(post) && audiencePolicy.canList(post!, await audience.scopeFor(viewer));
  }

  async function present(o: OfferRow, viewer: Viewer | undefined, myClaims?: Map<string, string>, now = new Date()) {
    return {
      id: String(o.id),
      merchantId: String(o.merchant_id),
      merchantName: o.merchant_name,
      postId: String(o.post_id),
      title: o.title,
      terms: o.terms,
      startsAt: o.starts_at.toISOString(),
      endsAt: o.ends_at.toISOString(),
      totalCap: o.total_cap,
      remaining: o.remaining,
      perPersonLimit: 1 as const,
      perHousehold: o.per_household,
      targetCells: o.target_cells8.map((c) => bigintToCell(c)),
      state: offerState(o, now),
      inArea: await inArea(o, viewer),
      myClaimId: myClaims?.get(String(o.id)) ?? null,
    };
  }

  async function presentClaim(c: ClaimRow, now = new Date()) {
    return {
      id: String(c.id),
      code: formatCode(c.code),
      qrSvg: await QRCode.toString(c.code, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }),
      status: claimStatus(c, now),
      createdAt: c.created_at.toISOString(),
      redeemedAt: c.redeemed_at ? c.redeemed_at.toISOString() : null,
      offer: { id: String(c.offer_id), title: c.offer_title, terms: c.offer_terms, endsAt: c.offer_ends_at.toISOString() },
      merchant: { id: String(c.merchant_id), name: c.merchant_name, address: addressOf(c) },
    };
  }

  return {
    async create(merchantId: string, viewer: Viewer, input: CreateOfferInput) {
      const { merchant } = await requireTeam(merchantId, viewer);
      const now = Date.now();
      const startsAt = input.startsAt ? new Date(input.startsAt) : new Date(now);
      const endsAt = new Date(input.endsAt);
      const errors = [];
      if (endsAt <= startsAt) errors.push({ field: 'body.endsAt', message: 'the offer must end after it starts' });
      if (endsAt.getTime() <= now) errors.push({ field: 'body.endsAt', message: 'the offer must end in the future' });
      if (endsAt.getTime() - startsAt.getTime() > OFFER_DAYS_MAX * 86_400_000) {
        errors.push({ field: 'body.endsAt', message: `offers run at most ${OFFER_DAYS_MAX} days` });
      }
      let cells8: string[];
      if ('ring' in input.target) {
        cells8 = cellDisk(bigintToCell(merchant.h3_8), input.target.ring);
      } else {
        cells8 = [...new Set(input.target.cells)];
        if (cells8.some((c) => cellResolution(c) !== 8)) errors.push({ field: 'body.target.cells', message: 'target cells are H3 resolution 8' });
      }
      if (errors.length) throw new ValidationError(errors);
      const shop9 = bigintToCell(merchant.h3_9);
      const id = await deps.withTransaction((repos) =>
        repos.offers.insert({
          merchant_id: merchantId,
          created_by: viewer.id,
          title: input.title,
          terms: input.terms,
          starts_at: startsAt,
          ends_at: endsAt,
          total_cap: input.totalCap,
          per_household: input.perHousehold,
          target_cells8: cells8.map((c) => cellToBigint(c).toString()),
          lat: merchant.lat,
          lon: merchant.lon,
          h3_9: merchant.h3_9,
          h3_8: merchant.h3_8,
          h3_7: merchant.h3_7,
          h3_5: cellToBigint(cellParent(shop9, 5)).toString(),
          centroidLat: cellCentroid(shop9).lat,
          centroidLon: cellCentroid(shop9).lon,
        }),
      );
      return present((await offers.findById(id))!, viewer);
    },

    async get(id: string, viewer: Viewer | undefined) {
      const o = await offers.findById(id);
      if (!o) throw new NotFoundError('Offer');
      const mine = viewer ? await offers.activeClaimIds(viewer.id, [String(o.id)]) : undefined;
      return present(o, viewer, mine);
    },

    async ofMerchant(merchantId: string, viewer: Viewer | undefined) {
      const rows = await offers.currentOfMerchant(merchantId);
      const mine = viewer
        ? await offers.activeClaimIds(
            viewer.id,
            rows.map((r) => String(r.id)),
          )
        : undefined;
      return Promise.all(rows.map((o) => present(o, viewer, mine)));
    },

    async withdraw(id: string, viewer: Viewer): Promise<void> {
      const o = await offers.findById(id);
      if (!o) throw new NotFoundError('Offer');
      await requireTeam(String(o.merchant_id), viewer);
      if (!(await offers.withdraw(id))) throw new ConflictError('This offer has already ended or been withdrawn.');
    },

    /** One statement claims (see offer-claim.sql); only a failure reads, to say why in plain words. */
    async claim(offerId: string, viewer: Viewer) {
      if (!viewer.homeCell) throw new ForbiddenError('Set your home on your profile to claim offers near you.');
      const scope = await audience.scopeFor(viewer);
      const householdCell = cellToBigint(viewer.homeCell).toString();
      const outcome = await offers.claim({
        offerId,
        userId: viewer.id,
        householdCell,
        homeCell7: cellToBigint(cellParent(viewer.homeCell, 7)).toString(),
        code: newClaimCode(),
        visible: audiencePolicy.listSql(scope, 'p'),
      });
      if (outcome.ok) {
        const claim = await offers.claimOfUser(outcome.id, viewer.id);
        return presentClaim(claim!);
      }
      const o = await offers.findById(offerId);
      if (!o) throw new NotFoundError('Offer');
      const now = new Date();
      const state = offerState(o, now);
      if (outcome.reason === 'not_inserted') {
        const blockers = await offers.claimBlockers(offerId, viewer.id, householdCell);
        if (blockers.mine) throw new ConflictError('You have already claimed this offer. Find your code under “My offers”.');
        if (blockers.household && o.per_household) throw new ConflictError('Someone in your household has already claimed this offer.');
        if (state === 'withdrawn' || state === 'ended') throw new GoneError('This offer has ended.');
        throw new ForbiddenError('This offer is only for people living near the shop.');
      }
      if (state === 'withdrawn' || state === 'ended') throw new GoneError('This offer has ended.');
      if (state === 'upcoming') throw new ConflictError(`This offer starts on ${o.starts_at.toISOString()}.`);
      throw new ConflictError('All of this offer has been claimed.');
    },

    async wallet(viewer: Viewer) {
      const rows = await offers.claimsOfUser(viewer.id);
      return { items: await Promise.all(rows.map((c) => presentClaim(c))) };
    },

    async claimOf(claimId: string, viewer: Viewer) {
      const c = await offers.claimOfUser(claimId, viewer.id);
      if (!c) throw new NotFoundError('Claim');
      return presentClaim(c);
    },

    /** Cancels the viewer's unredeemed claim; its capacity returns to the offer. */
    async cancel(claimId: string, viewer: Viewer): Promise<void> {
      if (await offers.cancel(claimId, viewer.id)) return;
      const c = await offers.claimOfUser(claimId, viewer.id);
      if (!c) throw new NotFoundError('Claim');
      if (c.redeemed_at) throw new ConflictError('This claim has been redeemed and cannot be cancelled.');
      throw new ConflictError('This claim is already cancelled.');
    },

    /** Valid once, only at the issuing shop; the answer names the offer, never the resident. */
    async redeem(merchantId: string, viewer: Viewer, rawCode: string) {
      await requireTeam(merchantId, viewer);
      const code = normaliseCode(rawCode);
      const done = await offers.redeem(merchantId, code, viewer.id);
      if (done) {
        return {
          code: formatCode(done.code),
          redeemedAt: done.redeemed_at.toISOString(),
          offer: { id: String(done.offer_id), title: done.title, terms: done.terms },
        };
      }
      const state = await offers.codeState(merchantId, code);
      if (state?.redeemed_at) throw new ConflictError(`This code was already redeemed on ${state.redeemed_at.toISOString()}.`);
      if (state?.cancelled_at) throw new ConflictError('This claim was cancelled by the resident.');
      throw new NotFoundError('Code for this shop');
    },

    async integrity(merchantId: string) {
      const r = await offers.integrity(merchantId);
      return {
        offers: r.offers ?? 0,
        offersWithdrawnEarly: r.withdrawn ?? 0,
        claims: r.claims ?? 0,
        claimsHonoured: r.honoured ?? 0,
        claimsCancelled: r.cancelled ?? 0,
        claimsLapsed: r.lapsed ?? 0,
      };
    },

    async stats(merchantId: string, viewer: Viewer) {
      await requireTeam(merchantId, viewer);
      const [days, areas, current] = await Promise.all([
        offers.daily(merchantId, 30),
        offers.byArea(merchantId, K_ANONYMITY),
        offers.currentOfMerchant(merchantId),
      ]);
      const now = new Date();
      return {
        days,
        byArea: areas.map((a) => ({ cell: a.cell === null ? null : bigintToCell(a.cell), people: a.people, claims: a.claims })),
        totals: {
          claims: days.reduce((n, d) => n + d.claims, 0),
          redemptions: days.reduce((n, d) => n + d.redemptions, 0),
          activeOffers: current.filter((o) => offerState(o, now) === 'running').length,
        },
      };
    },
  };
}

export type OfferService = ReturnType<typeof createOfferService>;
