import { LRUCache } from 'lru-cache';
import type { z } from 'zod';
import type { TrendsQuery, TrendsResult } from '../contract/insight.schema.ts';
import { bigintToCell, cellDisk, cellParent, cellToBigint, snapOrigin } from '../geo/h3.ts';
import { ValidationError } from '../http/errors.ts';
import type { ActivityRepository } from '../repositories/activity.repository.ts';
import type { RegionRepository } from '../repositories/region.repository.ts';
import { addDays, K_ANONYMITY, utcDay } from './insight.rules.ts';

type Query = z.output<typeof TrendsQuery>;
type Result = z.infer<typeof TrendsResult>;

export interface TrendsDeps {
  activity: ActivityRepository;
  regions: RegionRepository;
  now?: () => Date;
  /** fewest posts with a tag in the window before it can trend (default 5) */
  minCount?: number;
}

export const BASELINE_DAYS = 28;
export const RISING_Z = 2;
const WINDOW_DAYS = { '24h': 1, '7d': 7 } as const;
const MAX_ITEMS = 20;
/** security (issue 9): fewest distinct people using a tag in the window before it is listed (and can rise) */
export const MIN_TAG_PEOPLE = 5;

/**
 * How unusual a window's count is against the same area's own daily baseline. The variance gets a Poisson floor
 * (steady counts vary at least as much as their mean) and +1, so a tag that never appeared before scores by its count:
 * six festival posts in a quiet street score ~6, twenty more of a downtown's daily forty score ~3.
 */
export function trendScore(input: {
  windowCount: number;
  baselineSum: number;
  baselineSumSquares: number;
  windowDays: number;
  baselineDays: number;
}) {
  const mean = input.baselineSum / input.baselineDays;
  const variance = Math.max(0, input.baselineSumSquares / input.baselineDays - mean * mean);
  const expected = mean * input.windowDays;
  const z = (input.windowCount - expected) / Math.sqrt(input.windowDays * Math.max(variance, mean) + 1);
  return { expected, z };
}

/**
 * Res-7 cells standing for a region: parents of its res-8 cover that are mostly (≥4 of 7 children) inside it, so a
 * neighbourhood's trends are not dominated by the next one's; a region smaller than that gets its best cell.
 */
export function regionCells7(cells8: string[]): string[] {
  const children = new Map<string, number>();
  for (const cell of cells8) {
    const parent = cellParent(bigintToCell(cell), 7);
    children.set(parent, (children.get(parent) ?? 0) + 1);
  }
  const mostly = [...children].filter(([, n]) => n >= 4).map(([c]) => c);
  if (mostly.length) return mostly;
  const best = [...children].sort((a, b) => b[1] - a[1])[0];
  return best ? [best[0]] : [];
}

type Moments = Map<string, { sum: number; sumSquares: number }>;

export function createTrendsService({ activity, regions, now = () => new Date(), minCount = 5 }: TrendsDeps) {
  // A baseline is history (whole days before the window), so it is the same all day for an area: computed once per
  // area, window and UTC day, it leaves only the window's few rows to read per request.
  const baselines = new LRUCache<string, Promise<Moments>>({ max: 2000 });

  function baseline(cells: string[], today: string, windowDays: number): Promise<Moments> {
    const key = `${today}|${windowDays}|${cells.join(',')}`;
    let entry = baselines.get(key);
    if (!entry) {
      const lastDay = addDays(today, -windowDays - 1);
      entry = activity.tagDailyMoments(cells, addDays(lastDay, -(BASELINE_DAYS - 1)), lastDay);
      entry.catch(() => baselines.delete(key));
      baselines.set(key, entry);
    }
    return entry;
  }

  /** k-anonymity of the whole area: the per-day author counts usually decide it; only in between do we count exactly. */
  async function enoughPeople(cells: string[], sinceDay: string): Promise<boolean> {
    const bounds = await activity.authorBounds(7, cells, sinceDay);
    if (bounds.lower >= K_ANONYMITY) return true;
    if (bounds.upper < K_ANONYMITY) return false;
    return (await activity.areaPeople(cells, sinceDay)) >= K_ANONYMITY;
  }

  async function area(query: Query): Promise<{ cells7: string[]; described: Result['area'] }> {
    if (query.lat !== undefined && query.lon !== undefined) {
      const origin = snapOrigin({ lat: query.lat, lon: query.lon });
      // the origin's res-7 cell and its ring: ~35 km², a part of town rather than a street
      const cells = cellDisk(cellParent(origin.cell, 7), 1);
      return { cells7: cells, described: { cells, origin } };
    }
    const region = query.region ? await regions.findBySlugOrId(query.region) : undefined;
    if (!region) throw new ValidationError([{ field: 'query.region', message: 'no such region' }]);
    const cells = regionCells7(await activity.regionCells8(region.id));
    return { cells7: cells, described: { cells, region: { id: region.id, slug: region.slug, name: region.name } } };
  }

  return {
    async trends(query: Query): Promise<Result> {
      const { cells7, described } = await area(query);
      const windowDays = WINDOW_DAYS[query.window];
      const at = now();
      const today = utcDay(at);
      const elapsed = (at.getTime() - Date.parse(`${today}T00:00:00Z`)) / 86_400_000;
      // Whole UTC days: today so far, the days before it, and the part of day (today − L) still inside the last L×24 h
      // (assuming its posts were spread evenly).
      const firstDay = addDays(today, -windowDays);
      const cells = cells7.map((c) => cellToBigint(c).toString()).sort();

      if (!(await enoughPeople(cells, firstDay))) return { window: query.window, area: described, suppressed: true, items: [] };

      const [counts, history] = await Promise.all([
        activity.tagWindowCounts(cells, firstDay, 1 - elapsed, minCount),
        baseline(cells, today, windowDays),
      ]);
      // one account posting a tag a dozen times is no trend: a tag needs MIN_TAG_PEOPLE distinct people in the window
      const people = await activity.tagPeople(
        counts.map((c) => c.tag),
        cells,
        new Date(at.getTime() - windowDays * 86_400_000),
      );
      const items = counts
        .filter(({ tag }) => (people.get(tag) ?? 0) >= MIN_TAG_PEOPLE)
        .map(({ tag, count }) => {
          const b = history.get(tag) ?? { sum: 0, sumSquares: 0 };
          const score = trendScore({
            windowCount: count,
            baselineSum: b.sum,
            baselineSumSquares: b.sumSquares,
            windowDays,
            baselineDays: BASELINE_DAYS,
          });
          return { tag, count, ...score };
        })
        .filter((t) => t.z > 0)
        .sort((a, b) => b.z - a.z || b.count - a.count)
        .slice(0, MAX_ITEMS)
        .map((t) => ({
          tag: t.tag,
          count: Math.round(t.count),
          expected: Math.round(t.expected * 10) / 10,
          z: Math.round(t.z * 100) / 100,
          rising: t.z >= RISING_Z,
        }));
      return { window: query.window, area: described, suppressed: false, items };
    },
  };
}

export type TrendsService = ReturnType<typeof createTrendsService>;
