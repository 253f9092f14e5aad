import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './notification.listener.ts';

describe('reconnectDelayMs', () => {
  it('doubles from the base and stays at the cap however long the outage lasts', () => {
    const options = { baseDelayMs: 250, maxDelayMs: 30_000 };
    const delays = Array.from({ length: 12 }, (_, attempt) => reconnectDelayMs(attempt, options));
    expect(delays.slice(0, 4)).toEqual([250, 500, 1000, 2000]);
    expect(delays.at(-1)).toBe(30_000);
    expect(reconnectDelayMs(10_000, options)).toBe(30_000); // no overflow into Infinity or NaN
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
  });
});
