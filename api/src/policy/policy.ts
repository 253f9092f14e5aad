import { bigintToCell } from '../geo/h3.ts';
import { and as filterAnd, eq as filterEq, inList, notInList, or as filterOr, type FilterAttribute } from '../search/filter.ts';

/**
 * A visibility rule written once, as data, and compiled to the three places it must hold: a JS check on a row, a SQL
 * condition (bound parameters only) and a Meilisearch filter. The rule is `all` of some predicates AND `any` of some
 * terms (each term a conjunction). Predicates compare a row's column with a constant or with a value taken from the
 * viewer's scope; a scope value that is missing (null, or an empty list) makes its term false — it never widens a rule.
 * The one exception is `notInScope` (an exclusion list, e.g. the authors a viewer blocked or muted): an empty list
 * excludes nothing, and then compiles to no SQL and no filter at all, so a viewer without such a list pays nothing.
 *
 * Why data rather than three hand-written copies: the copies drifted once already (a JS check and the feed SQL disagreed
 * about hidden posts), and new audiences (offers' target areas, moderators' regions) plug in as terms here.
 */

/** How a column's values look. `cell`: an H3 index kept as a bigint string in rows and SQL, as hex in the index. */
export type FieldType = 'text' | 'bigint' | 'cell';

export interface Field {
  column: string;
  type: FieldType;
  /** the search-index attribute holding this column; absent when the index does not hold it */
  attribute?: FilterAttribute;
}

export type Predicate<S> =
  | { op: 'eq'; field: Field; value: string }
  | { op: 'eqScope'; field: Field; value: (scope: S) => string | null }
  | { op: 'inScope'; field: Field; values: (scope: S) => readonly string[] }
  | { op: 'isNull'; field: Field }
  /** an array column shares at least one value with a scope list (`&&`, GIN-indexable) */
  | { op: 'overlapsScope'; field: Field; values: (scope: S) => readonly string[] }
  /**
   * the column's value is not in a scope list (`<> ALL`, `NOT IN`); an empty list holds for every row. For NOT NULL
   * columns only (SQL would drop a NULL the JS check keeps)
   */
  | { op: 'notInScope'; field: Field; values: (scope: S) => readonly string[] }
  /** a fact about the viewer alone (e.g. a global administrator): true or the term drops out */
  | { op: 'scopeFlag'; test: (scope: S) => boolean };

export interface Policy<S> {
  all: Predicate<S>[];
  any: Predicate<S>[][];
}

export interface SqlCondition {
  sql: string;
  bindings: (string | string[])[];
}

type Row = Record<string, unknown>;

const asText = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function holds<S>(p: Predicate<S>, row: Row, scope: S): boolean {
  if (p.op === 'scopeFlag') return p.test(scope);
  if (p.op === 'overlapsScope') {
    const actual = row[p.field.column];
    const wanted = new Set(p.values(scope));
    return Array.isArray(actual) && actual.some((v) => wanted.has(String(v)));
  }
  const actual = asText(row[p.field.column]);
  switch (p.op) {
    case 'eq':
      return actual === p.value;
    case 'eqScope': {
      const wanted = p.value(scope);
      return wanted !== null && actual === wanted;
    }
    case 'inScope':
      return actual !== null && p.values(scope).includes(actual);
    case 'notInScope':
      return actual === null || !p.values(scope).includes(actual);
    case 'isNull':
      return row[p.field.column] === null || row[p.field.column] === undefined;
  }
}

/** The rule as a JS check on a row (column names as in SQL). */
export function matches<S>(policy: Policy<S>, row: Row, scope: S): boolean {
  return policy.all.every((p) => holds(p, row, scope)) && policy.any.some((term) => term.every((p) => holds(p, row, scope)));
}

const SQL_ARRAY: Record<FieldType, string> = { text: 'text[]', bigint: 'bigint[]', cell: 'bigint[]' };
const SQL_SCALAR: Record<FieldType, string> = { text: 'text', bigint: 'bigint', cell: 'bigint' };

function sqlLiteral(value: string): string {
  // knex reads `?` as a placeholder even inside quotes
  if (value.includes('?')) throw new Error('policy constants cannot contain "?"');
  return `'${value.replace(/'/g, "''")}'`;
}

const TRUE: SqlCondition = { sql: 'true', bindings: [] };

/** One predicate as SQL; undefined when the scope makes it false (its term then drops out), TRUE when it holds for all. */
function predicateSql<S>(p: Predicate<S>, scope: S, prefix: string): SqlCondition | undefined {
  if (p.op === 'scopeFlag') return p.test(scope) ? { sql: 'true', bindings: [] } : undefined;
  const column = `${prefix}${p.field.column}`;
  switch (p.op) {
    case 'eq':
      // Constants are written into the text (they come from this code, never from a request): the planner must see
      // `status = 'visible'` to use the partial feed indexes in a prepared statement's generic plan.
      return { sql: `${column} = ${sqlLiteral(p.value)}`, bindings: [] };
    case 'eqScope': {
      const value = p.value(scope);
      return value === null ? undefined : { sql: `${column} = ?::${SQL_SCALAR[p.field.type]}`, bindings: [value] };
    }
    case 'inScope': {
      const values = p.values(scope);
      return values.length ? { sql: `${column} = ANY(?::${SQL_ARRAY[p.field.type]})`, bindings: [[...values]] } : undefined;
    }
    case 'overlapsScope': {
      const values = p.values(scope);
      return values.length ? { sql: `${column} && ?::${SQL_ARRAY[p.field.type]}`, bindings: [[...values]] } : undefined;
    }
    case 'notInScope': {
      // one array binding (`<> ALL`, not `NOT IN (?, ?, …)`) keeps the statement text the same whatever the list's
      // length: one prepared plan for every viewer who hides someone
      const values = p.values(scope);
      return values.length ? { sql: `${column} <> ALL(?::${SQL_ARRAY[p.field.type]})`, bindings: [[...values]] } : TRUE;
    }
    case 'isNull':
      return { sql: `${column} IS NULL`, bindings: [] };
  }
}

/** Drops conditions that hold for every row (an empty exclusion list), so they add nothing to the statement. */
const informative = (parts: SqlCondition[]) => parts.filter((p) => p !== TRUE);

function conjunction(parts: SqlCondition[]): SqlCondition {
  if (!parts.length) return { sql: 'true', bindings: [] };
  return { sql: parts.map((p) => p.sql).join(' AND '), bindings: parts.flatMap((p) => p.bindings) };
}

/** The rule as a SQL condition with bindings; `alias` qualifies the columns (e.g. "p"). */
export function toSql<S>(policy: Policy<S>, scope: S, alias?: string): SqlCondition {
  const prefix = alias ? `${alias}.` : '';
  const all = policy.all.map((p) => predicateSql(p, scope, prefix));
  if (all.some((p) => p === undefined)) return { sql: 'false', bindings: [] };
  const terms = policy.any
    .map((term) => term.map((p) => predicateSql(p, scope, prefix)))
    .filter((term): term is SqlCondition[] => term.every((p) => p !== undefined))
    .map((term) => conjunction(informative(term)));
  const any: SqlCondition = terms.length
    ? { sql: `(${terms.map((t) => `(${t.sql})`).join(' OR ')})`, bindings: terms.flatMap((t) => t.bindings) }
    : { sql: 'false', bindings: [] };
  return conjunction([...informative(all as SqlCondition[]), any]);
}

const indexValue = (field: Field, value: string) => (field.type === 'cell' ? bigintToCell(value) : value);

/** Stands for "holds for every document" in a filter: left out of the conjunction. */
const EVERYTHING = '';

function predicateFilter<S>(p: Predicate<S>, scope: S): string | undefined | null {
  // a fact about the viewer alone has no search-index form: a term using it makes toFilter refuse
  if (p.op === 'scopeFlag') return null;
  const attr = p.field.attribute;
  if (!attr) return null;
  switch (p.op) {
    case 'eq':
      return filterEq(attr, indexValue(p.field, p.value));
    case 'eqScope': {
      const value = p.value(scope);
      return value === null ? undefined : filterEq(attr, indexValue(p.field, value));
    }
    case 'inScope':
    case 'overlapsScope': {
      // on an array attribute Meilisearch's IN matches when any element is in the list
      const values = p.values(scope);
      return values.length
        ? inList(
            attr,
            values.map((v) => indexValue(p.field, v)),
          )
        : undefined;
    }
    case 'notInScope': {
      const values = p.values(scope);
      return values.length
        ? notInList(
            attr,
            values.map((v) => indexValue(p.field, v)),
          )
        : EVERYTHING;
    }
    case 'isNull':
      return null;
  }
}

/**
 * The rule as a Meilisearch filter. Predicates of `all` on columns the index does not hold are what the index
 * guarantees by construction (only rows meeting them are indexed — see `indexableSql`); a term may only use indexed
 * columns. Returns a filter that matches nothing when no term can match.
 */
export function toFilter<S>(policy: Policy<S>, scope: S): string {
  const all = policy.all.map((p) => predicateFilter(p, scope));
  if (all.some((p) => p === undefined)) return NOTHING;
  const terms: string[] = [];
  for (const term of policy.any) {
    const parts = term.map((p) => predicateFilter(p, scope));
    if (!parts.length || parts.some((p) => p === null)) throw new Error('a policy term must test columns the search index holds');
    if (parts.every((p): p is string => typeof p === 'string')) terms.push(filterAnd(...parts) || ALWAYS);
  }
  if (!terms.length) return NOTHING;
  return filterAnd(...all.filter((p): p is string => typeof p === 'string' && p !== EVERYTHING), filterOr(...terms));
}

/** What the search index must hold: rows meeting every `all` predicate on a column the index lacks. */
export function indexableSql<S>(policy: Policy<S>, scope: S, alias?: string): SqlCondition {
  const prefix = alias ? `${alias}.` : '';
  const guaranteed = policy.all.filter((p) => p.op !== 'scopeFlag' && !p.field.attribute).map((p) => predicateSql(p, scope, prefix));
  if (guaranteed.some((p) => p === undefined)) return { sql: 'false', bindings: [] };
  return conjunction(guaranteed as SqlCondition[]);
}

// `id IN []` matches nothing and Meilisearch accepts it.
const NOTHING = inList('id', []);
// a term whose predicates all hold for every document (only exclusion lists, all empty)
const ALWAYS = `NOT ${NOTHING}`;
