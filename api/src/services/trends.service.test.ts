import { describe, expect, it } from 'vitest';
import { trendScore } from './trends.service.ts';

const baseline = (daily: number[]) => ({
  baselineSum: daily.reduce((a, b) => a + b, 0),
  baselineSumSquares: daily.reduce((a, b) => a + b * b, 0),
  baselineDays: daily.length,
});

describe('trend score', () => {
  it('lets a quiet area’s spike count', () => {
    const quiet = trendScore({ windowCount: 6, windowDays: 1, ...baseline(Array(28).fill(0)) });
    expect(quiet.expected).toBe(0);
    expect(quiet.z).toBeCloseTo(6);
  });

  it('does not let a busy area drown everyone', () => {
    const busy = trendScore({ windowCount: 46, windowDays: 1, ...baseline(Array.from({ length: 28 }, (_, i) => 40 + (i % 2 ? 5 : -5))) });
    expect(busy.expected).toBeCloseTo(40);
    expect(busy.z).toBeLessThan(2);
  });

  it('scales the expectation with the window length', () => {
    const week = trendScore({ windowCount: 14, windowDays: 7, ...baseline(Array(28).fill(2)) });
    expect(week.expected).toBe(14);
    expect(week.z).toBe(0);
  });
});
