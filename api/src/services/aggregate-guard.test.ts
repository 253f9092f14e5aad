import { describe, expect, it } from 'vitest';
import { bandStarts, ladderWindow, peopleInBands, showable } from './aggregate-guard.ts';

describe('aggregate guard', () => {
  it('widens a since to the ladder rung that covers it', () => {
    expect(ladderWindow('2026-12-06', '2026-12-06')).toEqual({ days: 7, sinceDay: '2026-11-30' });
    expect(ladderWindow('2026-12-06', '2026-11-30')).toEqual({ days: 7, sinceDay: '2026-11-30' });
    expect(ladderWindow('2026-12-06', '2026-11-29')).toEqual({ days: 28, sinceDay: '2026-11-09' });
    expect(ladderWindow('2026-12-06', '2025-01-01')).toEqual({ days: 365, sinceDay: '2025-12-07' });
    expect(bandStarts('2026-12-06')).toEqual(['2026-11-30', '2026-11-09', '2026-09-07', '2025-12-07']);
  });

  it('counts people over band ranges from masks', () => {
    const masks = new Map([
      [0b0001, 3],
      [0b0011, 2],
      [0b0100, 4],
    ]);
    expect(peopleInBands(masks, 0, 0)).toBe(5);
    expect(peopleInBands(masks, 1, 1)).toBe(2);
    expect(peopleInBands(masks, 1, 2)).toBe(6);
    expect(peopleInBands(masks, 0, 3)).toBe(9);
  });

  it('shows a window only when it and every difference with another rung are safe', () => {
    // 12 people last week, the same 12 before: differences with wider rungs cover the same 12 (≥10) → shown
    expect(showable(new Map([[0b1111, 12]]), 0)).toBe(true);
    // 12 people in the 7-day window, 2 more only in days 8-28: 28-day minus 7-day would isolate 2 people
    const leaky = new Map([
      [0b0001, 12],
      [0b0010, 2],
    ]);
    expect(showable(leaky, 0)).toBe(false);
    expect(showable(leaky, 1)).toBe(false);
    // too few people at all
    expect(showable(new Map([[0b0001, 9]]), 0)).toBe(false);
  });
});
