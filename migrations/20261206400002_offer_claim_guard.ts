import type { Knex } from 'knex';

// Aborts the claiming statement (repositories/offer-claim.sql) when a claim row was inserted but the offer had nothing
// left to take, so the claim is rolled back with it. SQLSTATE HX409 tells the repository to find out why.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION hexhood_offer_taken(ok boolean) RETURNS boolean LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT ok THEN
        RAISE EXCEPTION 'offer not available' USING ERRCODE = 'HX409';
      END IF;
      RETURN true;
    END $$;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP FUNCTION hexhood_offer_taken(boolean)');
}
