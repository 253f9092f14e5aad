import type { z } from 'zod';
import type { HexagonCollection, HexagonQuery } from '../contract/insight.schema.ts';
import { bboxCellEstimate, bboxCover, bigintToCell, cellAreaM2, cellChildren, cellPolygon, cellToBigint } from '../geo/h3.ts';
import { ValidationError } from '../http/errors.ts';
import type { ActivityRepository, CellActivity } from '../repositories/activity.repository.ts';
import { bandStarts, ladderWindow, peopleInBands, remainderSafe, showable, WINDOW_LADDER } from './aggregate-guard.ts';
import { addDays, K_ANONYMITY, utcDay } from './insight.rules.ts';

type Query = z.output<typeof HexagonQuery>;
type Collection = z.infer<typeof HexagonCollection>;
type Feature = Collection['features'][number];

export interface HexagonDeps {
  activity: ActivityRepository;
  now?: () => Date;
}

/** The most cells one request may aggregate: a whole city at res 8 (Berlin's bbox is ~2 300 cells), a region at res 7. */
export const MAX_BBOX_CELLS = 8000;
const DEFAULT_DAYS = 28;
const MAX_DAYS = 366;

type Metric = { kind: 'posts' | 'people' | 'per_household' } | { kind: 'tag'; tag: string };

function parseMetric(metric: string): Metric {
  if (metric.startsWith('tag:')) return { kind: 'tag', tag: metric.slice(4) };
  return { kind: metric as 'posts' | 'people' | 'per_household' };
}

/**
 * Which cells may be shown for ladder rung `w` (services/aggregate-guard.ts): at least K distinct people over the
 * window, and no difference with another rung isolating fewer than K. The per-day author counts give an upper bound
 * of the window's distinct people, so cells below K by it are dropped without the exact read.
 */
async function anonymous(activity: ActivityRepository, rows: CellActivity[], starts: string[], w: number) {
  const candidates = rows.filter((r) => r.sumDailyAuthors >= K_ANONYMITY);
  const bands = await activity.peopleByBand(
    candidates.map((r) => r.cell),
    starts,
  );
  const shown = candidates.filter((r) => showable(bands.get(r.cell), w));
  return { shown, people: new Map(shown.map((r) => [r.cell, peopleInBands(bands.get(r.cell), 0, w)])) };
}

/**
 * A res-7 count minus the counts of its shown res-8 children (one res-8 query over the same bbox) must not isolate
 * fewer than K people either: res-7 cells whose remainder does are left out.
 */
async function withoutLeakyRemainders(activity: ActivityRepository, shown7: CellActivity[], starts: string[], w: number, sinceDay: string) {
  if (!shown7.length) return shown7;
  const kids = shown7.flatMap((r) => cellChildren(bigintToCell(r.cell), 8).map((h) => ({ child: cellToBigint(h).toString(), parent: r.cell })));
  const bands8 = await activity.peopleByBand(
    kids.map((k) => k.child),
    starts,
  );
  const shownKids = kids.filter((k) => showable(bands8.get(k.child), w));
  const remainder = await activity.remainderPeople(
    shown7.map((r) => r.cell),
    shownKids,
    sinceDay,
  );
  return shown7.filter((r) => remainderSafe(remainder.get(r.cell) ?? 0));
}

/** Households per cell from neighbourhood densities; a res-7 cell averages its res-8 children that have a figure. */
async function householdsPerCell(activity: ActivityRepository, res: 7 | 8, cells: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const children = new Map(cells.map((c) => [c, res === 8 ? [c] : cellChildren(bigintToCell(c), 8).map((h) => cellToBigint(h).toString())]));
  const density = await activity.householdDensity([...new Set([...children.values()].flat())]);
  for (const [cell, kids] of children) {
    const known = kids.map((k) => density.get(k)).filter((d): d is number => d !== undefined);
    if (known.length) out.set(cell, (known.reduce((a, b) => a + b, 0) / known.length) * cellAreaM2(bigintToCell(cell)));
  }
  return out;
}

export function createHexagonService({ activity, now = () => new Date() }: HexagonDeps) {
  /** The ladder rung (index, first day) covering the requested first day; see aggregate-guard.ts. */
  function window(since: string | undefined): { w: number; sinceDay: string; starts: string[] } {
    const today = utcDay(now());
    let day = addDays(today, -(DEFAULT_DAYS - 1));
    if (since !== undefined) {
      day = utcDay(new Date(since.length === 10 ? `${since}T00:00:00Z` : since));
      if (day > today) throw new ValidationError([{ field: 'query.since', message: 'must not be in the future' }]);
      if (day < addDays(today, -MAX_DAYS)) throw new ValidationError([{ field: 'query.since', message: `at most ${MAX_DAYS} days back` }]);
    }
    const rung = ladderWindow(today, day);
    return { w: WINDOW_LADDER.indexOf(rung.days as (typeof WINDOW_LADDER)[number]), sinceDay: rung.sinceDay, starts: bandStarts(today) };
  }

  /**
   * Posts, people or posts per 1,000 households for the ladder rung covering `since`; cells shown by the rules of
   * aggregate-guard.ts (at least K people, no difference with another rung or with shown res-8 children isolating
   * fewer than K).
   */
  async function activityMap(kind: 'posts' | 'people' | 'per_household', query: Query, cells: string[]) {
    const { w, sinceDay, starts } = window(query.since);
    const rows = await activity.cellActivity(query.res, cells, sinceDay);
    const anon = await anonymous(activity, rows, starts, w);
    const shown = query.res === 7 ? await withoutLeakyRemainders(activity, anon.shown, starts, w, sinceDay) : anon.shown;
    let households: Map<string, number> | undefined;
    let counts: Map<string, number>;
    if (kind === 'people') counts = new Map(shown.map((r) => [r.cell, anon.people.get(r.cell) ?? 0]));
    else {
      counts = new Map(shown.map((r) => [r.cell, r.posts]));
      if (kind === 'per_household') households = await householdsPerCell(activity, query.res, [...counts.keys()]);
    }
    return { counts, households, sinceDay };
  }

  /**
   * A tag's map answers for one window only, the newest rung (the last 7 days), whatever `since` asks: with no
   * second window to difference it against, a res-7 cell is shown when at least K people used the tag there in it.
   * (Over several windows nearly every cell of an everyday tag has a few older users, and the map would be empty.)
   */
  async function tagMap(tag: string, since: string | undefined, cells: string[]) {
    window(since); // still refused when out of range, like every map
    const starts = bandStarts(utcDay(now()));
    const sinceDay = starts[0]!;
    const people = await activity.tagPeopleByBand(tag, cells, [sinceDay]);
    const shown = cells.filter((c) => peopleInBands(people.get(c), 0, 0) >= K_ANONYMITY);
    return { counts: await activity.tagCounts(tag, shown, sinceDay), households: undefined, sinceDay };
  }

  return {
    async hexagons(query: Query): Promise<Collection> {
      const [west, south, east, north] = query.bbox;
      if (west >= east || south >= north)
        throw new ValidationError([{ field: 'query.bbox', message: 'west must be less than east and south less than north' }]);
      if (bboxCellEstimate(query.bbox, query.res) > MAX_BBOX_CELLS) {
        throw new ValidationError([
          { field: 'query.bbox', message: `too large for res ${query.res}; zoom in${query.res === 8 ? ' or use res 7' : ''}` },
        ]);
      }
      const metric = parseMetric(query.metric);
      if (metric.kind === 'tag' && query.res !== 7)
        throw new ValidationError([{ field: 'query.metric', message: 'tag heat maps are available at res 7' }]);
      const cells = bboxCover(query.bbox, query.res).map((c) => cellToBigint(c).toString());
      const { counts, households, sinceDay } =
        metric.kind === 'tag' ? await tagMap(metric.tag, query.since, cells) : await activityMap(metric.kind, query, cells);

      const features: Feature[] = [];
      for (const [cell, count] of counts) {
        if (count <= 0) continue;
        const hex = bigintToCell(cell);
        const props: Feature['properties'] = { cell: hex, count, value: count };
        if (households) {
          const h = households.get(cell);
          if (!h || h < 1) continue; // no household figure here: nothing to normalise by
          props.value = Math.round((count / h) * 1000 * 100) / 100;
          props.households = Math.round(h);
        }
        features.push({
          type: 'Feature',
          id: hex,
          geometry: { type: 'Polygon', coordinates: [cellPolygon(hex) as [number, number][]] },
          properties: props,
        });
      }
      features.sort((a, b) => a.id.localeCompare(b.id));
      return {
        type: 'FeatureCollection',
        features,
        metric: query.metric,
        res: query.res,
        since: sinceDay,
        minPeople: K_ANONYMITY,
        maxValue: features.reduce((m, f) => Math.max(m, f.properties.value), 0),
      };
    },
  };
}

export type HexagonService = ReturnType<typeof createHexagonService>;
