import type { FeedCover } from '../geo/h3.ts';

// Builds Meilisearch filter expressions. Attribute names come from this code only; every value is quoted and escaped
// here, so no user input can change a filter's structure (no closing quote, no OR, no parenthesis escapes a value).

export type FilterAttribute =
  'id' | 'kind' | 'tags' | 'audience' | 'author_id' | 'h3_7' | 'h3_8' | 'h3_9' | 'region_id' | 'regions' | 'created_at' | 'target_cells8';

/** A double-quoted Meilisearch string literal: backslash and double quote are the only escapes it knows. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function integer(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`filter value must be a safe integer, got ${value}`);
  return String(value);
}

export const eq = (attr: FilterAttribute, value: string) => `${attr} = ${quote(value)}`;

/** `attr IN [...]`; an empty list matches nothing, which Meilisearch also accepts. */
export const inList = (attr: FilterAttribute, values: readonly string[]) => `${attr} IN [${values.map(quote).join(', ')}]`;

/** `attr NOT IN [...]` (issue 13: authors a viewer hides). Callers leave it out for an empty list. */
export const notInList = (attr: FilterAttribute, values: readonly string[]) => `${attr} NOT IN [${values.map(quote).join(', ')}]`;

export const compare = (attr: FilterAttribute, op: '<' | '<=' | '>' | '>=' | '=', value: number) => `${attr} ${op} ${integer(value)}`;

export const and = (...parts: (string | undefined | false)[]) => {
  const kept = parts.filter((p): p is string => Boolean(p));
  return kept.length ? kept.map((p) => `(${p})`).join(' AND ') : '';
};

export const or = (...parts: (string | undefined | false)[]) => {
  const kept = parts.filter((p): p is string => Boolean(p));
  return kept.length ? kept.map((p) => `(${p})`).join(' OR ') : '';
};

/** Posts whose display cell lies in a feed cover: each cover cell is matched on the column of its resolution. */
export function coverFilter(cover: FeedCover): string {
  return or(
    cover.res7.length > 0 && inList('h3_7', cover.res7),
    cover.res8.length > 0 && inList('h3_8', cover.res8),
    cover.res9.length > 0 && inList('h3_9', cover.res9),
  );
}
