/** The demo city's zone: event times are entered and shown in it, whatever the browser's zone. */
export const CITY_TIME_ZONE = 'Europe/Berlin';

const cityFormat = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: CITY_TIME_ZONE,
  timeZoneName: 'short',
});

/** "Sat, 24 Dec 2026, 18:00 CET (Berlin time)": an event's instant in the city's zone, with the zone named. */
export function formatEventTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${cityFormat.format(t)} (Berlin time)`;
}

/** Whether an event has started already (lists and search mark those as past). */
export function isPastEvent(iso: string | null | undefined, now = Date.now()): boolean {
  return typeof iso === 'string' && Date.parse(iso) < now;
}

/**
 * Converts a `datetime-local` value (no zone) to an ISO instant. The browser does this with its own
 * zone before submitting (compose page); without JavaScript the server assumes Berlin time, the demo
 * city's zone.
 */
export function localDateTimeToIso(local: string, timeZone = 'Europe/Berlin'): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  // The zone's offset at that moment: format the UTC guess in the zone and compare.
  const offsetAt = (t: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      })
        .formatToParts(t)
        .map((p) => [p.type, p.value]),
    );
    return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!) - t;
  };
  const instant = asUtc - offsetAt(asUtc - offsetAt(asUtc));
  return new Date(instant).toISOString();
}
