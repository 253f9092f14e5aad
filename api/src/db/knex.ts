import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// bigint columns (h3 cells, ids) stay strings in JS; counts are parsed where they are read.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

export type Db = Knex;

export function createDb(databaseUrl: string, poolMax = 10): Db {
  return knexFactory({
    client: 'pg',
    connection: databaseUrl,
    pool: {
      min: 0,
      max: poolMax,
      // Measured: JIT and parallel plans made short feed queries ~3× slower.
      afterCreate(conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) {
        conn.query('SET jit = off; SET max_parallel_workers_per_gather = 0', (err) => done(err ?? null, conn));
      },
    },
  });
}
