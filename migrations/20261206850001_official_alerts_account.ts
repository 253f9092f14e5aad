import type { Knex } from 'knex';

// Official alerts speak for the moderators of a region, not for the moderator who typed them: their posts are written by
// one system account ("Hexhood moderators", who cannot sign in, be messaged or verified), while official_alerts keeps
// the moderator who issued each alert (authorization, audit). Existing alert posts move to it. Otherwise the account is
// created with the first alert (repositories/alert.repository.ts), which also brings it back after a seed that truncates
// users. Its password hash is no hash: sign-in never looks at system accounts.
const OFFICIAL_ACCOUNT_SQL = `
  INSERT INTO users (handle, display_name, email, password_hash, is_system, who_may_message, email_verified_at)
  SELECT CASE WHEN EXISTS (SELECT 1 FROM users WHERE lower(handle) = 'hexhood_alerts')
              THEN 'hexhood_alerts_' || substr(md5(random()::text), 1, 8) ELSE 'hexhood_alerts' END,
         'Hexhood moderators', 'alerts@hexhood.invalid', '!', true, 'nobody', now()
   WHERE NOT EXISTS (SELECT 1 FROM users WHERE is_system)
     -- here only when alerts exist to move (a fresh database gets it with its first alert)
     AND EXISTS (SELECT 1 FROM official_alerts)
  ON CONFLICT DO NOTHING`;

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    ALTER TABLE users ADD COLUMN is_system boolean NOT NULL DEFAULT false;
    CREATE UNIQUE INDEX users_one_system ON users (is_system) WHERE is_system;
  `);
  await knex.raw(OFFICIAL_ACCOUNT_SQL);
  await knex.raw(`UPDATE posts SET author_id = (SELECT id FROM users WHERE is_system) WHERE id IN (SELECT post_id FROM official_alerts)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    UPDATE posts p SET author_id = a.author_id FROM official_alerts a WHERE a.post_id = p.id AND a.author_id IS NOT NULL;
    DELETE FROM posts WHERE author_id IN (SELECT id FROM users WHERE is_system);
    DELETE FROM users WHERE is_system;
    ALTER TABLE users DROP COLUMN is_system;
  `);
}
