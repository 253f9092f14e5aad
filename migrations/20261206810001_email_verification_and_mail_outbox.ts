import type { Knex } from 'knex';

// issue 13: email. Addresses are verified; one address belongs to at most one VERIFIED account (a partial unique index),
// so sign-up can answer the same whether or not an address is taken (the owner gets a "someone tried" mail instead).
// Mails are queued in mail_outbox in the transaction that causes them and sent by an in-process worker.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE users ADD COLUMN email_verified_at timestamptz;
    -- accounts made before verification existed are grandfathered (their address was unique already, so the index holds)
    UPDATE users SET email_verified_at = created_at;
    DROP INDEX users_email_lower;
    -- unique among verified accounts only: an unverified sign-up with someone's address neither fails nor tells
    CREATE UNIQUE INDEX users_verified_email_lower ON users (lower(email)) WHERE email_verified_at IS NOT NULL;
    -- login and password reset look addresses up among all accounts
    CREATE INDEX users_email_lower_any ON users (lower(email));
    -- the daily digest: the day (Europe/Berlin) a digest was last queued, claimed in the transaction that queues it
    ALTER TABLE users ADD COLUMN digest_sent_on date;
    CREATE INDEX users_digest_due ON users (id) WHERE (settings->>'dailyDigest') = 'true';

    -- single-use, expiring tokens mailed as links; only their SHA-256 is stored
    CREATE TABLE email_tokens (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      purpose text NOT NULL CHECK (purpose IN ('verify', 'reset')),
      token_hash text NOT NULL UNIQUE,
      -- the address a verify token proves; a token for an address the account no longer has is void
      email text NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

    -- mails waiting to be sent: written with the change that causes them, sent (and retried) by the mail worker
    CREATE TABLE mail_outbox (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind text NOT NULL,
      to_address text NOT NULL,
      subject text NOT NULL,
      -- emptied once sent: a mailed link is a secret and should not outlive its delivery here
      text_body text,
      html_body text,
      created_at timestamptz NOT NULL DEFAULT now(),
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      claimed_until timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      sent_at timestamptz
    );
    CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at, id) WHERE sent_at IS NULL;
    -- how much one address was mailed lately (sign-ups can name any address: its mail is capped per hour)
    CREATE INDEX mail_outbox_recipient ON mail_outbox (lower(to_address), created_at);

    CREATE FUNCTION mail_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('mail_outbox', '');
      RETURN NULL;
    END $$;
    CREATE TRIGGER mail_outbox_notify AFTER INSERT ON mail_outbox FOR EACH STATEMENT EXECUTE FUNCTION mail_outbox_notify();

    -- area subscriptions can also arrive by email
    ALTER TABLE area_subscriptions ADD COLUMN email boolean NOT NULL DEFAULT false;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE area_subscriptions DROP COLUMN email;
    DROP TABLE mail_outbox;
    DROP FUNCTION mail_outbox_notify();
    DROP TABLE email_tokens;
    DROP INDEX users_digest_due;
    ALTER TABLE users DROP COLUMN digest_sent_on;
    DROP INDEX users_email_lower_any;
    DROP INDEX users_verified_email_lower;
    -- the old index needs every address on one account; several unverified accounts may share one now: refuse then
    DO $$ BEGIN
      IF EXISTS (SELECT 1 FROM users GROUP BY lower(email) HAVING count(*) > 1) THEN
        RAISE EXCEPTION 'several accounts share an email address; merge or delete them before rolling back';
      END IF;
    END $$;
    CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
    ALTER TABLE users DROP COLUMN email_verified_at;
  `);
}
