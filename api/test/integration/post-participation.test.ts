import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../src/services/auth.service.ts';
import { makeTestApp, postBody, randomPlace, signUp, uniqueHandle } from '../helpers.ts';

const t = makeTestApp();
afterAll(() => t.close());

/** Many signed-in people at once without paying argon2 per person: users and sessions written directly. */
async function crowd(n: number): Promise<string[]> {
  const users = Array.from({ length: n }, () => {
    const handle = uniqueHandle('c');
    return { handle, display_name: handle, email: `${handle}@example.test`, password_hash: 'not-a-login' };
  });
  const ids: { id: string }[] = await t.db('users').insert(users).returning('id');
  const tokens = ids.map(() => randomBytes(24).toString('base64url'));
  await t
    .db('sessions')
    .insert(ids.map(({ id }, i) => ({ token_hash: hashToken(tokens[i]!), user_id: id, expires_at: new Date(Date.now() + 3_600_000) })));
  return tokens.map((token) => `hx_session=${token}`);
}

describe('polls', () => {
  it('one vote per person, changeable; results only after voting (or to the author)', async () => {
    const author = await signUp(t.app);
    const voter = await signUp(t.app);
    const poll = await author.agent
      .post('/api/posts')
      .send(postBody(randomPlace(), { kind: 'poll', pollOptions: ['Tuesday', 'Thursday', 'Saturday'] }))
      .expect(201);
    const id = poll.body.id;
    expect(poll.body.poll).toMatchObject({ options: ['Tuesday', 'Thursday', 'Saturday'], closed: false, myVote: null, closesAt: null });

    const before = await voter.agent.get(`/api/posts/${id}`).expect(200);
    expect(before.body.poll.counts).toBeNull();

    const voted = await voter.agent.put(`/api/posts/${id}/vote`).send({ option: 1 }).expect(200);
    expect(voted.body.poll).toMatchObject({ myVote: 1, counts: [0, 1, 0], totalVotes: 1 });
    const changed = await voter.agent.put(`/api/posts/${id}/vote`).send({ option: 2 }).expect(200);
    expect(changed.body.poll).toMatchObject({ myVote: 2, counts: [0, 0, 1], totalVotes: 1 });
    expect(await t.db('poll_votes').where({ post_id: id }).count('* as n')).toEqual([{ n: '1' }]);

    const forAuthor = await author.agent.get(`/api/posts/${id}`).expect(200);
    expect(forAuthor.body.poll.counts).toEqual([0, 0, 1]);

    await voter.agent.put(`/api/posts/${id}/vote`).send({ option: 3 }).expect(422);
    const closedAlready = await author.agent
      .post('/api/posts')
      .send(postBody(randomPlace(), { kind: 'poll', pollOptions: ['A', 'B'], pollClosesAt: '2020-01-01T00:00:00Z' }));
    expect(closedAlready.status).toBe(422);
    expect(closedAlready.body.errors.map((e: { field: string }) => e.field)).toContain('body.pollClosesAt');
    await voter.agent.put(`/api/posts/${id}/vote`).send({ option: 'a' }).expect(422);
    const retracted = await voter.agent.delete(`/api/posts/${id}/vote`).expect(200);
    expect(retracted.body.poll).toMatchObject({ myVote: null, counts: null, totalVotes: 0 });
    await request(t.app).put(`/api/posts/${id}/vote`).send({ option: 0 }).expect(401);
  });

  it('counts concurrent votes exactly', async () => {
    const author = await signUp(t.app);
    const poll = await author.agent
      .post('/api/posts')
      .send(postBody(randomPlace(), { kind: 'poll', pollOptions: ['Yes', 'No'] }))
      .expect(201);
    const cookies = await crowd(60);
    // each person votes twice at once (yes, then no): exactly one vote each survives
    const results = await Promise.all(
      cookies.flatMap((cookie, i) => [
        request(t.app)
          .put(`/api/posts/${poll.body.id}/vote`)
          .set('Cookie', cookie)
          .send({ option: i % 2 }),
        request(t.app)
          .put(`/api/posts/${poll.body.id}/vote`)
          .set('Cookie', cookie)
          .send({ option: i % 2 }),
      ]),
    );
    expect(results.map((r) => r.status).every((s) => s === 200)).toBe(true);
    const final = await author.agent.get(`/api/posts/${poll.body.id}`).expect(200);
    expect(final.body.poll).toMatchObject({ totalVotes: 60, counts: [30, 30] });
  });

  it('closes at its closing time: no more votes, results for everyone', async () => {
    const author = await signUp(t.app);
    const voter = await signUp(t.app);
    const poll = await author.agent
      .post('/api/posts')
      .send(postBody(randomPlace(), { kind: 'poll', pollOptions: ['A', 'B'], pollClosesAt: new Date(Date.now() + 3_600_000).toISOString() }))
      .expect(201);
    await voter.agent.put(`/api/posts/${poll.body.id}/vote`).send({ option: 0 }).expect(200);
    // the author closes it now (closing time in the past)
    await author.agent
      .patch(`/api/posts/${poll.body.id}`)
      .send({ pollClosesAt: new Date(Date.now() - 1000).toISOString() })
      .expect(200);
    const late = await voter.agent.put(`/api/posts/${poll.body.id}/vote`).send({ option: 1 });
    expect(late.status).toBe(409);
    expect(late.headers['content-type']).toMatch(/problem\+json/);
    const anonymous = await request(t.app).get(`/api/posts/${poll.body.id}`).expect(200);
    expect(anonymous.body.poll).toMatchObject({ closed: true, counts: [1, 0], myVote: null });
  });

  it('answers 404 for a poll the voter may not see, and for a post that is no poll', async () => {
    const author = await signUp(t.app);
    const stranger = await signUp(t.app);
    const hidden = await author.agent
      .post('/api/posts')
      .send(postBody(randomPlace(), { kind: 'poll', pollOptions: ['A', 'B'], audience: 'neighbors' }))
      .expect(201);
    await stranger.agent.put(`/api/posts/${hidden.body.id}/vote`).send({ option: 0 }).expect(404);
    const plain = await author.agent.post('/api/posts').send(postBody(randomPlace())).expect(201);
    await stranger.agent.put(`/api/posts/${plain.body.id}/vote`).send({ option: 0 }).expect(404);
    await stranger.agent.put(`/api/posts/999999999/vote`).send({ option: 0 }).expect(404);
  });
});

describe('events', () => {
  const start = '2026-12-24T17:00:00.000Z';

  it('keeps exactly `capacity` people going when 200 RSVP at once', async () => {
    const author = await signUp(t.app);
    const event = await author.agent
      .post('/api/posts')
      .send(postBody(randomPlace(), { kind: 'event', eventStartsAt: start, eventCapacity: 50, eventPlace: 'Hof, Boxhagener Str. 12' }))
      .expect(201);
    const cookies = await crowd(200);
    const results = await Promise.all(
      cookies.map((cookie) => request(t.app).put(`/api/posts/${event.body.id}/rsvp`).set('Cookie', cookie).send({ status: 'going' })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(150);
    expect(await t.db('event_rsvps').where({ post_id: event.body.id, status: 'going' }).count('* as n')).toEqual([{ n: '50' }]);
    const shown = await request(t.app).get(`/api/posts/${event.body.id}`).expect(200);
    expect(shown.body.event).toMatchObject({ capacity: 50, going: 50, maybe: 0, place: 'Hof, Boxhagener Str. 12', startsAt: start });

    // a full event still takes "maybe"; someone going who steps back frees a place
    const refused = results.findIndex((r) => r.status === 409);
    const accepted = results.findIndex((r) => r.status === 200);
    const maybe = await request(t.app).put(`/api/posts/${event.body.id}/rsvp`).set('Cookie', cookies[refused]!).send({ status: 'maybe' }).expect(200);
    expect(maybe.body.event).toMatchObject({ going: 50, maybe: 1, myRsvp: 'maybe' });
    await request(t.app).delete(`/api/posts/${event.body.id}/rsvp`).set('Cookie', cookies[accepted]!).expect(200);
    const moved = await request(t.app).put(`/api/posts/${event.body.id}/rsvp`).set('Cookie', cookies[refused]!).send({ status: 'going' }).expect(200);
    expect(moved.body.event).toMatchObject({ going: 50, maybe: 0, myRsvp: 'going' });
  });

  it('validates its fields and serves an .ics file', async () => {
    const author = await signUp(t.app);
    const here = randomPlace();
    const bad = await author.agent
      .post('/api/posts')
      .send(postBody(here, { kind: 'event', eventStartsAt: start, eventEndsAt: '2026-12-24T16:00:00Z' }));
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toContain('body.eventEndsAt');
    const notEvent = await author.agent.post('/api/posts').send(postBody(here, { eventCapacity: 5 }));
    expect(notEvent.status).toBe(422);
    await author.agent
      .post('/api/posts')
      .send(postBody(here, { kind: 'event', eventStartsAt: start, eventCapacity: 0 }))
      .expect(422);

    const event = await author.agent
      .post('/api/posts')
      .send(
        postBody(here, {
          kind: 'event',
          title: 'Winter market; mulled wine, music',
          eventStartsAt: start,
          eventEndsAt: '2026-12-24T21:30:00+01:00',
          eventPlace: 'Rummelsburger Platz',
        }),
      )
      .expect(201);
    expect(event.body.event).toMatchObject({ endsAt: '2026-12-24T20:30:00.000Z', capacity: null, going: 0 });
    const ics = await request(t.app).get(`/api/posts/${event.body.id}/event.ics`).expect(200);
    expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
    expect(ics.headers['content-disposition']).toMatch(/^attachment; filename="?hexhood-event-\d+\.ics"?$/);
    expect(ics.text).toContain('DTSTART:20261224T170000Z\r\n');
    expect(ics.text).toContain('DTEND:20261224T203000Z\r\n');
    expect(ics.text).toContain('SUMMARY:Winter market\\; mulled wine\\, music\r\n');
    expect(ics.text).toContain('LOCATION:Rummelsburger Platz\r\n');
    // exact coordinates never go into the file
    expect(ics.text).not.toMatch(/GEO:|GEO;/);

    // editing the event's fields; the kind fields of another kind are refused
    const edited = await author.agent.patch(`/api/posts/${event.body.id}`).send({ eventPlace: 'Markthalle Neun', eventCapacity: 80 }).expect(200);
    expect(edited.body.event).toMatchObject({ place: 'Markthalle Neun', capacity: 80 });
    expect(edited.body.editedAt).not.toBeNull();
    const wrong = await author.agent.patch(`/api/posts/${event.body.id}`).send({ salePriceCents: 100 });
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors.map((e: { field: string }) => e.field)).toContain('body.salePriceCents');
    await author.agent.patch(`/api/posts/${event.body.id}`).send({ eventEndsAt: '2026-12-24T10:00:00Z' }).expect(422);

    // events cannot be created in the past (issue 9): one that has happened since is moved back in the database
    const past = await author.agent
      .post('/api/posts')
      .send(postBody(here, { kind: 'event', eventStartsAt: '2030-05-01T10:00:00Z', eventEndsAt: '2030-05-01T12:00:00Z' }))
      .expect(201);
    await t.db('posts').where({ id: past.body.id }).update({ event_starts_at: '2020-05-01T10:00:00Z', event_ends_at: '2020-05-01T12:00:00Z' });
    const late = await author.agent.put(`/api/posts/${past.body.id}/rsvp`).send({ status: 'going' });
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/over/);

    const plain = await author.agent.post('/api/posts').send(postBody(here)).expect(201);
    await request(t.app).get(`/api/posts/${plain.body.id}/event.ics`).expect(404);
    await author.agent.put(`/api/posts/${plain.body.id}/rsvp`).send({ status: 'going' }).expect(404);
  });
});

describe('for sale & free', () => {
  it('has a price or is free, a condition, and a feed filter', async () => {
    const seller = await signUp(t.app);
    const here = randomPlace();
    const free = await seller.agent
      .post('/api/posts')
      .send(postBody(here, { kind: 'for_sale', title: 'Children’s bike', salePriceCents: 0, saleCondition: 'good' }))
      .expect(201);
    expect(free.body.sale).toEqual({ priceCents: 0, free: true, condition: 'good' });
    const priced = await seller.agent
      .post('/api/posts')
      .send(postBody(here, { kind: 'for_sale', title: 'Sofa', salePriceCents: 4500 }))
      .expect(201);
    expect(priced.body.sale).toEqual({ priceCents: 4500, free: false, condition: null });
    await seller.agent.post('/api/posts').send(postBody(here)).expect(201);

    const missing = await seller.agent.post('/api/posts').send(postBody(here, { kind: 'for_sale' }));
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toContain('body.salePriceCents');
    await seller.agent
      .post('/api/posts')
      .send(postBody(here, { kind: 'for_sale', salePriceCents: -1 }))
      .expect(422);
    await seller.agent
      .post('/api/posts')
      .send(postBody(here, { kind: 'for_sale', salePriceCents: 1, saleCondition: 'broken' }))
      .expect(422);
    await seller.agent
      .post('/api/posts')
      .send(postBody(here, { saleCondition: 'new' }))
      .expect(422);

    // 1 km: a res-8 display centroid may lie ~530 m from the exact point (and the origin snaps to ~170 m cells)
    const q = `lat=${here.lat}&lon=${here.lon}&radius=1000`;
    const sale = await request(t.app).get(`/api/feed?${q}&kind=for_sale`).expect(200);
    expect(sale.body.items.map((p: { id: string }) => p.id).sort()).toEqual([free.body.id, priced.body.id].sort());
    const onlyFree = await request(t.app).get(`/api/feed?${q}&kind=for_sale&free=true`).expect(200);
    expect(onlyFree.body.items.map((p: { id: string }) => p.id)).toEqual([free.body.id]);
    const board = await request(t.app).get(`/api/cells/${free.body.cell}/posts?free=true`).expect(200);
    expect(board.body.items.map((p: { id: string }) => p.id)).toEqual([free.body.id]);

    const repriced = await seller.agent.patch(`/api/posts/${priced.body.id}`).send({ salePriceCents: 0 }).expect(200);
    expect(repriced.body.sale.free).toBe(true);
  });
});

describe('profiles', () => {
  it('shows name, res-7 neighbourhood, member since; others see public posts only, the person all of theirs', async () => {
    const person = await signUp(t.app);
    const other = await signUp(t.app);
    // a neighbourhood of its own somewhere empty, so the test does not depend on (or disturb) seeded regions
    const home = randomPlace();
    const slug = `test-nb-${randomBytes(4).toString('hex')}`;
    await t.db.raw(
      `INSERT INTO regions (slug, name, kind, geom) VALUES (?, 'Testkiez', 'neighborhood',
         ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(?, ?), 4326), 0.2)))`,
      [slug, home.lon, home.lat],
    );
    await person.agent.put('/api/me/home').send(home).expect(200);
    const here = randomPlace();
    const pub = await person.agent
      .post('/api/posts')
      .send(postBody(here, { title: 'Public one' }))
      .expect(201);
    const near = await person.agent
      .post('/api/posts')
      .send(postBody(here, { title: 'Neighbours only', audience: 'neighbors' }))
      .expect(201);

    const seen = await other.agent.get(`/api/users/${person.handle.toUpperCase()}`).expect(200);
    expect(seen.body).toMatchObject({ handle: person.handle, displayName: `Test ${person.handle}`, isMe: false });
    expect(seen.body.neighborhood.cell).toMatch(/^87/); // res 7
    expect(seen.body.neighborhood.name).toBe('Testkiez');
    // issue 13: a public follower count, and the viewer's own follow/mute choice (never who the followers are)
    expect(Object.keys(seen.body).sort()).toEqual([
      'displayName',
      'followerCount',
      'handle',
      'isMe',
      'memberSince',
      'neighborhood',
      'posts',
      'relation',
    ]);
    expect(Object.keys(seen.body.neighborhood).sort()).toEqual(['cell', 'name']);
    expect(seen.body.posts.some((p: object) => 'location' in p)).toBe(false);
    expect(seen.body.posts.map((p: { id: string }) => p.id)).toEqual([pub.body.id]);
    expect(Date.parse(seen.body.memberSince)).toBeLessThanOrEqual(Date.now());

    const own = await person.agent.get(`/api/users/${person.handle}`).expect(200);
    expect(own.body.isMe).toBe(true);
    expect(own.body.posts.map((p: { id: string }) => p.id)).toEqual([near.body.id, pub.body.id]);

    await request(t.app).get('/api/users/nobody_here_xyz').expect(404);
    await request(t.app).get('/api/users/x').expect(400);
  });
});
