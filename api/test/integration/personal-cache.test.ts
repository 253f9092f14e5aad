import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp, PASSWORD, postBody, randomPlace, signUp } from '../helpers.ts';

// Responses that depend on who is asking must never be kept by a shared cache (or the browser's disk cache).

const t = makeTestApp({ ARGON2_MEMORY_KIB: '1024' });
afterAll(() => t.close());

const NO_STORE = 'private, no-store';

describe('Cache-Control on personalised responses', () => {
  it('a post as its author sees it (with the exact point), /api/me and sign-in answers are private, no-store', async () => {
    const { agent, handle } = await signUp(t.app);
    const place = randomPlace();
    const created = await agent.post('/api/posts').send(postBody(place)).expect(201);
    expect(created.headers['cache-control']).toBe(NO_STORE);

    const asAuthor = await agent.get(`/api/posts/${created.body.id}`).expect(200);
    expect(asAuthor.body.location).toEqual(place); // the exact point: for the author only
    expect(asAuthor.headers['cache-control']).toBe(NO_STORE);

    expect((await agent.get('/api/me').expect(200)).headers['cache-control']).toBe(NO_STORE);
    expect((await agent.get(`/api/feed?lat=${place.lat}&lon=${place.lon}&radius=1000`).expect(200)).headers['cache-control']).toBe(NO_STORE);

    const login = await request(t.app).post('/api/auth/login').send({ login: handle, password: PASSWORD }).expect(200);
    expect(login.headers['set-cookie']).toBeDefined();
    expect(login.headers['cache-control']).toBe(NO_STORE);
    expect((await request(t.app).get('/api/me').expect(401)).headers['cache-control']).toBe(NO_STORE);
  });

  it('what everyone sees alike is not marked personal', async () => {
    const { agent } = await signUp(t.app);
    const created = await agent.post('/api/posts').send(postBody(randomPlace())).expect(201);
    const anonymous = await request(t.app).get(`/api/posts/${created.body.id}`).expect(200);
    expect(anonymous.headers['cache-control'] ?? '').not.toContain('no-store');
    expect(anonymous.headers['cache-control'] ?? '').not.toContain('private');
  });
});
