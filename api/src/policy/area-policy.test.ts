import { describe, expect, it } from 'vitest';
import { cellToBigint } from '../geo/h3.ts';
import { ANONYMOUS, audiencePolicy } from './audience.policy.ts';

// Shop offers (issue 10): the 'area' audience term — "the viewer's home res-8 cell is one of the offer's target
// cells" — in its three forms.

const home8 = '881f1d4891fffff';
const other8 = '881f1d4893fffff';
const resident = { viewerId: '7', neighborCells7: [], regionIds: [], homeCells8: [cellToBigint(home8).toString()] };
const offer = (cells: string[]) => ({
  audience: 'area',
  author_id: '1',
  h3_7: '1',
  region_id: null,
  status: 'visible',
  deleted_at: null,
  target_cells8: cells.map((c) => cellToBigint(c).toString()),
});

describe('area audience (shop offers)', () => {
  it('lets residents of a target cell list the offer, nobody else', () => {
    expect(audiencePolicy.canList(offer([other8, home8]), resident)).toBe(true);
    expect(audiencePolicy.canList(offer([other8]), resident)).toBe(false);
    expect(audiencePolicy.canList(offer([home8]), ANONYMOUS)).toBe(false);
    expect(audiencePolicy.canList(offer([home8]), { ...resident, homeCells8: [] })).toBe(false);
    // the shop's own author still sees it
    expect(audiencePolicy.canList(offer([other8]), { ...resident, viewerId: '1' })).toBe(true);
  });

  it('compiles to an array overlap in SQL and to IN on the array attribute in the search filter', () => {
    const { sql, bindings } = audiencePolicy.listSql(resident, 'p');
    expect(sql).toContain(`p.audience = 'area' AND p.target_cells8 && ?::bigint[]`);
    expect(bindings).toContainEqual(resident.homeCells8);
    expect(audiencePolicy.searchFilter(resident)).toContain(`target_cells8 IN ["${home8}"]`);
    expect(audiencePolicy.listSql(ANONYMOUS).sql).not.toContain('target_cells8');
  });
});
