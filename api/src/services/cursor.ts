import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadRequestError } from '../http/errors.ts';

// Keyset cursors are opaque and signed: a client can hand back only a cursor we issued, for the same kind of list.

export interface KeysetPosition {
  createdAt: string;
  id: string;
}

/** What a cursor's time part must look like: a database timestamp (feeds), or a number or "offset" (search pages). */
export type CursorTime = 'timestamp' | 'number';

const CURSOR_ID = /^(0|[1-9][0-9]{0,18})$/;
const TIMESTAMP = /^(\d{4})-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/;

/** A signed payload can still be malformed (an old format, a leaked secret): refuse anything a query can't take. */
function wellFormed(t: string, i: string, time: CursorTime): boolean {
  if (!CURSOR_ID.test(i) || BigInt(i) > 9223372036854775807n) return false;
  if (time === 'number') return t === 'offset' || (/^\d{1,16}$/.test(t) && Number.isSafeInteger(Number(t)));
  const year = TIMESTAMP.exec(t)?.[1];
  return (
    year !== undefined &&
    Number(year) >= 1970 &&
    Number(year) < 2100 &&
    !Number.isNaN(Date.parse(t.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00')))
  );
}

export function createCursorCodec(secret: string) {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest().subarray(0, 16);

  return {
    encode(scope: string, position: KeysetPosition): string {
      const payload = Buffer.from(JSON.stringify({ s: scope, t: position.createdAt, i: position.id })).toString('base64url');
      return `${payload}.${sign(payload).toString('base64url')}`;
    },

    decode(scope: string, cursor: string | undefined, time: CursorTime = 'timestamp'): KeysetPosition | undefined {
      if (cursor === undefined) return undefined;
      const invalid = () => new BadRequestError('Invalid cursor.', [{ field: 'query.cursor', message: 'not a cursor issued for this list' }]);
      const [payload, mac] = cursor.split('.');
      if (!payload || !mac || cursor.split('.').length !== 2) throw invalid();
      const given = Buffer.from(mac, 'base64url');
      const expected = sign(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        throw invalid();
      }
      const p = parsed as { s?: unknown; t?: unknown; i?: unknown };
      if (p.s !== scope || typeof p.t !== 'string' || typeof p.i !== 'string' || !wellFormed(p.t, p.i, time)) throw invalid();
      return { createdAt: p.t, id: p.i };
    },
  };
}

export type CursorCodec = ReturnType<typeof createCursorCodec>;
