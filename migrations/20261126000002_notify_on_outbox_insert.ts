import type { Knex } from 'knex';

// Wakes the search relay as soon as an outbox row commits (LISTEN outbox), so it need not poll hard. Statement-level,
// so a bulk COPY of a million rows sends one notification; NOTIFY is delivered only on commit.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('outbox', '');
      RETURN NULL;
    END $$;
    CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER outbox_notify ON outbox; DROP FUNCTION outbox_notify();');
}
