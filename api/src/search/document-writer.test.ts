import { describe, expect, it } from 'vitest';
import { writerKeyUid } from './document-writer.ts';

describe('writerKeyUid', () => {
  it('is a UUID v4 layout, the same for a prefix in every process and different between prefixes', () => {
    const uid = writerKeyUid('test_1_');
    expect(uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(writerKeyUid('test_1_')).toBe(uid);
    expect(writerKeyUid('test_2_')).not.toBe(uid);
    expect(writerKeyUid('')).not.toBe(uid);
  });
});
