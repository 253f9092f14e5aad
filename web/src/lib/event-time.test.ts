import { describe, expect, it } from 'vitest';
import { formatEventTime, isPastEvent, localDateTimeToIso } from './event-time';

describe('event times in the city zone', () => {
  it('reads a datetime-local value as Berlin time and shows it back in Berlin time with the zone named', () => {
    expect(localDateTimeToIso('2030-06-21T11:00')).toBe('2030-06-21T09:00:00.000Z'); // CEST
    expect(localDateTimeToIso('2030-12-24T18:00')).toBe('2030-12-24T17:00:00.000Z'); // CET
    expect(formatEventTime('2030-06-21T09:00:00.000Z')).toMatch(/11:00.*Berlin time/);
    expect(formatEventTime('2030-12-24T17:00:00.000Z')).toMatch(/18:00 CET \(Berlin time\)/);
  });

  it('marks events that have started as past', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    expect(isPastEvent('2026-12-06T11:59:00Z', now)).toBe(true);
    expect(isPastEvent('2026-12-06T12:01:00Z', now)).toBe(false);
    expect(isPastEvent(null, now)).toBe(false);
  });
});
