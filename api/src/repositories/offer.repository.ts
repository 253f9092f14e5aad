import type { Db } from '../db/knex.ts';
import type { SqlCondition } from '../policy/policy.ts';
import { readSql, statementName } from './sql-file.ts';

const CLAIM_SQL = readSql('offer-claim.sql');

export interface OfferRow {
  id: string;
  merchant_id: string;
  merchant_name: string;
  post_id: string;
  title: string;
  terms: string;
  starts_at: Date;
  ends_at: Date;
  total_cap: number;
  remaining: number;
  per_household: boolean;
  target_cells8: string[];
  withdrawn_at: Date | null;
  created_at: Date;
}

export interface NewOffer {
  merchant_id: string;
  created_by: string;
  title: string;
  terms: string;
  starts_at: Date;
  ends_at: Date;
  total_cap: number;
  per_household: boolean;
  target_cells8: string[];
  /** the shop's point and cells: where the offer's post is anchored */
  lat: number;
  lon: number;
  h3_9: string;
  h3_8: string;
  h3_7: string;
  h3_5: string;
  /** centroid of the display cell (h3_9): posts' geom is always that, never the exact point */
  centroidLat: number;
  centroidLon: number;
}

export interface ClaimRow {
  id: string;
  offer_id: string;
  merchant_id: string;
  user_id: string;
  code: string;
  created_at: Date;
  cancelled_at: Date | null;
  redeemed_at: Date | null;
  offer_title: string;
  offer_terms: string;
  offer_ends_at: Date;
  merchant_name: string;
  street: string | null;
  housenumber: string | null;
  postcode: string | null;
}

export interface ClaimAttempt {
  offerId: string;
  userId: string;
  householdCell: string | null;
  homeCell7: string | null;
  code: string;
  /** the audience policy's list condition on alias p (the offer's post) */
  visible: SqlCondition;
}

export type ClaimOutcome =
  { ok: true; id: string; code: string; createdAt: Date; remaining: number } | { ok: false; reason: 'not_taken' | 'not_inserted' };

const OFFER_COLUMNS = `o.id, o.merchant_id, m.name AS merchant_name, o.post_id, o.title, o.terms, o.starts_at, o.ends_at, o.total_cap,
  o.remaining, o.per_household, o.target_cells8, o.withdrawn_at, o.created_at`;

const CLAIM_COLUMNS = `c.id, c.offer_id, c.merchant_id, c.user_id, c.code, c.created_at, c.cancelled_at, c.redeemed_at,
  o.title AS offer_title, o.terms AS offer_terms, o.ends_at AS offer_ends_at, m.name AS merchant_name, m.street, m.housenumber, m.postcode`;

export function createOfferRepository(db: Db) {
  return {
    /** The offer and the post announcing it (kind 'offer', audience 'area'), and its outbox row: call in a transaction. */
    async insert(o: NewOffer): Promise<string> {
      const post = await db.raw<{ rows: { id: string }[] }>(
        `INSERT INTO posts (author_id, kind, title, body, tags, lat, lon, precision, display_cell, h3_9, h3_8, h3_7, h3_5, geom,
                            audience, target_cells8)
         VALUES (?, 'offer', ?, ?, '{offer}', ?, ?, 9, ?, ?, ?, ?, ?, ST_SetSRID(ST_MakePoint(?, ?), 4326), 'area', ?::bigint[])
         RETURNING id`,
        [o.created_by, o.title, o.terms, o.lat, o.lon, o.h3_9, o.h3_9, o.h3_8, o.h3_7, o.h3_5, o.centroidLon, o.centroidLat, o.target_cells8],
      );
      const postId = post.rows[0]!.id;
      const offer = await db.raw<{ rows: { id: string }[] }>(
        `INSERT INTO offers (merchant_id, post_id, created_by, title, terms, starts_at, ends_at, total_cap, remaining, per_household,
                             target_cells8)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::bigint[]) RETURNING id`,
        [o.merchant_id, postId, o.created_by, o.title, o.terms, o.starts_at, o.ends_at, o.total_cap, o.total_cap, o.per_household, o.target_cells8],
      );
      await db.raw(`INSERT INTO outbox (entity, entity_id, op) VALUES ('post', ?, 'upsert')`, [postId]);
      return offer.rows[0]!.id;
    },

    async findById(id: string): Promise<OfferRow | undefined> {
      const res = await db.raw<{ rows: OfferRow[] }>(
        `SELECT ${OFFER_COLUMNS} FROM offers o JOIN merchants m ON m.id = o.merchant_id WHERE o.id = ?`,
        [id],
      );
      return res.rows[0];
    },

    /** Offers of a shop that have not ended (running, upcoming, exhausted), newest first. */
    async currentOfMerchant(merchantId: string): Promise<OfferRow[]> {
      const res = await db.raw<{ rows: OfferRow[] }>(
        `SELECT ${OFFER_COLUMNS} FROM offers o JOIN merchants m ON m.id = o.merchant_id
          WHERE o.merchant_id = ? AND o.withdrawn_at IS NULL AND o.ends_at > now() ORDER BY o.created_at DESC LIMIT 50`,
        [merchantId],
      );
      return res.rows;
    },

    /** Withdraws an offer early and hides its post (one statement). */
    async withdraw(offerId: string): Promise<boolean> {
      const res = await db.raw<{ rows: unknown[] }>(
        `WITH w AS (UPDATE offers SET withdrawn_at = now() WHERE id = ? AND withdrawn_at IS NULL AND ends_at > now() RETURNING post_id),
              p AS (UPDATE posts SET deleted_at = now(), updated_at = now() WHERE id = (SELECT post_id FROM w) RETURNING id),
              q AS (INSERT INTO outbox (entity, entity_id, op) SELECT 'post', id, 'delete' FROM p)
         SELECT 1 FROM w`,
        [offerId],
      );
      return res.rows.length > 0;
    },

    /** The claim statement (offer-claim.sql); HX409 = inserted but nothing left to take (rolled back). */
    async claim(a: ClaimAttempt): Promise<ClaimOutcome> {
      const sql = CLAIM_SQL.replace('/*policy*/', `(${a.visible.sql})`);
      try {
        const res = await db
          .raw<{ rows: { id: string | null; code: string; created_at: Date; remaining: number }[] }>(sql, [
            a.offerId,
            ...a.visible.bindings,
            a.userId,
            a.householdCell,
            a.homeCell7,
            a.code,
          ])
          .options({ name: statementName('offer-claim', sql) });
        const row = res.rows[0];
        if (!row?.id) return { ok: false, reason: 'not_inserted' };
        return { ok: true, id: row.id, code: row.code, createdAt: row.created_at, remaining: row.remaining };
      } catch (error) {
        if ((error as { code?: string }).code === 'HX409') return { ok: false, reason: 'not_taken' };
        throw error;
      }
    },

    /** After a failed claim: why (read only to word the answer; the claim itself never reads first). */
    async claimBlockers(offerId: string, userId: string, householdCell: string | null) {
      const res = await db.raw<{ rows: { mine: boolean; household: boolean }[] }>(
        `SELECT EXISTS (SELECT 1 FROM offer_claims WHERE offer_id = ? AND user_id = ? AND cancelled_at IS NULL) AS mine,
                EXISTS (SELECT 1 FROM offer_claims WHERE offer_id = ? AND household_cell = ?::bigint AND cancelled_at IS NULL) AS household`,
        [offerId, userId, offerId, householdCell],
      );
      return res.rows[0]!;
    },

    /** Cancels an unredeemed claim of this user and returns its capacity (one statement). */
    async cancel(claimId: string, userId: string): Promise<boolean> {
      const res = await db.raw<{ rows: unknown[] }>(
        `WITH c AS (
           UPDATE offer_claims SET cancelled_at = now()
            WHERE id = ? AND user_id = ? AND cancelled_at IS NULL AND redeemed_at IS NULL RETURNING offer_id
         )
         UPDATE offers SET remaining = remaining + 1 WHERE id = (SELECT offer_id FROM c) RETURNING id`,
        [claimId, userId],
      );
      return res.rows.length > 0;
    },

    async claimOfUser(claimId: string, userId: string): Promise<ClaimRow | undefined> {
      const res = await db.raw<{ rows: ClaimRow[] }>(
        `SELECT ${CLAIM_COLUMNS} FROM offer_claims c JOIN offers o ON o.id = c.offer_id JOIN merchants m ON m.id = c.merchant_id
          WHERE c.id = ? AND c.user_id = ?`,
        [claimId, userId],
      );
      return res.rows[0];
    },

    async claimsOfUser(userId: string): Promise<ClaimRow[]> {
      const res = await db.raw<{ rows: ClaimRow[] }>(
        `SELECT ${CLAIM_COLUMNS} FROM offer_claims c JOIN offers o ON o.id = c.offer_id JOIN merchants m ON m.id = c.merchant_id
          WHERE c.user_id = ? ORDER BY c.created_at DESC LIMIT 200`,
        [userId],
      );
      return res.rows;
    },

    async activeClaimIds(userId: string, offerIds: string[]): Promise<Map<string, string>> {
      if (!offerIds.length) return new Map();
      const res = await db.raw<{ rows: { id: string; offer_id: string }[] }>(
        `SELECT id, offer_id FROM offer_claims WHERE user_id = ? AND offer_id = ANY(?::bigint[]) AND cancelled_at IS NULL`,
        [userId, offerIds],
      );
      return new Map(res.rows.map((r) => [r.offer_id, r.id]));
    },

    /** Redeems a code at a shop: valid once, only at the issuing shop (one statement). */
    async redeem(merchantId: string, code: string, staffId: string) {
      const res = await db.raw<{ rows: { code: string; redeemed_at: Date; offer_id: string; title: string; terms: string }[] }>(
        `WITH r AS (
           UPDATE offer_claims SET redeemed_at = now(), redeemed_by = ?
            WHERE code = ? AND merchant_id = ? AND redeemed_at IS NULL AND cancelled_at IS NULL
            RETURNING code, redeemed_at, offer_id
         )
         SELECT r.code, r.redeemed_at, r.offer_id, o.title, o.terms FROM r JOIN offers o ON o.id = r.offer_id`,
        [staffId, code, merchantId],
      );
      return res.rows[0];
    },

    /** A code of this shop that could not be redeemed: already redeemed (when) or cancelled. */
    async codeState(merchantId: string, code: string) {
      const res = await db.raw<{ rows: { redeemed_at: Date | null; cancelled_at: Date | null }[] }>(
        `SELECT redeemed_at, cancelled_at FROM offer_claims WHERE code = ? AND merchant_id = ?`,
        [code, merchantId],
      );
      return res.rows[0];
    },

    async integrity(merchantId: string) {
      const res = await db.raw<{ rows: Record<string, number>[] }>(
        `SELECT (SELECT count(*)::int FROM offers WHERE merchant_id = ?) AS offers,
                (SELECT count(*)::int FROM offers WHERE merchant_id = ? AND withdrawn_at IS NOT NULL AND withdrawn_at < ends_at) AS withdrawn,
                count(*)::int AS claims,
                count(*) FILTER (WHERE c.redeemed_at IS NOT NULL)::int AS honoured,
                count(*) FILTER (WHERE c.cancelled_at IS NOT NULL)::int AS cancelled,
                count(*) FILTER (WHERE c.redeemed_at IS NULL AND c.cancelled_at IS NULL AND o.ends_at < now())::int AS lapsed
           FROM offer_claims c JOIN offers o ON o.id = c.offer_id WHERE c.merchant_id = ?`,
        [merchantId, merchantId, merchantId],
      );
      return res.rows[0]!;
    },

    /** Claims and redemptions per Berlin day over the last `days` days. */
    async daily(merchantId: string, days: number) {
      const res = await db.raw<{ rows: { date: string; claims: number; redemptions: number }[] }>(
        `WITH d AS (SELECT generate_series((now() AT TIME ZONE 'Europe/Berlin')::date - (? - 1), (now() AT TIME ZONE 'Europe/Berlin')::date, '1 day')::date AS day)
         SELECT to_char(d.day, 'YYYY-MM-DD') AS date,
                (SELECT count(*)::int FROM offer_claims c WHERE c.merchant_id = ? AND (c.created_at AT TIME ZONE 'Europe/Berlin')::date = d.day) AS claims,
                (SELECT count(*)::int FROM offer_claims c WHERE c.merchant_id = ? AND (c.redeemed_at AT TIME ZONE 'Europe/Berlin')::date = d.day) AS redemptions
           FROM d ORDER BY d.day`,
        [days, merchantId, merchantId],
      );
      return res.rows;
    },

    /**
     * Distinct claimants and claims per res-7 home cell; cells with fewer than k distinct people are merged into one
     * row with cell null ("elsewhere").
     */
    async byArea(merchantId: string, k: number) {
      const res = await db.raw<{ rows: { cell: string | null; people: number; claims: number }[] }>(
        `WITH per AS (
           SELECT home_cell7, user_id, count(*)::int AS n FROM offer_claims
            WHERE merchant_id = ? AND cancelled_at IS NULL GROUP BY home_cell7, user_id
         ),
         cells AS (SELECT home_cell7, count(*) AS people FROM per GROUP BY home_cell7)
         SELECT CASE WHEN c.people >= ? AND per.home_cell7 IS NOT NULL THEN per.home_cell7 END AS cell,
                count(DISTINCT per.user_id)::int AS people, sum(per.n)::int AS claims
           FROM per JOIN cells c ON c.home_cell7 IS NOT DISTINCT FROM per.home_cell7
          GROUP BY 1 ORDER BY people DESC`,
        [merchantId, k],
      );
      return res.rows;
    },
  };
}

export type OfferRepository = ReturnType<typeof createOfferRepository>;
