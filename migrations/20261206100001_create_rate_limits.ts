import type { Knex } from 'knex';

// Rate-limit budgets live in PostgreSQL (rate-limiter-flexible's RateLimiterPostgres layout), so every API process
// behind one address draws from one budget. UNLOGGED: counters are minutes-long state, not worth WAL; a crash
// simply resets them.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE UNLOGGED TABLE rate_limits (
      key varchar(255) PRIMARY KEY,
      points integer NOT NULL DEFAULT 0,
      expire bigint
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE rate_limits');
}
