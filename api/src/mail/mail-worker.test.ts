import { describe, expect, it } from 'vitest';
import { isConnectionError } from './mail-worker.ts';

describe('mail worker: whose fault is a failed send', () => {
  it('blames the server for connection trouble and 4xx, the mail for 5xx and envelope errors', () => {
    expect(isConnectionError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('421 try later'), { code: 'EENVELOPE', responseCode: 421 }))).toBe(true);
    expect(isConnectionError(Object.assign(new Error('550 no such user'), { code: 'EENVELOPE', responseCode: 550 }))).toBe(false);
    expect(isConnectionError(Object.assign(new Error('no recipients'), { code: 'EENVELOPE' }))).toBe(false);
  });
});
