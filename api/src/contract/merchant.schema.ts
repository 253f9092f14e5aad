import { z } from 'zod';
import { Cell, Id, Lat, LatQuery, Lon, LonQuery, queryNumber, text } from './common.schema.ts';
import {
  CLAIM_CODE_LENGTH,
  MERCHANT_CATEGORIES,
  MERCHANT_NAME_MAX,
  MERCHANT_RADII,
  MERCHANT_ROLES,
  OFFER_CAP_MAX,
  OFFER_CELLS_MAX,
  OFFER_RING_MAX,
  OFFER_TERMS_MAX,
  OFFER_TITLE_MAX,
  OPENING_HOURS_MAX,
  SEARCH_QUERY_MAX,
} from './limits.ts';
import { registry } from './registry.ts';

// Shops, offers, claims and redemptions (issue 10). Businesses are public: exact point and address are shown.

export const MerchantCategory = z.enum(MERCHANT_CATEGORIES).openapi('MerchantCategory');
export const MerchantRole = z.enum(MERCHANT_ROLES).openapi('MerchantRole');
const Radius = queryNumber(
  z.union(
    MERCHANT_RADII.map((r) => z.literal(r)) as unknown as [
      z.ZodLiteral<250>,
      z.ZodLiteral<500>,
      z.ZodLiteral<1000>,
      z.ZodLiteral<2000>,
      z.ZodLiteral<5000>,
    ],
  ),
);
const Bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const MerchantQuery = z
  .strictObject({
    lat: LatQuery.optional(),
    lon: LonQuery.optional(),
    radius: Radius.default(1000),
    cell: Cell.optional().openapi({ description: 'Shops in this H3 cell (res 7-9) instead of near a point' }),
    region: z
      .string()
      .regex(/^[a-z0-9-]{1,80}$/)
      .optional()
      .openapi({ description: 'Shops inside this region (slug)' }),
    category: MerchantCategory.optional(),
    openNow: Bool.optional().openapi({ description: 'Only shops open now (Europe/Berlin); unknown hours are left out' }),
    q: z.string().trim().min(1).max(SEARCH_QUERY_MAX).optional().openapi({ description: 'Text (typo-tolerant; "Baeckerei" finds "Bäckerei")' }),
    sort: z
      .enum(['distance', 'favourites'])
      .default('distance')
      .openapi({ description: "near a point: nearest first, or locals' favourites (verified redemptions, locals' recommendations)" }),
    limit: queryNumber(z.number().int().min(1).max(500)).default(50),
  })
  .refine((q) => (q.lat === undefined) === (q.lon === undefined), { message: 'give lat and lon together', path: ['lat'] })
  .refine((q) => q.lat !== undefined || q.cell !== undefined || q.region !== undefined || q.q !== undefined, {
    message: 'give a point (lat, lon), a cell, a region or a text query',
    path: ['lat'],
  });

export const MerchantSummary = registry.register(
  'MerchantSummary',
  z.object({
    id: z.string(),
    name: z.string(),
    category: z.string(),
    location: z.object({ lat: z.number(), lon: z.number() }),
    address: z.string().nullable(),
    website: z.string().nullable(),
    openingHours: z.string().nullable(),
    openNow: z.boolean().nullable().openapi({ description: 'null: hours unknown' }),
    claimed: z.boolean(),
    distanceMeters: z.number().int().optional(),
    activeOffers: z.number().int(),
  }),
);

export const MerchantList = registry.register('MerchantList', z.object({ items: z.array(MerchantSummary), total: z.number().int() }));

export const MerchantIdParams = z.strictObject({ id: Id });

export const OfferSummary = registry.register(
  'Offer',
  z.object({
    id: z.string(),
    merchantId: z.string(),
    merchantName: z.string(),
    postId: z.string(),
    title: z.string(),
    terms: z.string(),
    startsAt: z.string(),
    endsAt: z.string(),
    totalCap: z.number().int(),
    remaining: z.number().int(),
    perPersonLimit: z.literal(1),
    perHousehold: z.boolean(),
    targetCells: z.array(z.string()).openapi({ description: 'res-8 cells whose residents may claim' }),
    state: z.enum(['upcoming', 'running', 'exhausted', 'ended', 'withdrawn']),
    /** for the signed-in viewer: may they claim (in the area), and their active claim if any */
    inArea: z.boolean(),
    myClaimId: z.string().nullable(),
  }),
);

export const Integrity = registry.register(
  'Integrity',
  z.object({
    offers: z.number().int(),
    offersWithdrawnEarly: z.number().int(),
    claims: z.number().int(),
    claimsHonoured: z.number().int().openapi({ description: 'redeemed at the counter' }),
    claimsCancelled: z.number().int(),
    claimsLapsed: z.number().int().openapi({ description: 'never redeemed before the offer ended' }),
  }),
);

export const DayHours = z.object({ date: z.string(), weekday: z.string(), ranges: z.array(z.string()) });

export const Recommendations = z
  .object({ total: z.number().int(), locals: z.number().int(), mine: z.boolean() })
  .openapi('Recommendations', { description: 'one per person; locals live within the shop’s neighbour ring' });

export const MerchantDetail = registry.register(
  'Merchant',
  MerchantSummary.extend({
    cuisine: z.string().nullable(),
    week: z.array(DayHours),
    offers: z.array(OfferSummary),
    integrity: Integrity,
    myRole: MerchantRole.nullable(),
    myPendingClaim: z.boolean(),
    recommendations: Recommendations,
    reviews: z.array(
      z.object({
        id: z.string(),
        stars: z.number().int(),
        body: z.string(),
        author: z.object({ handle: z.string(), displayName: z.string() }),
        updatedAt: z.string(),
      }),
    ),
    attribution: z.string().nullable(),
  }),
);

const OpeningHoursText = text({ min: 1, max: OPENING_HOURS_MAX });

export const CreateMerchantBody = registry.register(
  'CreateMerchant',
  z.strictObject({
    name: text({ min: 1, max: MERCHANT_NAME_MAX }),
    category: MerchantCategory,
    location: z.strictObject({ lat: Lat, lon: Lon }),
    street: text({ max: 120 }).optional(),
    housenumber: text({ max: 20 }).optional(),
    postcode: z
      .string()
      .trim()
      .regex(/^\d{5}$/)
      .optional(),
    website: z
      .url({ protocol: /^https?$/ })
      .max(300)
      .optional(),
    openingHours: OpeningHoursText.optional(),
    note: text({ max: 1000, multiline: true, trim: false }).default(''),
  }),
);

export const UpdateMerchantBody = registry.register(
  'UpdateMerchant',
  z.strictObject({
    openingHours: z.union([OpeningHoursText, z.null()]).optional(),
    website: z.union([z.url({ protocol: /^https?$/ }).max(300), z.null()]).optional(),
  }),
);

export const ClaimListingBody = registry.register(
  'ClaimListing',
  z.strictObject({ note: text({ max: 1000, multiline: true, trim: false }).default('') }),
);

export const OwnershipRequest = registry.register(
  'OwnershipRequest',
  z.object({
    id: z.string(),
    merchantId: z.string(),
    merchantName: z.string(),
    userHandle: z.string(),
    note: z.string(),
    status: z.enum(['pending', 'approved', 'rejected']),
    createdAt: z.string(),
  }),
);
export const OwnershipRequestList = registry.register('OwnershipRequestList', z.object({ items: z.array(OwnershipRequest) }));
export const DecideBody = registry.register('OwnershipDecision', z.strictObject({ approve: z.boolean() }));

export const AddStaffBody = registry.register('AddStaff', z.strictObject({ handle: z.string().regex(/^[A-Za-z0-9_]{3,30}$/) }));

export const CreateOfferBody = registry.register(
  'CreateOffer',
  z
    .strictObject({
      title: text({ min: 1, max: OFFER_TITLE_MAX }),
      terms: text({ max: OFFER_TERMS_MAX, multiline: true }).default(''),
      startsAt: z.iso.datetime({ offset: true }).optional().openapi({ description: 'default: now' }),
      endsAt: z.iso.datetime({ offset: true }),
      totalCap: z.number().int().min(1, 'the cap must be at least 1').max(OFFER_CAP_MAX),
      perPersonLimit: z.literal(1).default(1),
      perHousehold: z.boolean().default(false).openapi({ description: 'at most one claim per home (res-9 cell)' }),
      target: z.union([
        z.strictObject({ ring: z.number().int().min(0).max(OFFER_RING_MAX) }),
        z.strictObject({ cells: z.array(Cell).min(1).max(OFFER_CELLS_MAX) }),
      ]),
    })
    .refine((o) => Date.parse(o.endsAt) > (o.startsAt ? Date.parse(o.startsAt) : Date.now()), {
      message: 'the offer must end after it starts',
      path: ['endsAt'],
    }),
);

export const OfferIdParams = z.strictObject({ id: Id });

export const Claim = registry.register(
  'Claim',
  z.object({
    id: z.string(),
    code: z.string().openapi({ description: `${CLAIM_CODE_LENGTH} characters, ≥80 random bits; show it or its QR code at the counter` }),
    qrSvg: z.string().openapi({ description: 'QR code of the code, as SVG' }),
    status: z.enum(['active', 'redeemed', 'cancelled', 'expired']),
    createdAt: z.string(),
    redeemedAt: z.string().nullable(),
    offer: z.object({ id: z.string(), title: z.string(), terms: z.string(), endsAt: z.string() }),
    merchant: z.object({ id: z.string(), name: z.string(), address: z.string().nullable() }),
  }),
);
export const ClaimList = registry.register('ClaimList', z.object({ items: z.array(Claim) }));
export const ClaimIdParams = z.strictObject({ id: Id });

export const RedeemBody = registry.register(
  'Redeem',
  z.strictObject({ code: z.string().trim().min(4).max(64).openapi({ description: 'as shown or scanned; spaces and dashes ignored' }) }),
);
export const Redemption = registry.register(
  'Redemption',
  z.object({
    code: z.string(),
    redeemedAt: z.string(),
    offer: z.object({ id: z.string(), title: z.string(), terms: z.string() }),
  }),
);

export const MerchantStats = registry.register(
  'MerchantStats',
  z.object({
    days: z.array(z.object({ date: z.string(), claims: z.number().int(), redemptions: z.number().int() })),
    byArea: z.array(z.object({ cell: z.string().nullable(), people: z.number().int(), claims: z.number().int() })).openapi({
      description: `res-7 home cells of claimants; cells with fewer than 10 distinct people are merged into cell null ("elsewhere")`,
    }),
    totals: z.object({ claims: z.number().int(), redemptions: z.number().int(), activeOffers: z.number().int() }),
  }),
);

export const MyMerchant = registry.register('MyMerchant', z.object({ id: z.string(), name: z.string(), category: z.string(), role: MerchantRole }));
export const MyMerchantList = registry.register('MyMerchantList', z.object({ items: z.array(MyMerchant) }));

export const ReviewBody = registry.register(
  'Review',
  z.strictObject({ stars: z.number().int().min(1).max(5), body: z.string().trim().max(2000).default('') }),
);
