import type { Knex } from 'knex';

// One-to-one messages (issue 13): between two residents, or between a resident and a shop (the shop's inbox, read and
// answered by its owner and staff). One conversation per pair — `pair_key` ("u:<low>:u:<high>" or "u:<resident>:m:<shop>")
// makes starting one twice (or concurrently) find the same row. Participants are a user or a shop; each side keeps its
// own read marker (the newest message id it has read), so unread = messages after it written by the other side.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE conversations (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      pair_key text NOT NULL UNIQUE,
      -- set for a resident-to-shop conversation; its resident side is the other participant
      merchant_id bigint REFERENCES merchants(id) ON DELETE CASCADE,
      -- the offer it was started about (shown as its subject), if any
      offer_id bigint REFERENCES offers(id) ON DELETE SET NULL,
      started_by bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      last_message_at timestamptz NOT NULL DEFAULT now()
    );
    -- a shop's inbox, newest first
    CREATE INDEX conversations_merchant ON conversations (merchant_id, last_message_at DESC) WHERE merchant_id IS NOT NULL;

    CREATE TABLE conversation_participants (
      conversation_id bigint NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      user_id bigint REFERENCES users(id) ON DELETE CASCADE,
      merchant_id bigint REFERENCES merchants(id) ON DELETE CASCADE,
      last_read_id bigint NOT NULL DEFAULT 0,
      CHECK ((user_id IS NULL) <> (merchant_id IS NULL))
    );
    CREATE UNIQUE INDEX conversation_participants_user ON conversation_participants (conversation_id, user_id) WHERE user_id IS NOT NULL;
    CREATE UNIQUE INDEX conversation_participants_merchant ON conversation_participants (conversation_id, merchant_id) WHERE merchant_id IS NOT NULL;
    -- "my conversations": every conversation of a user
    CREATE INDEX conversation_participants_of_user ON conversation_participants (user_id) WHERE user_id IS NOT NULL;

    CREATE TABLE messages (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      conversation_id bigint NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
      sender_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      -- written by a shop's owner or staff for the shop: the resident sees the shop's name, not the person's
      as_merchant boolean NOT NULL DEFAULT false,
      body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
      status text NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'hidden', 'removed')),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX messages_conversation ON messages (conversation_id, id);
    -- new-account limits count a sender's recent messages
    CREATE INDEX messages_sender ON messages (sender_id, created_at);

    -- who may start a conversation with me: everyone, neighbours (home res-7 cell the same or touching), nobody
    ALTER TABLE users ADD COLUMN who_may_message text NOT NULL DEFAULT 'neighbors'
      CHECK (who_may_message IN ('everyone', 'neighbors', 'nobody'));

    -- 'message' (per conversation) and 'claim' (per offer) notifications are batched into one unread row, like reactions
    CREATE UNIQUE INDEX notifications_batched_ref ON notifications (user_id, ref_id, kind) WHERE kind IN ('message', 'claim') AND read_at IS NULL;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP INDEX notifications_batched_ref;
    ALTER TABLE users DROP COLUMN who_may_message;
    DROP TABLE messages;
    DROP TABLE conversation_participants;
    DROP TABLE conversations;
  `);
}
