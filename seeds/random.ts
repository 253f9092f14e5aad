// Deterministic randomness for the demo seed: the same seed and label always give the same stream, so the same
// arguments produce the same city. Math.random is never used.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** k distinct items (or all of them when k >= items.length), in random order. */
  sample<T>(items: readonly T[], k: number): T[];
}

/** 32-bit string hash (FNV-1a), used to derive independent sub-streams from one seed. */
function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * mulberry32: tiny, fast and good enough for synthetic data. Each concern (users, posts, engagement) gets its own
 * labelled stream so changing how one of them draws does not reshuffle the others.
 */
export function createRng(seed: number, label: string): Rng {
  let state = (seed ^ hashLabel(label)) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (!items.length) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    sample<T>(items: readonly T[], k: number): T[] {
      const copy = items.slice();
      const n = Math.min(k, copy.length);
      for (let i = 0; i < n; i++) {
        const j = i + Math.floor(next() * (copy.length - i));
        [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
      }
      return copy.slice(0, n);
    },
  };
}

/** Draws indexes in proportion to non-negative weights (cumulative sums + binary search). */
export class WeightedIndex {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(weights: ArrayLike<number>) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (!(w >= 0)) throw new Error(`weight ${i} is not a non-negative number`);
      sum += w;
      this.cumulative[i] = sum;
    }
    if (sum <= 0) throw new Error('all weights are zero');
    this.total = sum;
  }

  draw(rng: Rng): number {
    const target = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** A categorical choice from `[value, weight]` pairs. */
export class WeightedChoice<T> {
  private readonly index: WeightedIndex;
  private readonly values: T[];

  constructor(entries: readonly (readonly [T, number])[]) {
    this.values = entries.map(([v]) => v);
    this.index = new WeightedIndex(entries.map(([, w]) => w));
  }

  draw(rng: Rng): T {
    return this.values[this.index.draw(rng)] as T;
  }
}

/** Small counts with a long tail (geometric with the given mean), capped. */
export function geometricCount(rng: Rng, mean: number, max: number): number {
  const p = 1 / (1 + mean);
  let n = 0;
  while (n < max && rng.next() > p) n++;
  return n;
}
