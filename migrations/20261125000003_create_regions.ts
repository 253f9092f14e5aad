import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE regions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      parent_id bigint REFERENCES regions(id) ON DELETE CASCADE,
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{1,80}$'),
      name text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('city', 'district', 'neighborhood')),
      code text,
      population integer,
      households integer,
      area_m2 double precision,
      geom geometry(MultiPolygon, 4326) NOT NULL
    );
    CREATE INDEX regions_geom ON regions USING gist (geom);
    CREATE INDEX regions_parent ON regions (parent_id);

    -- Precomputed res-8 cover: which regions a cell falls in, without geometry on the hot path.
    CREATE TABLE region_cells (
      region_id bigint NOT NULL REFERENCES regions(id) ON DELETE CASCADE,
      h3_8 bigint NOT NULL,
      PRIMARY KEY (region_id, h3_8)
    );
    CREATE INDEX region_cells_cell ON region_cells (h3_8);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE region_cells; DROP TABLE regions;');
}
