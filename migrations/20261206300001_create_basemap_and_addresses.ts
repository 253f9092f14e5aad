import type { Knex } from 'knex';

// The base map served as vector tiles (/api/tiles) and the street gazetteer behind address search (/api/addresses).
// Both are reference data loaded by the seed step (seeds/basemap.seed.ts) from seeds/data; geometry is stored in Web
// Mercator (EPSG:3857) so a tile query clips and quantises without transforming every row.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE basemap_features (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      -- streets, water, green, rail, stations, districts, neighborhoods, labels
      layer text NOT NULL,
      -- street class / water or green kind / rail kind / station network / label kind
      kind text,
      name text,
      underground boolean,
      -- the lowest zoom the feature is served at (minor streets only close up)
      minzoom smallint NOT NULL DEFAULT 0,
      geom geometry(Geometry, 3857) NOT NULL
    );
    CREATE INDEX basemap_features_geom ON basemap_features USING gist (geom);
    CREATE INDEX basemap_features_layer ON basemap_features (layer, minzoom);

    CREATE TABLE addresses (
      id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      street text NOT NULL,
      postcode text NOT NULL,
      ortsteil text NOT NULL,
      bezirk text NOT NULL,
      -- one point per street and Ortsteil; NULL where the street layer has no line there
      geom geometry(Point, 4326),
      point_source text NOT NULL,
      n_addresses integer NOT NULL,
      house_numbers text[] NOT NULL,
      UNIQUE (street, postcode, ortsteil)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE addresses; DROP TABLE basemap_features;`);
}
