import type { Knex } from 'knex';

// Local shops (issue 10): listings seeded from OpenStreetMap, roles per shop, claim-a-listing requests approved by an
// admin, offers (each published as a post of kind 'offer' with audience 'area'), claims and redemptions.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE merchants (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      -- seed key ("poi00001") for listings from the OSM extract; null for shops created in the app
      source_id text UNIQUE,
      osm_id text,
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
      category text NOT NULL CHECK (category ~ '^[a-z_]{2,32}$'),
      cuisine text,
      brand text,
      street text,
      housenumber text,
      postcode text,
      website text,
      -- OSM opening_hours syntax, validated by the opening_hours library before it is written
      opening_hours text CHECK (char_length(opening_hours) <= 500),
      -- businesses are public: the exact point is shown to everyone
      lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
      lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
      geog geography(Point, 4326) NOT NULL,
      h3_9 bigint NOT NULL,
      h3_8 bigint NOT NULL,
      h3_7 bigint NOT NULL,
      status text NOT NULL DEFAULT 'unclaimed' CHECK (status IN ('unclaimed', 'claimed')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- "near a point, by category": one GiST over (category, point) (btree_gist gives text its GiST operators)
    CREATE EXTENSION IF NOT EXISTS btree_gist;
    CREATE INDEX merchants_geog ON merchants USING gist (geog);
    CREATE INDEX merchants_category_geog ON merchants USING gist (category, geog);
    CREATE INDEX merchants_h3_9 ON merchants (h3_9);
    CREATE INDEX merchants_h3_8 ON merchants (h3_8);
    CREATE INDEX merchants_h3_7 ON merchants (h3_7);

    CREATE TABLE merchant_roles (
      merchant_id bigint NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('owner', 'staff')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (merchant_id, user_id)
    );
    CREATE INDEX merchant_roles_user ON merchant_roles (user_id);

    -- "this is my shop": an admin approves (→ owner role) or rejects
    CREATE TABLE merchant_ownership_requests (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      merchant_id bigint NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      note text NOT NULL DEFAULT '' CHECK (char_length(note) <= 1000),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
      decided_by bigint REFERENCES users(id) ON DELETE SET NULL,
      decided_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX merchant_ownership_requests_pending ON merchant_ownership_requests (merchant_id, user_id)
      WHERE status = 'pending';
    CREATE INDEX merchant_ownership_requests_status ON merchant_ownership_requests (status, created_at);

    -- Offers are posts too (kind 'offer', audience 'area'): residents whose home res-8 cell is in target_cells8 see them.
    ALTER TABLE posts DROP CONSTRAINT posts_audience_check;
    ALTER TABLE posts ADD CONSTRAINT posts_audience_check CHECK (audience IN ('public', 'neighbors', 'region', 'area'));
    ALTER TABLE posts ADD COLUMN target_cells8 bigint[];
    ALTER TABLE posts ADD CONSTRAINT posts_area_has_cells CHECK ((audience = 'area') = (target_cells8 IS NOT NULL));

    CREATE TABLE offers (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      merchant_id bigint NOT NULL REFERENCES merchants(id) ON DELETE CASCADE,
      post_id bigint NOT NULL UNIQUE REFERENCES posts(id) ON DELETE CASCADE,
      created_by bigint REFERENCES users(id) ON DELETE SET NULL,
      title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 140),
      terms text NOT NULL CHECK (char_length(terms) <= 2000),
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      total_cap integer NOT NULL CHECK (total_cap > 0),
      remaining integer NOT NULL CHECK (remaining >= 0 AND remaining <= total_cap),
      per_household boolean NOT NULL DEFAULT false,
      target_cells8 bigint[] NOT NULL,
      withdrawn_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CHECK (ends_at > starts_at)
    );
    CREATE INDEX offers_merchant ON offers (merchant_id, created_at DESC);

    -- offer_id and merchant_id carry no foreign keys on purpose: a foreign-key check takes a KEY SHARE lock on the
    -- referenced row, and on a hot offer every concurrent claim's share lock turns that row's lock into a MultiXact
    -- the decrementing UPDATE must then work through (measured: bench/merchants.bench.ts). The claim statement only
    -- ever inserts for an offer row it just read, with that offer's merchant; deletes cascade by the triggers below.
    CREATE TABLE offer_claims (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      offer_id bigint NOT NULL,
      merchant_id bigint NOT NULL,
      user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      -- the claimant's home res-9 cell, only for offers with a per-household cap
      household_cell bigint,
      -- 96 random bits, Crockford base32; what the QR code holds and staff type
      code text NOT NULL UNIQUE,
      -- res-7 cell of the claimant's home, for the owner's k-anonymous by-area counts
      home_cell7 bigint,
      created_at timestamptz NOT NULL DEFAULT now(),
      cancelled_at timestamptz,
      redeemed_at timestamptz,
      redeemed_by bigint REFERENCES users(id) ON DELETE SET NULL
    );
    CREATE UNIQUE INDEX offer_claims_one_per_person ON offer_claims (offer_id, user_id) WHERE cancelled_at IS NULL;
    CREATE UNIQUE INDEX offer_claims_one_per_household ON offer_claims (offer_id, household_cell)
      WHERE cancelled_at IS NULL AND household_cell IS NOT NULL;
    CREATE INDEX offer_claims_user ON offer_claims (user_id, created_at DESC);
    CREATE INDEX offer_claims_merchant ON offer_claims (merchant_id, created_at);
    CREATE FUNCTION offer_claims_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_TABLE_NAME = 'offers' THEN
        DELETE FROM offer_claims WHERE offer_id = OLD.id;
      ELSE
        DELETE FROM offer_claims WHERE merchant_id = OLD.id;
      END IF;
      RETURN OLD;
    END $$;
    CREATE TRIGGER offers_delete_claims AFTER DELETE ON offers FOR EACH ROW EXECUTE FUNCTION offer_claims_cascade();
    CREATE TRIGGER merchants_delete_claims AFTER DELETE ON merchants FOR EACH ROW EXECUTE FUNCTION offer_claims_cascade();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    DROP TABLE offer_claims;
    DROP TABLE offers;
    DELETE FROM posts WHERE audience = 'area';
    ALTER TABLE posts DROP CONSTRAINT posts_area_has_cells;
    ALTER TABLE posts DROP COLUMN target_cells8;
    ALTER TABLE posts DROP CONSTRAINT posts_audience_check;
    ALTER TABLE posts ADD CONSTRAINT posts_audience_check CHECK (audience IN ('public', 'neighbors', 'region'));
    DROP TABLE merchant_ownership_requests;
    DROP TABLE merchant_roles;
    DROP TABLE merchants;
    DROP FUNCTION offer_claims_cascade();
  `);
  // btree_gist stays: other tables may use it
}
