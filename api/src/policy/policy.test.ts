import { describe, expect, it } from 'vitest';
import { cellToBigint } from '../geo/h3.ts';
import { ANONYMOUS, audiencePolicy } from './audience.policy.ts';

const cell7 = '871f1d489ffffff';
const neighbour = { viewerId: '7', neighborCells7: [cellToBigint(cell7).toString()], regionIds: ['3', '4'] };
const row = (over: Record<string, unknown>) => ({
  audience: 'public',
  author_id: '1',
  h3_7: cellToBigint(cell7).toString(),
  region_id: '3',
  status: 'visible',
  deleted_at: null,
  ...over,
});

describe('audience policy compilation', () => {
  it('keeps constants in the SQL text (partial indexes need them) and scope values in bindings', () => {
    const { sql, bindings } = audiencePolicy.listSql(neighbour, 'p');
    expect(sql).toContain(`p.status = 'visible'`);
    expect(sql).toContain('p.deleted_at IS NULL');
    expect(sql).toContain('p.h3_7 = ANY(?::bigint[])');
    expect(bindings).toEqual(['7', neighbour.neighborCells7, ['3', '4']]);
  });

  it('drops terms whose scope value is missing instead of widening them', () => {
    const { sql, bindings } = audiencePolicy.listSql(ANONYMOUS);
    expect(sql).not.toMatch(/author_id|neighbors|region'/);
    expect(bindings).toEqual([]);
    expect(audiencePolicy.searchFilter(ANONYMOUS)).toBe('(((audience = "public")))');
  });

  it('writes cells as hex in the search filter and as bigint strings in SQL', () => {
    const filter = audiencePolicy.searchFilter(neighbour);
    expect(filter).toContain(`h3_7 IN ["${cell7}"]`);
    expect(filter).toContain('author_id = "7"');
  });

  it('checks rows in JS with the same terms', () => {
    expect(audiencePolicy.canList(row({ audience: 'neighbors', author_id: '2' }), neighbour)).toBe(true);
    expect(audiencePolicy.canList(row({ audience: 'neighbors', author_id: '2' }), ANONYMOUS)).toBe(false);
    expect(audiencePolicy.canList(row({ audience: 'region', region_id: '9' }), neighbour)).toBe(false);
    expect(audiencePolicy.canRead(row({ status: 'hidden', author_id: '7' }), neighbour)).toBe(true);
    expect(audiencePolicy.canList(row({ status: 'hidden', author_id: '7' }), neighbour)).toBe(false);
    expect(audiencePolicy.canRead(row({ deleted_at: new Date(), author_id: '7' }), neighbour)).toBe(false);
  });

  it('says which posts belong in the search index', () => {
    expect(audiencePolicy.indexableSql('p')).toEqual({ sql: `p.status = 'visible' AND p.deleted_at IS NULL`, bindings: [] });
  });

  // issue 13: blocks and mutes
  describe('hidden authors (blocks, mutes)', () => {
    const blocking = { ...neighbour, blockedAuthorIds: ['1'], hiddenAuthorIds: ['1', '5'] };

    it('costs a viewer without blocks or mutes nothing: the same SQL and filter as before', () => {
      const plain = audiencePolicy.listSql(neighbour, 'p');
      expect(audiencePolicy.listSql({ ...neighbour, blockedAuthorIds: [], hiddenAuthorIds: [] }, 'p')).toEqual(plain);
      expect(plain.sql).not.toContain('<> ALL');
      expect(audiencePolicy.searchFilter({ ...neighbour, hiddenAuthorIds: [] })).toBe(audiencePolicy.searchFilter(neighbour));
      expect(audiencePolicy.readSql({ ...neighbour, blockedAuthorIds: [] })).toEqual(audiencePolicy.readSql(neighbour));
    });

    it('compiles to `<> ALL` with one array binding, and NOT IN in the search filter', () => {
      const list = audiencePolicy.listSql(blocking, 'p');
      expect(list.sql).toContain('p.author_id <> ALL(?::bigint[])');
      expect(list.bindings).toContainEqual(['1', '5']);
      const read = audiencePolicy.readSql(blocking, 'p');
      expect(read.bindings).toContainEqual(['1']);
      expect(read.bindings).not.toContainEqual(['1', '5']);
      expect(audiencePolicy.searchFilter(blocking)).toContain('author_id NOT IN ["1", "5"]');
    });

    it('lists leave out blocked and muted authors; a single read leaves out blocked ones only', () => {
      expect(audiencePolicy.canList(row({ author_id: '1' }), blocking)).toBe(false);
      expect(audiencePolicy.canList(row({ author_id: '5' }), blocking)).toBe(false);
      expect(audiencePolicy.canList(row({ author_id: '2' }), blocking)).toBe(true);
      expect(audiencePolicy.canRead(row({ author_id: '1' }), blocking)).toBe(false);
      expect(audiencePolicy.canRead(row({ author_id: '5' }), blocking)).toBe(true);
    });

    it('never hides the viewer from themselves and applies to comments by author', () => {
      expect(audiencePolicy.canRead(row({ author_id: '7', status: 'hidden' }), blocking)).toBe(true);
      expect(audiencePolicy.authorShown('5', blocking)).toBe(false);
      expect(audiencePolicy.authorShown('2', blocking)).toBe(true);
      expect(audiencePolicy.authorShown('5', neighbour)).toBe(true);
      expect(audiencePolicy.authorShownSql(blocking, 'c')).toEqual({ sql: 'c.author_id <> ALL(?::bigint[]) AND ((true))', bindings: [['1', '5']] });
    });
  });
});
