import { LRUCache } from 'lru-cache';
import ohModule from 'opening_hours';

/**
 * OSM opening_hours strings evaluated with the `opening_hours` library (the standard's reference implementation) in the
 * city's zone, Europe/Berlin, with Berlin's public holidays — whatever zone this process runs in. The library reads a
 * Date's *local* fields, so it is handed "wall-clock" dates whose local fields are Berlin's time, and its answers are
 * mapped back to real instants.
 *
 * "Open now" for many shops is a lookup: most strings repeat ("Mo-Fr 08:00-18:00"), and each string's state is cached
 * until its next change.
 */

// the package is CommonJS with a class default export
const OpeningHours = ((ohModule as unknown as { default?: typeof ohModule }).default ?? ohModule) as unknown as new (
  value: string,
  nominatim?: { lat: number; lon: number; address: { country_code: string; state: string } } | null,
  conf?: { mode?: number; tag_key?: string } | null,
) => {
  getState(date?: Date): boolean;
  getUnknown(date?: Date): boolean;
  getNextChange(date?: Date, maxdate?: Date): Date | undefined;
  getOpenIntervals(from: Date, to: Date): [Date, Date, boolean, string | undefined][];
  getWarnings(): string[];
  prettifyValue(): string;
};
type Parsed = InstanceType<typeof OpeningHours>;

export const CITY_ZONE = 'Europe/Berlin';
const BERLIN = { lat: 52.52, lon: 13.405, address: { country_code: 'de', state: 'Berlin' } };

const parts = new Intl.DateTimeFormat('en-CA', {
  timeZone: CITY_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** A Date whose local fields read as the Berlin wall-clock time of `instant`. */
export function wallClock(instant: Date): Date {
  const p = Object.fromEntries(parts.formatToParts(instant).map((x) => [x.type, x.value]));
  return new Date(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
}

// false: the string does not parse
const parsedCache = new LRUCache<string, Parsed | false>({ max: 20_000 });

function parse(value: string): Parsed | null {
  const hit = parsedCache.get(value);
  if (hit !== undefined) return hit || null;
  let parsed: Parsed | false;
  try {
    parsed = new OpeningHours(value, BERLIN, { mode: 0, tag_key: 'opening_hours' });
  } catch {
    parsed = false;
  }
  parsedCache.set(value, parsed);
  return parsed || null;
}

/** Why a string is not valid opening_hours syntax, or null when it is. */
export function openingHoursError(value: string): string | null {
  try {
    new OpeningHours(value, BERLIN, { mode: 0, tag_key: 'opening_hours' });
    return null;
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return `Not valid opening_hours syntax (e.g. "Mo-Fr 08:00-18:00; Sa 09:00-14:00"): ${text.split('\n')[0]!.slice(0, 200)}`;
  }
}

interface CachedState {
  open: boolean | null;
  /** real instant (ms) until which `open` holds */
  until: number;
}
const stateCache = new LRUCache<string, CachedState>({ max: 50_000 });
const WEEK_MS = 7 * 86_400_000;

/** true/false, or null when the string is missing or unparseable, or the shop's state is "unknown" now. */
export function isOpenAt(value: string | null, now: Date = new Date()): boolean | null {
  if (!value) return null;
  const t = now.getTime();
  const cached = stateCache.get(value);
  if (cached && t < cached.until && t >= cached.until - WEEK_MS) return cached.open;
  const oh = parse(value);
  if (!oh) {
    stateCache.set(value, { open: null, until: t + WEEK_MS });
    return null;
  }
  const wall = wallClock(now);
  const open = oh.getUnknown(wall) ? null : oh.getState(wall);
  const next = oh.getNextChange(wall, new Date(wall.getTime() + WEEK_MS));
  // next change in wall-clock time → the same offset from now in real time (a DST switch in between moves it by an
  // hour; cap the validity so such an error heals within a minute of the change)
  const until = next ? t + Math.max(1000, next.getTime() - wall.getTime()) : t + 60 * 60_000;
  stateCache.set(value, { open, until: Math.min(until, t + 6 * 60 * 60_000) });
  return open;
}

export interface DayHours {
  /** ISO date in Berlin */
  date: string;
  weekday: string;
  /** "08:00–18:00" ranges, local time; empty when closed all day */
  ranges: string[];
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const hhmm = (d: Date) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;

/** Open intervals for the next seven Berlin days, for the shop page. */
export function weekAhead(value: string | null, now: Date = new Date()): DayHours[] {
  const oh = value ? parse(value) : null;
  const wall = wallClock(now);
  const start = new Date(wall.getFullYear(), wall.getMonth(), wall.getDate());
  const days: DayHours[] = [];
  for (let i = 0; i < 7; i++) {
    const from = new Date(start.getFullYear(), start.getMonth(), start.getDate() + i);
    const to = new Date(start.getFullYear(), start.getMonth(), start.getDate() + i + 1);
    const ranges = oh
      ? oh
          .getOpenIntervals(from, to)
          .map(([a, b, unknown]) => `${hhmm(a)}–${b.getTime() === to.getTime() ? '24:00' : hhmm(b)}${unknown ? ' (?)' : ''}`)
      : [];
    const iso = `${from.getFullYear()}-${String(from.getMonth() + 1).padStart(2, '0')}-${String(from.getDate()).padStart(2, '0')}`;
    days.push({ date: iso, weekday: WEEKDAYS[from.getDay()]!, ranges });
  }
  return days;
}
