import { describe, expect, it } from 'vitest';
import { createCursorCodec } from './cursor.ts';

describe('cursor codec', () => {
  const codec = createCursorCodec('test-secret-1234567890');
  const position = { createdAt: '2026-11-25 10:00:00.123456+00', id: '42' };

  it('round-trips within its scope', () => {
    expect(codec.decode('feed:a', codec.encode('feed:a', position))).toEqual(position);
  });

  it('rejects forged, truncated, foreign-scope and other-secret cursors', () => {
    const cursor = codec.encode('feed:a', position);
    const [payload, mac] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify({ s: 'feed:a', t: position.createdAt, i: '1' })).toString('base64url');
    for (const bad of [`${forged}.${mac}`, payload!, `${payload}.`, `${payload}.${mac}.x`, 'garbage', '']) {
      expect(() => codec.decode('feed:a', bad)).toThrow(/cursor/i);
    }
    expect(() => codec.decode('feed:b', cursor)).toThrow(/cursor/i);
    expect(() => createCursorCodec('another-secret-12345').decode('feed:a', cursor)).toThrow(/cursor/i);
  });

  it('rejects correctly signed payloads that are malformed (bad times, ids beyond bigint, wrong types)', () => {
    const signed = (t: unknown, i: unknown) => codec.encode('feed:a', { createdAt: t, id: i } as { createdAt: string; id: string });
    for (const [t, i] of [
      ['not a time', '42'],
      ['99999-01-01 00:00:00+00', '42'],
      ['0001-01-01 00:00:00+00', '42'],
      ['2026-13-45 99:99:99+00', '42'],
      [position.createdAt, '9223372036854775808'],
      [position.createdAt, '-1'],
      [position.createdAt, '1e5'],
      [42, '42'],
      [position.createdAt, 42],
    ]) {
      expect(() => codec.decode('feed:a', signed(t, i)), `${t} ${i}`).toThrow(/cursor/i);
    }
    expect(codec.decode('feed:a', signed('2026-11-25T10:00:00.5Z', '9223372036854775807'))).toEqual({
      createdAt: '2026-11-25T10:00:00.5Z',
      id: '9223372036854775807',
    });
    expect(codec.decode('s', codec.encode('s', { createdAt: 'offset', id: '40' }), 'number')).toEqual({ createdAt: 'offset', id: '40' });
    expect(() => codec.decode('s', codec.encode('s', { createdAt: 'x', id: '40' }), 'number')).toThrow(/cursor/i);
  });
});
