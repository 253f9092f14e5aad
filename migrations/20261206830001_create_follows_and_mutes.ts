import type { Knex } from 'knex';

// Follow and mute (issue 13; blocks are user_blocks, migration 20261206700001).
// - user_follows: a person follows a person. Their posts carry a "following" mark for the follower and the feed can be
//   narrowed to them. Follower counts are public; who follows whom is shown to nobody but the follower.
// - merchant_follows: a person follows a shop; the shop's offers (posts linked to it through offers.post_id) are marked.
// - user_mutes: hide quietly. Only the muter's lists change; the muted person is not told and sees nothing different.
// Each has the actor first in its primary key (my lists, my checks) and an index on the other side (counts, and the
// cascade when a block removes follows both ways).
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE user_follows (
      follower_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      followee_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (follower_id, followee_id),
      CHECK (follower_id <> followee_id)
    );
    CREATE INDEX user_follows_followee ON user_follows (followee_id);

    CREATE TABLE merchant_follows (
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      merchant_id bigint NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (user_id, merchant_id)
    );
    CREATE INDEX merchant_follows_merchant ON merchant_follows (merchant_id);

    CREATE TABLE user_mutes (
      muter_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      muted_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (muter_id, muted_id),
      CHECK (muter_id <> muted_id)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE user_mutes;
    DROP TABLE merchant_follows;
    DROP TABLE user_follows;
  `);
}
