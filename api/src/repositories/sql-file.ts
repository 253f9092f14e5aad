import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const INCLUDE = /^-- include: ([a-z0-9-]+\.sql)[ \t]*$/gm;

/**
 * Reads a .sql file next to a repository. A line `-- include: other.sql` is replaced by that file's text (one level),
 * so a piece shared by several statements — the rollup deltas, used by post creation and by edits — has a single
 * definition. The files are static text; values always travel as bindings.
 */
export function readSql(name: string): string {
  const read = (file: string) => readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
  return read(name).replace(INCLUDE, (_line, included: string) => read(included).trimEnd());
}

const statementNames = new Map<string, string>();

/**
 * A stable name for a named (prepared) statement: the same text always gets the same name, different texts never
 * share one (pg refuses to re-prepare a name with other text). Hot queries are planned once per connection this way;
 * their planning cost rivalled their execution.
 */
export function statementName(prefix: string, sql: string): string {
  let name = statementNames.get(sql);
  if (!name) {
    name = `${prefix}-${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
    statementNames.set(sql, name);
  }
  return name;
}
