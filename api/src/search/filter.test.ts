import { describe, expect, it } from 'vitest';
import { and, compare, eq, inList, or, quote } from './filter.ts';

describe('Meilisearch filter building', () => {
  it('quotes and escapes every value so it stays one string literal', () => {
    expect(quote('kiez')).toBe('"kiez"');
    expect(quote('a"b')).toBe('"a\\"b"');
    expect(quote('a\\')).toBe('"a\\\\"');
    expect(quote('x" OR audience = "neighbors')).toBe('"x\\" OR audience = \\"neighbors"');
    expect(quote('\\" OR 1')).toBe('"\\\\\\" OR 1"');
    expect(quote('x'.repeat(10_000))).toHaveLength(10_002);
  });

  it('keeps values inside their clause', () => {
    expect(eq('tags', '") OR ("')).toBe('tags = "\\") OR (\\""');
    expect(inList('h3_7', ['a', 'b"c'])).toBe('h3_7 IN ["a", "b\\"c"]');
    expect(and(eq('kind', 'post'), undefined, false, or(eq('tags', 'a'), eq('tags', 'b')))).toBe(
      '(kind = "post") AND ((tags = "a") OR (tags = "b"))',
    );
  });

  it('accepts only safe integers for comparisons', () => {
    expect(compare('created_at', '<', 1700000000000)).toBe('created_at < 1700000000000');
    expect(() => compare('id', '<', Number.NaN)).toThrow();
    expect(() => compare('id', '<', 1.5)).toThrow();
  });
});
