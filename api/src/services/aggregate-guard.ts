import { addDays, K_ANONYMITY } from './insight.rules.ts';

// security (issue 9, item 3): no two aggregate queries combined may reveal a count for fewer than K people.
//
// Heat maps answer for a fixed ladder of windows ending today (7, 28, 91 or 365 days; a `since` in between widens to
// the next rung), so the only differences between two answers for a cell are whole bands of that ladder. A cell's
// count for one window is shown only when its own people reach K AND, against every other rung, the people of the
// band-range between the two are none or at least K. Cells are whole (a bbox only picks cells), so two bboxes
// differ only by whole cells, each of which passed the rule on its own.

/** The windows a heat map answers for, in days ending today. */
export const WINDOW_LADDER = [7, 28, 91, 365] as const;

/** The rung covering a requested first day: the shortest window that includes it. */
export function ladderWindow(today: string, sinceDay: string): { days: number; sinceDay: string } {
  for (const days of WINDOW_LADDER) {
    const first = addDays(today, -(days - 1));
    if (first <= sinceDay) return { days, sinceDay: first };
  }
  const days = WINDOW_LADDER[WINDOW_LADDER.length - 1]!;
  return { days, sinceDay: addDays(today, -(days - 1)) };
}

/** First day of each band: band 0 is the newest rung, band i the days the rung i adds to rung i-1. */
export function bandStarts(today: string): string[] {
  return WINDOW_LADDER.map((days) => addDays(today, -(days - 1)));
}

/** People per cell by band mask: bit i set = the person posted in band i. */
export type BandPeople = Map<string, Map<number, number>>;

/** Distinct people who posted in any band from a to b (inclusive). */
export function peopleInBands(masks: Map<number, number> | undefined, a: number, b: number): number {
  if (!masks) return 0;
  let range = 0;
  for (let i = a; i <= b; i++) range |= 1 << i;
  let n = 0;
  for (const [mask, people] of masks) if (mask & range) n += people;
  return n;
}

const safe = (people: number) => people === 0 || people >= K_ANONYMITY;

/**
 * Whether a cell's count for rung `w` may be shown: at least K people in it, and every difference with another rung
 * (the bands between them) covers none or at least K people.
 */
export function showable(masks: Map<number, number> | undefined, w: number): boolean {
  if (peopleInBands(masks, 0, w) < K_ANONYMITY) return false;
  for (let other = 0; other < WINDOW_LADDER.length; other++) {
    if (other === w) continue;
    const [lo, hi] = other < w ? [other + 1, w] : [w + 1, other];
    if (!safe(peopleInBands(masks, lo, hi))) return false;
  }
  return true;
}

/** A res-7 count minus its shown res-8 children leaves a remainder; it must cover none or at least K people. */
export const remainderSafe = safe;
