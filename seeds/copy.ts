import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';

// COPY ... FROM STDIN in PostgreSQL's text format: one line per row, tab-separated, \N for NULL.

export const COPY_NULL = '\\N';

const SPECIAL = /[\\\t\n\r]/;

/** A text value escaped for COPY text format. */
export function copyText(value: string): string {
  if (!SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** A text[] value: an array literal with every element quoted, then escaped for COPY. */
export function copyTextArray(values: readonly string[]): string {
  const literal = `{${values.map((v) => `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
  return copyText(literal);
}

export function copyNullable(value: string | number | null | undefined): string {
  return value === null || value === undefined ? COPY_NULL : String(value);
}

const CHUNK_CHARS = 1 << 18;

/** Joins row lines into large chunks: far fewer stream writes than one per row. */
function* chunked(lines: Iterable<string>): Generator<string> {
  let parts: string[] = [];
  let size = 0;
  for (const line of lines) {
    parts.push(line);
    size += line.length + 1;
    if (size >= CHUNK_CHARS) {
      yield `${parts.join('\n')}\n`;
      parts = [];
      size = 0;
    }
  }
  if (parts.length) yield `${parts.join('\n')}\n`;
}

/**
 * Streams rows into `COPY table (columns) FROM STDIN` with backpressure; rows are produced lazily, so a million posts
 * never sit in memory at once. Returns the row count PostgreSQL reports.
 */
export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  lines: Iterable<string>,
  options: { freeze?: boolean } = {},
): Promise<number> {
  const sql = `COPY ${table} (${columns.join(', ')}) FROM STDIN${options.freeze ? ' WITH (FREEZE)' : ''}`;
  const stream = client.query(copyStreams.from(sql));
  await pipeline(Readable.from(chunked(lines)), stream);
  return stream.rowCount;
}
