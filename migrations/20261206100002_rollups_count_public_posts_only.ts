import type { Knex } from 'knex';

// The activity rollups behind trends and heat maps count public posts only from now on (neighbours- and region-only
// posts leaked their tags into anonymous trends). Recount them once from posts under the new rule. Reversible: down
// recounts under the old rule (every visible undeleted post).
async function recount(knex: Knex, publicOnly: boolean): Promise<void> {
  const where = `status = 'visible' AND deleted_at IS NULL${publicOnly ? ` AND audience = 'public'` : ''}`;
  await knex.raw(`
    TRUNCATE cell_day, cell8_day, tag_cell_day, cell_user_day;
    CREATE TEMP TABLE rollup_src ON COMMIT DROP AS
    SELECT h3_7, CASE WHEN precision >= 8 THEN h3_8 END AS h3_8, (created_at AT TIME ZONE 'UTC')::date AS day, author_id, tags
      FROM posts WHERE ${where};
    INSERT INTO cell_user_day (cell, day, user_id, posts)
    SELECT cell, day, author_id, count(*)
      FROM (SELECT h3_7 AS cell, day, author_id FROM rollup_src
            UNION ALL SELECT h3_8, day, author_id FROM rollup_src WHERE h3_8 IS NOT NULL) s
     GROUP BY cell, day, author_id;
    INSERT INTO cell_day (h3_7, day, posts, authors)
    SELECT h3_7, day, count(*), count(DISTINCT author_id) FROM rollup_src GROUP BY h3_7, day;
    INSERT INTO cell8_day (h3_8, day, posts, authors)
    SELECT h3_8, day, count(*), count(DISTINCT author_id) FROM rollup_src WHERE h3_8 IS NOT NULL GROUP BY h3_8, day;
    INSERT INTO tag_cell_day (h3_7, day, tag, n)
    SELECT h3_7, day, tag, count(*) FROM rollup_src CROSS JOIN unnest(tags) AS tag GROUP BY h3_7, day, tag;
    DROP TABLE rollup_src;
  `);
}

export async function up(knex: Knex): Promise<void> {
  await recount(knex, true);
}

export async function down(knex: Knex): Promise<void> {
  await recount(knex, false);
}
