import { describe, expect, it } from 'vitest';
import { isOpenAt, openingHoursError, wallClock, weekAhead } from './opening-hours.ts';

// Opening hours are evaluated in Europe/Berlin whatever zone the process runs in.

describe('opening hours (Europe/Berlin)', () => {
  it('reads Berlin wall-clock time in winter and summer', () => {
    expect(wallClock(new Date('2026-12-06T10:00:00Z')).getHours()).toBe(11);
    expect(wallClock(new Date('2026-07-06T10:00:00Z')).getHours()).toBe(12);
  });

  it('answers open now from the Berlin time, not UTC', () => {
    // 07:30 UTC on a Monday in December is 08:30 in Berlin
    expect(isOpenAt('Mo-Fr 08:00-18:00', new Date('2026-12-07T07:30:00Z'))).toBe(true);
    expect(isOpenAt('Mo-Fr 08:00-18:00', new Date('2026-12-07T06:30:00Z'))).toBe(false);
    // Sunday
    expect(isOpenAt('Mo-Fr 08:00-18:00', new Date('2026-12-06T12:00:00Z'))).toBe(false);
    // Berlin public holiday: Christmas Day
    expect(isOpenAt('Mo-Su 08:00-18:00; PH off', new Date('2026-12-25T12:00:00Z'))).toBe(false);
    expect(isOpenAt(null)).toBe(null);
    expect(isOpenAt('not hours at all')).toBe(null);
  });

  it('says why a string is invalid', () => {
    expect(openingHoursError('Mo-Fr 08:00-18:00; Sa 09:00-14:00')).toBeNull();
    expect(openingHoursError('Mo-Fr 25:00-99:00 banana')).toMatch(/Not valid opening_hours syntax/);
  });

  it('lists the next seven days', () => {
    const week = weekAhead('Mo-Sa 08:00-18:00', new Date('2026-12-06T12:00:00Z'));
    expect(week).toHaveLength(7);
    expect(week[0]).toEqual({ date: '2026-12-06', weekday: 'Sun', ranges: [] });
    expect(week[1]).toEqual({ date: '2026-12-07', weekday: 'Mon', ranges: ['08:00–18:00'] });
  });
});
