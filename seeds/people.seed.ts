import { hash } from '@node-rs/argon2';
import type pg from 'pg';
import { cellToBigint, pointToCell, STORAGE_RES, type LatLon } from '../api/src/geo/h3.ts';
import { copyRows, copyText } from './copy.ts';
import type { ResidentSampler } from './population-raster.ts';
import { createRng, WeightedChoice, type Rng } from './random.ts';

// Demo residents: German-ish (and Berlin-diverse) names, homes drawn by population. Everyone shares one password.

export const DEMO_PASSWORD = 'hexhood-demo';
export const DEMO_EMAIL_DOMAIN = 'demo.hexhood.local';
/** The account the README points people at: lives by Lausitzer Platz, Kreuzberg, near this week's street festival. */
export const DEMO_USER = { handle: 'demo', displayName: 'Demo Nachbar', home: { lat: 52.4997, lon: 13.4318 }, neighborhoodCode: '0202' };
/** The demo's global administrator (approves shop claims, appoints moderators); lives in Mitte. Never seeded in production. */
export const DEMO_ADMIN = { handle: 'admin', displayName: 'Hexhood Admin', home: { lat: 52.5219, lon: 13.4132 } };

const FIRST_NAMES = [
  'Anna',
  'Lena',
  'Marie',
  'Sophie',
  'Emma',
  'Mia',
  'Hannah',
  'Lea',
  'Clara',
  'Johanna',
  'Paula',
  'Greta',
  'Frieda',
  'Jonas',
  'Lukas',
  'Paul',
  'Felix',
  'Leon',
  'Max',
  'Moritz',
  'Emil',
  'Anton',
  'Jakob',
  'Karl',
  'Theo',
  'Finn',
  'Mehmet',
  'Ayşe',
  'Elif',
  'Emre',
  'Zeynep',
  'Can',
  'Deniz',
  'Leyla',
  'Omar',
  'Yusuf',
  'Amira',
  'Nour',
  'Karim',
  'Katarzyna',
  'Piotr',
  'Olga',
  'Dmitri',
  'Anastasia',
  'Ivana',
  'Luca',
  'Giulia',
  'Sofia',
  'Pablo',
  'Lucía',
  'Thi',
  'Minh',
  'Lan',
  'Ngoc',
  'Sarah',
  'David',
  'Noah',
  'Ella',
  'Ida',
  'Ole',
  'Till',
  'Ben',
  'Jule',
  'Nele',
  'Kerstin',
  'Sabine',
  'Petra',
  'Uwe',
  'Jürgen',
  'Dieter',
  'Monika',
  'Heike',
  'Thomas',
  'Andreas',
  'Stefan',
  'Birgit',
];
const LAST_NAMES = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Koch',
  'Richter',
  'Klein',
  'Wolf',
  'Schröder',
  'Neumann',
  'Schwarz',
  'Braun',
  'Zimmermann',
  'Krüger',
  'Hartmann',
  'Lange',
  'Werner',
  'Krause',
  'Lehmann',
  'Köhler',
  'Yılmaz',
  'Kaya',
  'Demir',
  'Şahin',
  'Çelik',
  'Öztürk',
  'Nowak',
  'Kowalski',
  'Wiśniewska',
  'Nguyen',
  'Tran',
  'Pham',
  'Haddad',
  'Khalil',
  'Rossi',
  'Ivanova',
  'Petrov',
  'García',
];
const NICK_FIRST = ['kiez', 'spree', 'hinterhof', 'balkon', 'altbau', 'kastanien', 'laternen', 'eckkneipen', 'spaeti', 'tram'];
const NICK_SECOND = ['fuchs', 'liebe', 'blick', 'kind', 'gaertner', 'radler', 'kater', 'eule', 'spatz', 'held'];

export interface SeededUser {
  id: string;
  handle: string;
  /** index of the neighbourhood the home lies in */
  neighborhood: number;
}

interface NewUser {
  handle: string;
  displayName: string;
  home: LatLon;
  neighborhood: number;
  settings: { defaultPrecision: 7 | 8 | 9; whoCanReply: 'everyone' | 'neighbors' };
  createdAt: Date;
}

function ascii(name: string): string {
  return name
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/ı/g, 'i')
    .normalize('NFKD')
    .replace(/[^a-z0-9]/g, '');
}

function drawName(rng: Rng): { handle: string; displayName: string } {
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const style = rng.next();
  if (style < 0.35) return { handle: `${ascii(first)}_${ascii(last)}`, displayName: `${first} ${last}` };
  if (style < 0.6) return { handle: `${ascii(first)}${rng.int(70, 99)}`, displayName: `${first} ${last.charAt(0)}.` };
  if (style < 0.8) return { handle: `${ascii(first)}_${ascii(last).slice(0, 1)}`, displayName: first };
  const nick = `${rng.pick(NICK_FIRST)}${rng.pick(NICK_SECOND)}`;
  return { handle: nick, displayName: nick.charAt(0).toUpperCase() + nick.slice(1) };
}

const PRECISION_CHOICE = new WeightedChoice<7 | 8 | 9>([
  [8, 0.8],
  [9, 0.1],
  [7, 0.1],
]);

export function planUsers(opts: {
  seed: number;
  count: number;
  now: Date;
  sampler: ResidentSampler;
  neighborhoodOf: (cellIndex: number) => number;
  demoNeighborhood: number;
  adminNeighborhood: number;
}): NewUser[] {
  const rng = createRng(opts.seed, 'users');
  const day = 86_400_000;
  const taken = new Set<string>([DEMO_USER.handle, DEMO_ADMIN.handle]);
  const users: NewUser[] = [
    {
      handle: DEMO_USER.handle,
      displayName: DEMO_USER.displayName,
      home: DEMO_USER.home,
      neighborhood: opts.demoNeighborhood,
      settings: { defaultPrecision: 8, whoCanReply: 'everyone' },
      createdAt: new Date(opts.now.getTime() - 90 * day),
    },
    {
      handle: DEMO_ADMIN.handle,
      displayName: DEMO_ADMIN.displayName,
      home: DEMO_ADMIN.home,
      neighborhood: opts.adminNeighborhood,
      settings: { defaultPrecision: 8, whoCanReply: 'everyone' },
      createdAt: new Date(opts.now.getTime() - 400 * day),
    },
  ];
  const fixed = users.length;
  while (users.length < opts.count + fixed) {
    const { handle: base, displayName } = drawName(rng);
    let handle = base.slice(0, 26);
    for (let n = 2; taken.has(handle); n++) handle = `${base.slice(0, 26)}${n}`;
    taken.add(handle);
    const cell = opts.sampler.cellIndex(rng);
    users.push({
      handle,
      displayName,
      home: opts.sampler.pointIn(rng, cell),
      neighborhood: opts.neighborhoodOf(cell),
      settings: {
        defaultPrecision: PRECISION_CHOICE.draw(rng),
        whoCanReply: rng.chance(0.85) ? 'everyone' : 'neighbors',
      },
      // joined before the eight weeks of posts, over the previous year
      createdAt: new Date(opts.now.getTime() - (57 + rng.next() * 365) * day),
    });
  }
  return users;
}

/**
 * One argon2id hash (OWASP minimum m=19 MiB, t=2, p=1), computed once and shared: hashing per user would take minutes.
 * The salt comes from the seed so the data stays reproducible; the password is public anyway.
 */
export async function demoPasswordHash(seed: number): Promise<string> {
  const rng = createRng(seed, 'password-salt');
  const salt = Uint8Array.from({ length: 16 }, () => rng.int(0, 255));
  // algorithm 2 = Algorithm.Argon2id (a const enum, which isolated modules can't import)
  return hash(DEMO_PASSWORD, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1, salt });
}

/**
 * Inserts the planned residents. Demo accounts left by an earlier seed are reused (posts can be seeded again after
 * they were deleted); a handle someone registered for real stays theirs, and that planned resident is dropped.
 */
export async function insertUsers(client: pg.ClientBase, users: NewUser[], passwordHash: string): Promise<SeededUser[]> {
  const handles = users.map((u) => u.handle.toLowerCase());
  const { rows: taken } = await client.query<{ handle: string }>(`SELECT lower(handle) AS handle FROM users WHERE lower(handle) = ANY($1::text[])`, [
    handles,
  ]);
  const takenHandles = new Set(taken.map((r) => r.handle));
  await copyRows(
    client,
    'users',
    // issue 13: email — demo accounts count as confirmed (their addresses are .invalid and receive nothing)
    ['handle', 'display_name', 'email', 'password_hash', 'home_h3_9', 'settings', 'created_at', 'email_verified_at'],
    users
      .filter((u) => !takenHandles.has(u.handle.toLowerCase()))
      .map((u) =>
        [
          u.handle,
          copyText(u.displayName),
          `${u.handle.toLowerCase()}@${DEMO_EMAIL_DOMAIN}`,
          passwordHash,
          cellToBigint(pointToCell(u.home, STORAGE_RES)),
          copyText(JSON.stringify(u.settings)),
          u.createdAt.toISOString(),
          u.createdAt.toISOString(),
        ].join('\t'),
      ),
  );
  const { rows } = await client.query<{ id: string; handle: string }>(
    `SELECT id, lower(handle) AS handle FROM users WHERE lower(handle) = ANY($1::text[]) AND lower(email) LIKE $2`,
    [handles, `%@${DEMO_EMAIL_DOMAIN}`],
  );
  const ids = new Map(rows.map((r) => [r.handle, r.id]));
  await client.query(`UPDATE users SET is_admin = true WHERE id = $1`, [ids.get(DEMO_ADMIN.handle) ?? null]);
  return users.flatMap((u) => {
    const id = ids.get(u.handle.toLowerCase());
    return id ? [{ id, handle: u.handle, neighborhood: u.neighborhood }] : [];
  });
}
