import { describe, expect, it } from 'vitest';
import { isDependencyUnavailable } from './problem.ts';

// What counts as "the database is unavailable" (503 + Retry-After) rather than a bug (500). The integration test
// db-outage.test.ts produces the connection errors for real; these are the SQLSTATEs an outage or restart sends.
const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDependencyUnavailable', () => {
  it('recognises connection failures, shutdowns and pool timeouts', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P02', '57P03', '53300', '08006', '08001', '08P01']) {
      expect(isDependencyUnavailable(pgError(code)), code).toBe(true);
    }
    expect(isDependencyUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDependencyUnavailable(new Error('select * from "posts" where "id" = $1 - Connection terminated unexpectedly'))).toBe(true);
    expect(isDependencyUnavailable(Object.assign(new Error('Knex: Timeout acquiring a connection.'), { name: 'KnexTimeoutError' }))).toBe(true);
    expect(isDependencyUnavailable(new AggregateError([pgError('ECONNREFUSED'), pgError('ECONNREFUSED')]))).toBe(true);
    expect(isDependencyUnavailable(new Error('request failed', { cause: pgError('ECONNREFUSED') }))).toBe(true);
  });

  it('leaves real errors alone', () => {
    for (const code of ['23505', '22P02', '42P01', '40001', 'ERR_SOMETHING']) {
      expect(isDependencyUnavailable(pgError(code)), code).toBe(false);
    }
    expect(isDependencyUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDependencyUnavailable(new Error('insert into "posts" … - duplicate key value violates unique constraint'))).toBe(false);
    expect(isDependencyUnavailable(undefined)).toBe(false);
  });
});
