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
});
