import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { bigintToCell, cellParent, pointToCell, type LatLon } from '../../src/geo/h3.ts';
import type { Viewer } from '../../src/http/route.ts';
import { audiencePolicy, type AudienceScope } from '../../src/policy/audience.policy.ts';
import type { PostRow } from '../../src/repositories/post.repository.ts';
import { and, inList } from '../../src/search/filter.ts';
import { toPostDocument } from '../../src/search/post-document.ts';
import { offsetMeters, postBody, randomPlace, signUp } from '../helpers.ts';
import { makeSearchTestApp, silentLogger } from '../search.helpers.ts';

// The audience policy is one definition compiled three ways: a JS check (single reads), a SQL condition (feeds and
// boards) and a Meilisearch filter (search). This generates posts of every audience × status × deletion and viewers
// of every relation to them, and checks the three forms — and the HTTP routes built on them — agree on every pair.

const s = makeSearchTestApp();
const { services, repositories } = createApp({ config: s.config, db: s.db, logger: silentLogger, search: s.conn });
afterAll(() => s.close());

const AUDIENCES = ['public', 'neighbors', 'region'] as const;
const STATUSES = ['visible', 'hidden', 'removed'] as const;

interface Person {
  name: string;
  viewer?: Viewer;
  agent?: ReturnType<typeof request.agent>;
}

/** A district (west and east neighbourhoods, 12 km × 6 km) around a random place, so no other test's posts interfere. */
async function twoKiezDistrict(centre: LatLon) {
  const tag = randomBytes(4).toString('hex');
  const box = (w: number, e: number) => {
    const sw = offsetMeters(centre, -3000, w);
    const ne = offsetMeters(centre, 3000, e);
    return JSON.stringify({
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [sw.lon, sw.lat],
            [ne.lon, sw.lat],
            [ne.lon, ne.lat],
            [sw.lon, ne.lat],
            [sw.lon, sw.lat],
          ],
        ],
      ],
    });
  };
  const insert = async (slug: string, kind: string, parentId: string | null, geojson: string) =>
    (
      await s.db.raw<{ rows: { id: string }[] }>(
        `INSERT INTO regions (parent_id, slug, name, kind, geom) VALUES (?, ?, ?, ?, ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)) RETURNING id`,
        [parentId, `${slug}-${tag}`, slug, kind, geojson],
      )
    ).rows[0]!.id;
  const district = await insert('district', 'district', null, box(-6000, 6000));
  await insert('west', 'neighborhood', district, box(-6000, 0));
  const east = await insert('east', 'neighborhood', district, box(0, 6000));
  return { district, east };
}

const centre = randomPlace();
centre.lat = Math.max(-55, Math.min(55, centre.lat));
const postAt = offsetMeters(centre, 0, 3000); // middle of the east neighbourhood
const people: Record<
  'author' | 'neighbour' | 'sameDistrict' | 'elsewhere' | 'homeless' | 'anonymous' | 'blocker' | 'blockedByAuthor' | 'muter',
  Person
> = {
  author: { name: 'author' },
  neighbour: { name: 'neighbour' },
  sameDistrict: { name: 'same district' },
  elsewhere: { name: 'elsewhere' },
  homeless: { name: 'signed in, no home' },
  anonymous: { name: 'anonymous' },
  // issue 13: neighbours who would see everything, but for a block (either way) or a mute
  blocker: { name: 'neighbour who blocked the author' },
  blockedByAuthor: { name: 'neighbour the author blocked' },
  muter: { name: 'neighbour who muted the author' },
};
const homes: Partial<Record<keyof typeof people, LatLon>> = {
  author: postAt,
  neighbour: offsetMeters(postAt, 600, 300),
  // far west of the same district: more than one res-7 ring (~3.5 km) from the post
  sameDistrict: offsetMeters(centre, 0, -5500),
  elsewhere: offsetMeters(centre, 40_000, 40_000),
  blocker: offsetMeters(postAt, 500, 200),
  blockedByAuthor: offsetMeters(postAt, 400, 100),
  muter: offsetMeters(postAt, 300, 300),
};
let posts: PostRow[] = [];
const scopes = new Map<string, AudienceScope>();

beforeAll(async () => {
  await twoKiezDistrict(centre);
  for (const [key, person] of Object.entries(people) as [keyof typeof people, Person][]) {
    if (key === 'anonymous') continue;
    const { agent, user, handle } = await signUp(s.app);
    const home = homes[key];
    if (home) await agent.put('/api/me/home').send(home).expect(200);
    person.agent = agent;
    person.viewer = { id: user.id, handle, homeCell: home ? pointToCell(home, 9) : null, isAdmin: false };
  }
  // issue 13: the relations, through the API
  const handleOf = (p: Person) => p.viewer!.handle;
  await people.blocker.agent!.put(`/api/users/${handleOf(people.author)}/block`).expect(204);
  await people.author.agent!.put(`/api/users/${handleOf(people.blockedByAuthor)}/block`).expect(204);
  await people.muter.agent!.put(`/api/users/${handleOf(people.author)}/mute`).expect(204);
  // every audience × status × deleted, written through the API and then moved to its state (as moderation will)
  const ids: string[] = [];
  for (const audience of AUDIENCES) {
    for (const status of STATUSES) {
      for (const deleted of [false, true]) {
        const { body } = await people.author
          .agent!.post('/api/posts')
          .send(postBody(postAt, { audience, precision: 8, title: `${audience} ${status} ${deleted ? 'deleted' : 'live'}` }))
          .expect(201);
        await s
          .db('posts')
          .where({ id: body.id })
          .update({ status, deleted_at: deleted ? s.db.fn.now() : null });
        ids.push(body.id);
      }
    }
  }
  posts = (await Promise.all(ids.map((id) => repositories.posts.findById(id)))) as PostRow[];
  for (const person of Object.values(people)) scopes.set(person.name, await services.audience.scopeFor(person.viewer));

  // index what belongs in the index, the way the relay does
  await s.index.ensure();
  const sources = await repositories.searchDocuments.load(ids);
  await s.index.apply(sources.filter((src) => src.indexable).map(toPostDocument), []);
}, 120_000);

async function sqlIds(condition: { sql: string; bindings: unknown[] }): Promise<Set<string>> {
  const res = await s.db.raw<{ rows: { id: string }[] }>(`SELECT p.id FROM posts p WHERE p.id = ANY(?::bigint[]) AND ${condition.sql}`, [
    posts.map((p) => p.id),
    ...(condition.bindings as string[]),
  ]);
  return new Set(res.rows.map((r) => r.id));
}

async function searchIds(scope: AudienceScope): Promise<Set<string>> {
  const res = await s.index.search({
    q: '',
    filter: and(
      inList(
        'id',
        posts.map((p) => p.id),
      ),
      audiencePolicy.searchFilter(scope),
    ),
    limit: 100,
    offset: 0,
    facets: [],
    cropLength: 10,
  });
  return new Set(res.hits.map((h) => String(h.id)));
}

describe('audience policy: JS check, SQL and search filter agree', () => {
  it('sets up the relations it claims to test', () => {
    const post = posts[0]!;
    const scope = (p: Person) => scopes.get(p.name)!;
    expect(scope(people.neighbour).neighborCells7).toContain(post.h3_7);
    expect(scope(people.sameDistrict).neighborCells7).not.toContain(post.h3_7);
    expect(scope(people.sameDistrict).regionIds).toContain(post.region_id);
    expect(scope(people.elsewhere).regionIds).not.toContain(post.region_id);
    expect(scope(people.elsewhere).neighborCells7).not.toContain(post.h3_7);
    expect(cellParent(pointToCell(homes.elsewhere!, 9), 7)).not.toBe(cellParent(pointToCell(postAt, 9), 7));
    // issue 13: blocks hide both ways and lists also leave out the muted; the others hide nobody
    const author = people.author.viewer!.id;
    expect(scope(people.blocker).blockedAuthorIds).toEqual([author]);
    expect(scope(people.blockedByAuthor).blockedAuthorIds).toEqual([author]);
    expect(scope(people.muter).blockedAuthorIds).toEqual([]);
    expect(scope(people.muter).hiddenAuthorIds).toEqual([author]);
    expect(scope(people.neighbour).hiddenAuthorIds).toEqual([]);
    for (const p of [people.blocker, people.blockedByAuthor, people.muter]) expect(scope(p).neighborCells7).toContain(post.h3_7);
  });

  for (const person of Object.values(people)) {
    it(`for ${person.name}: list and read forms agree on every post`, async () => {
      const scope = scopes.get(person.name)!;
      const [listSql, readSql, search] = await Promise.all([
        sqlIds(audiencePolicy.listSql(scope, 'p')),
        sqlIds(audiencePolicy.readSql(scope, 'p')),
        searchIds(scope),
      ]);
      for (const post of posts) {
        const label = `${person.name} × ${post.title}`;
        const listable = audiencePolicy.canList(post, scope);
        expect(listSql.has(post.id), `${label}: SQL list`).toBe(listable);
        expect(search.has(post.id), `${label}: search filter`).toBe(listable);
        expect(readSql.has(post.id), `${label}: SQL read`).toBe(audiencePolicy.canRead(post, scope));
      }
    });
  }

  it('means what it says', () => {
    const can = (who: Person, title: string, form: 'canList' | 'canRead') =>
      audiencePolicy[form](
        posts.find((p) => p.title === title)!,
        scopes.get(who.name)!,
      );
    const hiding = [people.blocker, people.blockedByAuthor, people.muter];
    for (const who of Object.values(people)) expect(can(who, 'public visible live', 'canList')).toBe(!hiding.includes(who));
    expect(can(people.neighbour, 'neighbors visible live', 'canList')).toBe(true);
    expect(can(people.sameDistrict, 'neighbors visible live', 'canList')).toBe(false);
    expect(can(people.sameDistrict, 'region visible live', 'canList')).toBe(true);
    expect(can(people.elsewhere, 'region visible live', 'canList')).toBe(false);
    expect(can(people.anonymous, 'neighbors visible live', 'canRead')).toBe(false);
    // hidden posts: only their author may open them, and nobody lists them
    expect(can(people.author, 'region hidden live', 'canRead')).toBe(true);
    expect(can(people.author, 'region hidden live', 'canList')).toBe(false);
    expect(can(people.neighbour, 'public hidden live', 'canRead')).toBe(false);
    // deleted posts: gone for everyone
    expect(can(people.author, 'public visible deleted', 'canRead')).toBe(false);
    // issue 13: a block hides the author's posts both ways, in lists and by id; a mute from lists only
    for (const who of [people.blocker, people.blockedByAuthor]) {
      expect(can(who, 'public visible live', 'canList')).toBe(false);
      expect(can(who, 'public visible live', 'canRead')).toBe(false);
    }
    expect(can(people.muter, 'public visible live', 'canList')).toBe(false);
    expect(can(people.muter, 'neighbors visible live', 'canRead')).toBe(true);
  });

  it('is what the routes apply: a post opens for exactly those who can read it, a board lists exactly the listable', async () => {
    // the posts' display cell (precision 8); a res-9 cell's parent is not always the res-8 cell holding the point
    const board = bigintToCell(posts[0]!.display_cell);
    for (const person of Object.values(people)) {
      const client = person.agent ?? request(s.app);
      const scope = scopes.get(person.name)!;
      for (const post of posts) {
        const res = await client.get(`/api/posts/${post.id}`);
        expect(res.status, `${person.name} GET ${post.title}`).toBe(audiencePolicy.canRead(post, scope) ? 200 : 404);
      }
      const listed = await client.get(`/api/cells/${board}/posts?limit=100`).expect(200);
      const shown = new Set((listed.body.items as { id: string }[]).map((i) => i.id));
      for (const post of posts) expect(shown.has(post.id), `${person.name} board ${post.title}`).toBe(audiencePolicy.canList(post, scope));
    }
  });
});
