import type { Rng } from './random.ts';

// When people post: evenings and weekends more than nights, a little more each week (the app is catching on), all in
// Berlin local time. Everything is relative to a fixed `now`, so a given --now gives the same timestamps.

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

// Relative activity per local hour 0..23 and per weekday (0 = Sunday).
const HOUR_WEIGHT = [0.3, 0.15, 0.1, 0.08, 0.08, 0.15, 0.4, 0.8, 1.1, 1.2, 1.1, 1.0, 1.2, 1.1, 1.0, 1.0, 1.1, 1.3, 1.5, 1.6, 1.6, 1.4, 1.0, 0.6];
const WEEKDAY_WEIGHT = [1.25, 1.0, 0.95, 1.0, 1.0, 1.1, 1.3];
const MAX_WEIGHT = Math.max(...HOUR_WEIGHT) * Math.max(...WEEKDAY_WEIGHT);
/** Activity at the start of the window relative to now. */
const GROWTH_FROM = 0.75;

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Berlin', timeZoneName: 'longOffset' });
const offsetCache = new Map<number, number>();

/** Europe/Berlin's UTC offset in ms at an instant (cached per UTC hour; DST switches happen on the hour). */
export function berlinOffsetMs(utcMs: number): number {
  const hour = Math.floor(utcMs / HOUR_MS);
  let offset = offsetCache.get(hour);
  if (offset === undefined) {
    const name = offsetFormat.formatToParts(new Date(hour * HOUR_MS)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * HOUR_MS + Number(m[3]) * 60_000) : 0;
    offsetCache.set(hour, offset);
  }
  return offset;
}

export class Timeline {
  readonly nowMs: number;
  readonly startMs: number;

  constructor(
    now: Date,
    readonly days: number,
  ) {
    this.nowMs = now.getTime();
    this.startMs = this.nowMs - days * DAY_MS;
  }

  private weight(utcMs: number): number {
    const local = new Date(utcMs + berlinOffsetMs(utcMs));
    const growth = GROWTH_FROM + ((1 - GROWTH_FROM) * (utcMs - this.startMs)) / (this.nowMs - this.startMs);
    return (HOUR_WEIGHT[local.getUTCHours()]! * WEEKDAY_WEIGHT[local.getUTCDay()]! * growth) / MAX_WEIGHT;
  }

  /** A moment in [fromMs, toMs) following the daily and weekly rhythm (rejection sampling). */
  draw(rng: Rng, fromMs = this.startMs, toMs = this.nowMs): number {
    for (;;) {
      const t = fromMs + rng.next() * (toMs - fromMs);
      if (rng.next() < this.weight(t)) return Math.floor(t);
    }
  }

  /** An event start a few days after it was announced, at a plausible local time on the hour or half hour. */
  eventStart(rng: Rng, createdMs: number, minDays: number, maxDays: number): number {
    const day = createdMs + (minDays + rng.next() * (maxDays - minDays)) * DAY_MS;
    const offset = berlinOffsetMs(day);
    const localMidnight = Math.floor((day + offset) / DAY_MS) * DAY_MS;
    const localStart = localMidnight + rng.pick([10, 11, 14, 15, 16, 18, 19, 20]) * HOUR_MS + rng.pick([0, 30]) * 60_000;
    return Math.max(localStart - offset, createdMs + HOUR_MS);
  }
}
