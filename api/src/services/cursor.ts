import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadRequestError } from '../http/errors.ts';

// Keyset cursors are opaque and signed: a client can hand back only a cursor we issued, for the same kind of list.

export interface KeysetPosition {
  createdAt: string;
  id: string;
}

export function createCursorCodec(secret: string) {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest().subarray(0, 16);

  return {
    encode(scope: string, position: KeysetPosition): string {
      const payload = Buffer.from(JSON.stringify({ s: scope, t: position.createdAt, i: position.id })).toString('base64url');
      return `${payload}.${sign(payload).toString('base64url')}`;
    },

    decode(scope: string, cursor: string | undefined): KeysetPosition | undefined {
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
      if (p.s !== scope || typeof p.t !== 'string' || typeof p.i !== 'string') throw invalid();
      return { createdAt: p.t, id: p.i };
    },
  };
}

export type CursorCodec = ReturnType<typeof createCursorCodec>;
