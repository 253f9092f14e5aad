import { describe, expect, it } from 'vitest';
import { cellChildren, cellParent, cellToBigint, pointToCell } from '../geo/h3.ts';
import { areaKeys, toCells8 } from './alert.service.ts';

// An alert's area is kept as res-8 cells; what moderators draw (res 7–9) and what subscriptions and streams hold
// (res 7–9) must meet it exactly where the cells nest.

const at = { lat: 52.5219, lon: 13.4132 };
const c9 = pointToCell(at, 9);
const c8 = cellParent(c9, 8);
const c7 = cellParent(c9, 7);
const big = (c: string) => cellToBigint(c).toString();

describe('alert areas', () => {
  it('turn drawn cells into res-8 cells: a res-9 cell its parent, a res-7 cell its seven children, no duplicates', () => {
    expect(toCells8([c9, c8])).toEqual([c8]);
    const from7 = toCells8([c7]);
    expect(from7).toHaveLength(7);
    expect(from7).toEqual(cellChildren(c7, 8));
    expect(from7).toContain(c8);
  });

  it('meet watches and subscriptions at every resolution that overlaps, and nothing else', () => {
    const keys = areaKeys([c8]);
    expect(new Set(keys.all)).toEqual(new Set([big(c8), big(c7), ...cellChildren(c8, 9).map(big)]));
    expect(keys.children9).toHaveLength(7);
    expect(keys.children9).toContain(big(c9));
    // a neighbouring res-8 cell in the same res-7 parent is not part of the area (only the parent key matches it)
    const sibling = cellChildren(c7, 8).find((c) => c !== c8)!;
    expect(keys.all).not.toContain(big(sibling));
  });
});
