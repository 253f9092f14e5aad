import type { z } from 'zod';
import type { CreateAlertBody, PinnedAlertsQuery } from '../contract/alert.schema.ts';
import { ALERT_ACK_MIN_SHOWN, ALERT_DAYS_MAX, ALERT_MINUTES_MIN } from '../contract/limits.ts';
import {
  bigintToCell,
  cellCentroid,
  cellChildren,
  cellParent,
  cellResolution,
  cellToBigint,
  distanceMeters,
  placeAtPrecision,
  snapOrigin,
} from '../geo/h3.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import { ANONYMOUS, audiencePolicy } from '../policy/audience.policy.ts';
import { moderationPolicy, type ModerationScope } from '../policy/moderation.policy.ts';
import type { AlertRepository, AlertRow } from '../repositories/alert.repository.ts';
import type { WithTransaction } from '../repositories/repositories.ts';
import type { AudienceService } from './audience.service.ts';
import type { ModerationScopeService } from './moderation-scope.service.ts';

/**
 * Official alerts (issue 13). Moderators post them for a region they moderate or for cells inside their regions (the
 * moderation policy decides, as for every other moderator act), administrators anywhere. An alert is a public post of
 * kind 'alert' plus its area; boards pin the running ones whose area covers what they show, residents press "Seen"
 * once, and the notification worker tells subscribers and residents inside (live/notification-worker.ts).
 */

type CreateInput = z.output<typeof CreateAlertBody>;
type PinnedQuery = z.output<typeof PinnedAlertsQuery>;

const PINNED_MAX = 5;
const MINUTE = 60_000;

/** Res-8 cells of an area drawn at res 7–9: a res-7 cell is its seven children, a res-9 cell its parent. */
export function toCells8(cells: string[]): string[] {
  const out = new Set<string>();
  for (const c of cells) {
    const res = cellResolution(c);
    if (res === 8) out.add(c);
    else if (res > 8) out.add(cellParent(c, 8));
    else for (const child of cellChildren(c, 8)) out.add(child);
  }
  return [...out];
}

/** What intersects an area of res-8 cells, at every resolution subscriptions and streams use (res 7, 8, 9). */
export function areaKeys(cells8: string[]): { all: string[]; children9: string[] } {
  const keys = new Set<string>();
  const children9: string[] = [];
  for (const c of cells8) {
    keys.add(cellToBigint(c).toString());
    keys.add(cellToBigint(cellParent(c, 7)).toString());
    for (const child of cellChildren(c, 9)) {
      const k = cellToBigint(child).toString();
      keys.add(k);
      children9.push(k);
    }
  }
  return { all: [...keys], children9 };
}

/** The area's cell nearest its middle: where the alert's post is anchored (so feeds around there list it too). */
function anchorOf(cells8: string[]) {
  const points = cells8.map((c) => ({ cell: c, at: cellCentroid(c) }));
  const mid = { lat: points.reduce((s, p) => s + p.at.lat, 0) / points.length, lon: points.reduce((s, p) => s + p.at.lon, 0) / points.length };
  const best = points.reduce((a, b) => (distanceMeters(b.at, mid) < distanceMeters(a.at, mid) ? b : a));
  const placed = placeAtPrecision(best.at, 8);
  const big = (c: string) => cellToBigint(c).toString();
  return {
    h3_9: big(placed.h3_9),
    h3_8: big(placed.h3_8),
    h3_7: big(placed.h3_7),
    h3_5: big(placed.h3_5),
    lat: placed.centroid.lat,
    lon: placed.centroid.lon,
  };
}

export function createAlertService(deps: {
  alerts: AlertRepository;
  scopes: ModerationScopeService;
  audience: Pick<AudienceService, 'scopeFor'>;
  withTransaction: WithTransaction;
}) {
  const { alerts, scopes, audience, withTransaction } = deps;

  function present(row: AlertRow, viewer: Viewer | undefined, withCells: boolean, now = new Date()) {
    return {
      id: String(row.post_id),
      title: row.title,
      body: row.body,
      severity: row.severity,
      link: row.link,
      // an alert speaks for an office, not a person: the moderator's name is not shown
      issuer: row.region_name ? `Moderators of ${row.region_name}` : 'Hexhood administrators',
      region: row.region_id && row.region_name ? { id: String(row.region_id), name: row.region_name } : null,
      cellCount: row.cells8.length,
      ...(withCells ? { cells: row.cells8.map((c) => bigintToCell(c)) } : {}),
      startsAt: row.starts_at.toISOString(),
      endsAt: row.ends_at.toISOString(),
      active: row.starts_at <= now && row.ends_at > now,
      seenCount: row.seen_count >= ALERT_ACK_MIN_SHOWN ? row.seen_count : null,
      seenByMe: row.seen_by_me,
      isAuthor: viewer !== undefined && row.author_id !== null && String(row.author_id) === viewer.id,
    };
  }

  /** The area as res-8 cells and the region the alert speaks for; 403 outside the viewer's regions. */
  async function resolveArea(area: CreateInput['area'], scope: ModerationScope): Promise<{ cells8: string[]; regionId: string | null }> {
    if ('region' in area) {
      const found = await scopes.regionWithChain(area.region);
      if (!found) throw new NotFoundError('Region');
      // regions are public, so "not yours" reveals nothing (as for region logs)
      if (!scopes.moderatesRegion(found.chainIds, scope)) throw new ForbiddenError('You do not moderate this region.');
      const cells8 = await alerts.regionCells(found.region.id);
      if (!cells8.length) throw new ValidationError([{ field: 'body.area.region', message: 'this region has no cells yet' }]);
      return { cells8: cells8.map((c) => bigintToCell(c)), regionId: found.region.id };
    }
    const cells8 = toCells8(area.cells);
    const regionsByCell = await alerts.regionsOfCells(cells8.map((c) => cellToBigint(c).toString()));
    // every cell must lie in a region the viewer moderates (cells are public geography: no oracle in saying so)
    const outside = cells8.filter((c) => !moderationPolicy.canModerate({ region_ids: regionsByCell.get(cellToBigint(c).toString()) ?? [] }, scope));
    if (outside.length) throw new ForbiddenError(`${outside.length} of these cells lie outside your regions.`);
    // speak for one of the viewer's own regions the first cell lies in; administrators drawing cells speak as
    // administrators
    const first = regionsByCell.get(cellToBigint(cells8[0]!).toString()) ?? [];
    const mine = first.filter((r) => scope.regionIds.includes(r));
    return { cells8, regionId: mine[mine.length - 1] ?? null };
  }

  function checkTimes(endsAtIso: string): Date {
    const endsAt = new Date(endsAtIso);
    const now = Date.now();
    if (endsAt.getTime() < now + ALERT_MINUTES_MIN * MINUTE) {
      throw new ValidationError([{ field: 'body.endsAt', message: `an alert runs at least ${ALERT_MINUTES_MIN} minutes` }]);
    }
    if (endsAt.getTime() > now + ALERT_DAYS_MAX * 86_400_000) {
      throw new ValidationError([{ field: 'body.endsAt', message: `an alert runs at most ${ALERT_DAYS_MAX} days` }]);
    }
    return endsAt;
  }

  async function readable(id: string, viewer: Viewer | undefined): Promise<AlertRow> {
    const scope = await audience.scopeFor(viewer);
    const row = await alerts.find(id, viewer?.id ?? null, audiencePolicy.readSql(scope, 'p'));
    if (!row) throw new NotFoundError('Alert');
    return row;
  }

  return {
    async create(viewer: Viewer, input: CreateInput) {
      const scope = await scopes.scopeFor(viewer);
      if (!moderationPolicy.isModerator(scope)) throw new ForbiddenError('Only moderators and administrators post official alerts.');
      const endsAt = checkTimes(input.endsAt);
      const { cells8, regionId } = await resolveArea(input.area, scope);
      const id = await withTransaction(async (tx) => {
        const postId = await tx.alerts.insert({
          authorId: viewer.id,
          title: input.title,
          body: input.body,
          severity: input.severity,
          link: input.link ?? null,
          regionId,
          cells8: cells8.map((c) => cellToBigint(c).toString()),
          endsAt,
          anchor: anchorOf(cells8),
        });
        // last in the transaction (it takes the events lock): streams watching the area show it, the worker fans out
        await tx.events.append('alert', postId, viewer.id);
        return postId;
      });
      return present((await alerts.find(id, viewer.id, { sql: 'true', bindings: [] }))!, viewer, true);
    },

    async get(id: string, viewer: Viewer | undefined) {
      return present(await readable(id, viewer), viewer, true);
    },

    /** Running alerts covering a hexagon board's cell, or the res-8 cell around a board's centre. */
    async pinned(query: PinnedQuery, viewer: Viewer | undefined) {
      const cells8 = query.cell ? toCells8([query.cell]) : [cellParent(snapOrigin({ lat: query.lat!, lon: query.lon! }).cell, 8)];
      const scope = await audience.scopeFor(viewer);
      const rows = await alerts.pinned(
        cells8.map((c) => cellToBigint(c).toString()),
        viewer?.id ?? null,
        audiencePolicy.listSql(scope, 'p'),
        PINNED_MAX,
      );
      return { items: rows.map((r) => present(r, viewer, false)) };
    },

    /** "Seen": idempotent; only on an alert the viewer can read. */
    async acknowledge(id: string, viewer: Viewer) {
      await readable(id, viewer);
      await alerts.acknowledge(id, viewer.id);
      return present(await readable(id, viewer), viewer, false);
    },

    /** Ends an alert early: its author, or a moderator of its region, or an administrator. */
    async end(id: string, viewer: Viewer) {
      const row = await readable(id, viewer);
      const scope = await scopes.scopeFor(viewer);
      const mayEnd =
        String(row.author_id) === viewer.id ||
        scope.isAdmin ||
        (row.region_id !== null && scopes.moderatesRegion((await scopes.regionWithChain(String(row.region_id)))?.chainIds ?? [], scope));
      if (!mayEnd) throw new ForbiddenError('Only its author, the moderators of its region or an administrator end an alert.');
      if (!(await alerts.end(id))) throw new ConflictError('This alert has ended already.');
      return present(await readable(id, viewer), viewer, false);
    },

    async mine(viewer: Viewer) {
      return { items: (await alerts.byAuthor(viewer.id, 50)).map((r) => present(r, viewer, false)) };
    },
  };
}

export type AlertService = ReturnType<typeof createAlertService>;

/** The worker's view of an alert's area (notification-worker.ts). */
export const alertListable = () => audiencePolicy.listSql(ANONYMOUS, 'p');
