import type { Knex } from 'knex';

// Star reviews with text, only by people who redeemed an offer at the shop (checked when writing); one per person and
// shop, editable; reportable — a review reported by three people is hidden until a moderator looks at it.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE merchant_reviews (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      merchant_id bigint NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      stars smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
      body text NOT NULL CHECK (char_length(body) <= 2000),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      hidden_at timestamptz,
      UNIQUE (merchant_id, user_id)
    );
    CREATE TABLE merchant_review_reports (
      review_id bigint NOT NULL REFERENCES merchant_reviews(id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (review_id, user_id)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE merchant_review_reports; DROP TABLE merchant_reviews;');
}
