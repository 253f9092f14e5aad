import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE posts (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      author_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('post', 'question', 'event', 'alert', 'poll', 'lost_found', 'offer')),
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 140),
      body text NOT NULL CHECK (char_length(body) <= 5000),
      tags text[] NOT NULL DEFAULT '{}',
      -- exact point: private to the author, never used for anything anyone else can query
      lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
      lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
      precision smallint NOT NULL CHECK (precision IN (7, 8, 9)),
      display_cell bigint NOT NULL,
      h3_9 bigint NOT NULL,
      h3_8 bigint NOT NULL,
      h3_7 bigint NOT NULL,
      -- res-5 parent: the distribution column if posts are ever sharded (Citus), keeps a feed ring on 1-2 shards
      h3_5 bigint NOT NULL,
      geom geometry(Point, 4326) NOT NULL,
      audience text NOT NULL DEFAULT 'public' CHECK (audience IN ('public', 'neighbors', 'region')),
      region_id bigint REFERENCES regions(id) ON DELETE SET NULL,
      status text NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'hidden', 'removed')),
      event_starts_at timestamptz,
      poll_options text[],
      comment_count integer NOT NULL DEFAULT 0,
      reaction_count integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      deleted_at timestamptz,
      tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', body), 'B')
      ) STORED
    );
    -- Feed: newest first per cell; partial on what non-authors can see; INCLUDE lets filters run index-only.
    CREATE INDEX posts_feed_h3_9 ON posts (h3_9, created_at DESC, id DESC) INCLUDE (kind, audience, region_id, author_id)
      WHERE status = 'visible' AND deleted_at IS NULL;
    CREATE INDEX posts_feed_h3_8 ON posts (h3_8, created_at DESC, id DESC) INCLUDE (kind, audience, region_id, author_id)
      WHERE status = 'visible' AND deleted_at IS NULL;
    CREATE INDEX posts_feed_h3_7 ON posts (h3_7, created_at DESC, id DESC) INCLUDE (kind, audience, region_id, author_id)
      WHERE status = 'visible' AND deleted_at IS NULL;
    CREATE INDEX posts_geom ON posts USING gist (geom);
    CREATE INDEX posts_tsv ON posts USING gin (tsv);
    CREATE INDEX posts_tags ON posts USING gin (tags);
    CREATE INDEX posts_created_brin ON posts USING brin (created_at);
    CREATE INDEX posts_author ON posts (author_id, created_at DESC);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE posts');
}
