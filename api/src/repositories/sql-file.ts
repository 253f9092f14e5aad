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
