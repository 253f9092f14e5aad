import type { Knex } from 'knex';

// Poll votes written before poll_votes existed (the demo seed kept them in reactions as kind 'vote') move to their
// table, so existing databases show the same results; the seed now writes poll_votes directly.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    INSERT INTO poll_votes (post_id, user_id, option, voted_at)
    SELECT post_id, user_id, poll_option, created_at FROM reactions WHERE kind = 'vote'
    ON CONFLICT (post_id, user_id) DO NOTHING;
    DELETE FROM reactions WHERE kind = 'vote';
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    INSERT INTO reactions (post_id, user_id, kind, poll_option, created_at)
    SELECT post_id, user_id, 'vote', option, voted_at FROM poll_votes
    ON CONFLICT DO NOTHING;
  `);
}
