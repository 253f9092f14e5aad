import { cellParent, cellResolution, cellToBigint, pointToCell } from '../geo/h3.ts';
import { ConflictError, ForbiddenError, NotFoundError, ServiceUnavailableError, ValidationError } from '../http/errors.ts';
import { isSearchUnavailable } from '../search/posts.index.ts';
import type { Viewer } from '../http/route.ts';
import type { MerchantArea, MerchantRepository, MerchantRow } from '../repositories/merchant.repository.ts';
import type { WithTransaction } from '../repositories/repositories.ts';
import type { OfferService } from './offer.service.ts';
import { isOpenAt, openingHoursError, weekAhead } from './opening-hours.ts';

/**
 * Shops (issue 10): find them, show one, claim a listing or create a shop (an admin approves), edit hours, add staff.
 * Businesses are public, so their exact point and address are returned to everyone (unlike residents).
 */

export const OSM_ATTRIBUTION = '© OpenStreetMap contributors (ODbL)';
/** rows read before the open-now filter: far more than any page, bounded so a dense 5 km radius stays cheap */
const MAX_ROWS = 3000;

export interface MerchantQueryInput {
  lat?: number;
  lon?: number;
  radius: number;
  cell?: string;
  region?: string;
  category?: string;
  openNow?: boolean;
  q?: string;
  limit: number;
}

/** Text search over the merchants index: ids best match first (absent: text search is unavailable). */
export type MerchantTextSearch = (q: string, filter: { category?: string; near?: { lat: number; lon: number; radius: number } }) => Promise<string[]>;

export function addressOf(m: Pick<MerchantRow, 'street' | 'housenumber' | 'postcode'>): string | null {
  if (!m.street) return null;
  return `${m.street}${m.housenumber ? ` ${m.housenumber}` : ''}${m.postcode ? `, ${m.postcode} Berlin` : ''}`;
}

export function presentMerchant(m: MerchantRow, now: Date) {
  return {
    id: String(m.id),
    name: m.name,
    category: m.category,
    location: { lat: m.lat, lon: m.lon },
    address: addressOf(m),
    website: m.website,
    openingHours: m.opening_hours,
    openNow: isOpenAt(m.opening_hours, now),
    claimed: m.status === 'claimed',
    ...(m.distance_m !== undefined ? { distanceMeters: Math.round(m.distance_m) } : {}),
    activeOffers: m.active_offers,
  };
}

function hoursOrThrow(value: string | null | undefined, field: string): void {
  if (value === null || value === undefined) return;
  const error = openingHoursError(value);
  if (error) throw new ValidationError([{ field, message: error }]);
}

export function createMerchantService(deps: {
  merchants: MerchantRepository;
  withTransaction: WithTransaction;
  offers: () => OfferService;
  textSearch?: MerchantTextSearch;
}) {
  const { merchants, withTransaction } = deps;

  async function requireRole(merchantId: string, viewer: Viewer, roles: ('owner' | 'staff')[]): Promise<MerchantRow> {
    const m = await merchants.findById(merchantId);
    if (!m) throw new NotFoundError('Shop');
    const role = await merchants.roleOf(merchantId, viewer.id);
    if (!role || !roles.includes(role)) {
      throw new ForbiddenError(roles.includes('staff') ? 'Only this shop’s owner and staff can do this.' : 'Only this shop’s owner can do this.');
    }
    return m;
  }

  return {
    requireRole,

    async list(input: MerchantQueryInput, now = new Date()) {
      let area: MerchantArea;
      const near = input.lat !== undefined && input.lon !== undefined ? { lat: input.lat, lon: input.lon, radius: input.radius } : undefined;
      if (input.q) {
        if (!deps.textSearch) throw new ValidationError([{ field: 'query.q', message: 'text search is not available' }]);
        let ids: string[];
        try {
          ids = await deps.textSearch(input.q, { category: input.category, near });
        } catch (error) {
          if (isSearchUnavailable(error)) throw new ServiceUnavailableError('Shop search is unavailable right now; try again shortly.');
          throw error;
        }
        area = { kind: 'ids', ids };
      } else if (near) {
        area = { kind: 'near', ...near };
      } else if (input.cell) {
        const res = cellResolution(input.cell);
        if (res < 7 || res > 9) throw new ValidationError([{ field: 'query.cell', message: 'cells of resolution 7, 8 or 9' }]);
        area = { kind: 'cell', column: `h3_${res}` as 'h3_7' | 'h3_8' | 'h3_9', cell: cellToBigint(input.cell).toString() };
      } else {
        area = { kind: 'region', slug: input.region! };
      }
      const rows = await merchants.list(area, { category: input.category, max: input.openNow ? MAX_ROWS : input.limit });
      const items = rows.map((m) => presentMerchant(m, now)).filter((m) => !input.openNow || m.openNow === true);
      return { items: items.slice(0, input.limit), total: items.length };
    },

    async detail(id: string, viewer: Viewer | undefined, now = new Date()) {
      const m = await merchants.findById(id);
      if (!m) throw new NotFoundError('Shop');
      const [offers, integrity, role, pending] = await Promise.all([
        deps.offers().ofMerchant(id, viewer),
        deps.offers().integrity(id),
        viewer ? merchants.roleOf(id, viewer.id) : null,
        viewer ? merchants.hasPendingRequest(id, viewer.id) : false,
      ]);
      return {
        ...presentMerchant(m, now),
        cuisine: m.cuisine,
        week: weekAhead(m.opening_hours, now),
        offers,
        integrity,
        myRole: role,
        myPendingClaim: pending,
        attribution: m.source_id ? OSM_ATTRIBUTION : null,
      };
    },

    /** A new shop: the listing plus the creator's pending ownership request, for an admin to approve. */
    async create(
      viewer: Viewer,
      body: {
        name: string;
        category: string;
        location: { lat: number; lon: number };
        street?: string;
        housenumber?: string;
        postcode?: string;
        website?: string;
        openingHours?: string;
        note: string;
      },
    ) {
      hoursOrThrow(body.openingHours, 'body.openingHours');
      const c9 = pointToCell(body.location, 9);
      const id = await withTransaction(async (repos) => {
        const id = await repos.merchants.insert({
          name: body.name,
          category: body.category,
          lat: body.location.lat,
          lon: body.location.lon,
          h3_9: cellToBigint(c9).toString(),
          h3_8: cellToBigint(cellParent(c9, 8)).toString(),
          h3_7: cellToBigint(cellParent(c9, 7)).toString(),
          street: body.street ?? null,
          housenumber: body.housenumber ?? null,
          postcode: body.postcode ?? null,
          website: body.website ?? null,
          opening_hours: body.openingHours ?? null,
        });
        await repos.merchants.requestOwnership(id, viewer.id, body.note);
        await repos.outbox.enqueue('merchant', id, 'upsert');
        return id;
      });
      return this.detail(id, viewer);
    },

    /** Owners edit hours (validated with the opening_hours library) and website. */
    async update(id: string, viewer: Viewer, patch: { openingHours?: string | null; website?: string | null }) {
      hoursOrThrow(patch.openingHours, 'body.openingHours');
      await requireRole(id, viewer, ['owner']);
      await withTransaction(async (repos) => {
        await repos.merchants.update(id, {
          ...(patch.openingHours !== undefined ? { opening_hours: patch.openingHours } : {}),
          ...(patch.website !== undefined ? { website: patch.website } : {}),
        });
        await repos.outbox.enqueue('merchant', id, 'upsert');
      });
      return this.detail(id, viewer);
    },

    async requestOwnership(id: string, viewer: Viewer, note: string) {
      const m = await merchants.findById(id);
      if (!m) throw new NotFoundError('Shop');
      if (m.status === 'claimed') throw new ConflictError('This shop already has an approved owner.');
      if (!(await merchants.requestOwnership(id, viewer.id, note)))
        throw new ConflictError('Your request for this shop is already waiting for review.');
      return this.detail(id, viewer);
    },

    async pendingRequests(viewer: Viewer) {
      if (!viewer.isAdmin) throw new ForbiddenError('Only administrators review shop claims.');
      const rows = await merchants.pendingRequests();
      return {
        items: rows.map((r) => ({
          id: String(r.id),
          merchantId: String(r.merchant_id),
          merchantName: r.merchant_name,
          userHandle: r.user_handle,
          note: r.note,
          status: r.status,
          createdAt: r.created_at.toISOString(),
        })),
      };
    },

    async decide(requestId: string, viewer: Viewer, approve: boolean): Promise<void> {
      if (!viewer.isAdmin) throw new ForbiddenError('Only administrators review shop claims.');
      await withTransaction(async (repos) => {
        const decided = await repos.merchants.decide(requestId, viewer.id, approve);
        if (!decided) throw new NotFoundError('Pending request');
        if (approve) {
          await repos.merchants.grantRole(decided.merchant_id, decided.user_id, 'owner');
          await repos.merchants.markClaimed(decided.merchant_id);
        }
      });
    },

    async addStaff(id: string, viewer: Viewer, handle: string): Promise<void> {
      await requireRole(id, viewer, ['owner']);
      const userId = await merchants.userIdByHandle(handle);
      if (!userId) throw new ValidationError([{ field: 'body.handle', message: 'no member with this handle' }]);
      await merchants.grantRole(id, userId, 'staff');
    },

    async mine(viewer: Viewer) {
      const rows = await merchants.rolesOf(viewer.id);
      return { items: rows.map((r) => ({ id: String(r.id), name: r.name, category: r.category, role: r.role })) };
    },
  };
}

export type MerchantService = ReturnType<typeof createMerchantService>;
