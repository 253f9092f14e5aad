import type pg from 'pg';
import { cellToBigint, pointToCell, STORAGE_RES } from '../api/src/geo/h3.ts';
import { DEMO_EMAIL_DOMAIN } from './people.seed.ts';

/**
 * Demo moderators (issue 11): two moderators and a lead for Mitte (so the appeal loop has a second moderator to decide),
 * one moderator each for Pankow, Friedrichshain-Kreuzberg and Neukölln. All sign in with the demo password
 * (`hexhood-demo`); each lives in their district. Idempotent: existing accounts and roles are kept.
 */
export const DEMO_MODERATORS = [
  { handle: 'mod_mitte', displayName: 'Mira (Moderation Mitte)', district: 'Mitte', role: 'moderator' },
  { handle: 'mod_mitte2', displayName: 'Jonas (Moderation Mitte)', district: 'Mitte', role: 'moderator' },
  { handle: 'lead_mitte', displayName: 'Lea (Lead Mitte)', district: 'Mitte', role: 'lead' },
  { handle: 'mod_pankow', displayName: 'Paul (Moderation Pankow)', district: 'Pankow', role: 'moderator' },
  { handle: 'mod_xhain', displayName: 'Selin (Moderation F’hain-Kreuzberg)', district: 'Friedrichshain-Kreuzberg', role: 'moderator' },
  { handle: 'mod_neukoelln', displayName: 'Nico (Moderation Neukölln)', district: 'Neukölln', role: 'moderator' },
] as const;

export async function seedModerators(client: pg.ClientBase, passwordHash: string): Promise<number> {
  let appointed = 0;
  for (const m of DEMO_MODERATORS) {
    const { rows: districts } = await client.query<{ id: string; lat: number; lon: number }>(
      `SELECT id, ST_Y(ST_PointOnSurface(geom)) AS lat, ST_X(ST_PointOnSurface(geom)) AS lon FROM regions WHERE kind = 'district' AND name = $1`,
      [m.district],
    );
    const district = districts[0];
    if (!district) continue;
    const home = cellToBigint(pointToCell({ lat: district.lat, lon: district.lon }, STORAGE_RES)).toString();
    await client.query(
      `INSERT INTO users (handle, display_name, email, password_hash, home_h3_9, settings, created_at, email_verified_at)
       VALUES ($1, $2, $3, $4, $5, '{"defaultPrecision":8,"whoCanReply":"everyone"}', now() - interval '400 days', now() - interval '400 days')
       ON CONFLICT DO NOTHING`,
      [m.handle, m.displayName, `${m.handle}@${DEMO_EMAIL_DOMAIN}`, passwordHash, home],
    );
    const res = await client.query(
      `INSERT INTO region_roles (region_id, user_id, role)
       SELECT $1, u.id, $2 FROM users u WHERE lower(u.handle) = lower($3) AND lower(u.email) LIKE $4
       ON CONFLICT DO NOTHING`,
      [district.id, m.role, m.handle, `%@${DEMO_EMAIL_DOMAIN}`],
    );
    appointed += res.rowCount ?? 0;
  }
  return appointed;
}
