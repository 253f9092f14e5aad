import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCursorCodec } from '../../src/services/cursor.ts';
import { makeTestApp, postBody, randomPlace, signUp, testConfig, uniqueHandle } from '../helpers.ts';

const t = makeTestApp();
afterAll(() => t.close());

let agent: Awaited<ReturnType<typeof signUp>>['agent'];
let postId = '';
const here = randomPlace();
beforeAll(async () => {
  ({ agent } = await signUp(t.app));
  postId = (await agent.post('/api/posts').send(postBody(here)).expect(201)).body.id;
});

const fields = (res: request.Response) => (res.body.errors ?? []).map((e: { field: string }) => e.field) as string[];

function expectRefused(res: request.Response, status: number, field: string) {
  expect(res.status, `${field}: ${res.text.slice(0, 200)}`).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(fields(res)).toContain(field);
}

const CONTROL = ['\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\u000b'];

describe('hostile text gets a 4xx with field errors, never a 500', () => {
  it('NUL and other control characters in every kind of string field', async () => {
    for (const c of CONTROL) {
      const bad = `bad${c}text`;
      expectRefused(await agent.post('/api/posts').send(postBody(here, { title: bad })), 422, 'body.title');
      expectRefused(await agent.post('/api/posts').send(postBody(here, { body: bad })), 422, 'body.body');
      expectRefused(await agent.post('/api/posts').send(postBody(here, { tags: [bad] })), 422, 'body.tags.0');
      expectRefused(await agent.post('/api/posts').send(postBody(here, { kind: 'poll', pollOptions: ['a', bad] })), 422, 'body.pollOptions.1');
      expectRefused(await agent.patch(`/api/posts/${postId}`).send({ body: bad }), 422, 'body.body');
      expectRefused(await agent.post(`/api/posts/${postId}/comments`).send({ body: bad }), 422, 'body.body');
      expectRefused(await agent.patch('/api/me').send({ displayName: bad }), 422, 'body.displayName');
      expectRefused(await request(t.app).post('/api/auth/login').send({ login: bad, password: 'x' }), 422, 'body.login');
      const h = uniqueHandle();
      expectRefused(
        await request(t.app)
          .post('/api/auth/register')
          .send({ handle: h, displayName: bad, email: `${h}@example.test`, password: `long enough ${bad}` }),
        422,
        'body.displayName',
      );
      expectRefused(await request(t.app).get('/api/search').query({ q: bad, lat: here.lat, lon: here.lon }), 400, 'query.q');
    }
  });

  it('a body over the JSON limit is a 413 problem, as every operation with a body declares', async () => {
    const doc = (await request(t.app).get('/api/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { responses: object }>> };
    expect(Object.keys(doc.paths['/api/posts']!.post!.responses)).toContain('413');
    const res = await agent.post('/api/posts').send(postBody(here, { body: 'x'.repeat(70_000) }));
    expect(res.status).toBe(413);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('bodies keep tabs and line breaks (CRLF becomes LF); titles refuse line breaks', async () => {
    const res = await agent
      .post('/api/posts')
      .send(postBody(here, { body: 'line 1\r\n\tline 2\rline 3' }))
      .expect(201);
    expect(res.body.body).toBe('line 1\n\tline 2\nline 3');
    expectRefused(await agent.post('/api/posts').send(postBody(here, { title: 'two\nlines' })), 422, 'body.title');
  });

  it('ids beyond bigint are refused; the largest bigint is just a missing post', async () => {
    for (const id of ['9223372036854775808', '99999999999999999999', '18446744073709551616']) {
      expectRefused(await request(t.app).get(`/api/posts/${id}`), 400, 'params.id');
      expectRefused(await agent.delete(`/api/posts/${id}`), 400, 'params.id');
    }
    await request(t.app).get('/api/posts/9223372036854775807').expect(404);
    expectRefused(await request(t.app).get('/api/regions/9223372036854775808'), 400, 'params.key');
    await request(t.app).get('/api/regions/9223372036854775807').expect(404);
    expectRefused(await request(t.app).get('/api/regions').query({ parent: '9223372036854775808' }), 400, 'query.parent');
  });

  it('events cannot start in the past (created or edited)', async () => {
    const past = new Date(Date.now() - 3600_000).toISOString();
    expectRefused(await agent.post('/api/posts').send(postBody(here, { kind: 'event', eventStartsAt: past })), 422, 'body.eventStartsAt');
    const soon = new Date(Date.now() + 86_400_000).toISOString();
    const id = (
      await agent
        .post('/api/posts')
        .send(postBody(here, { kind: 'event', eventStartsAt: soon }))
        .expect(201)
    ).body.id;
    expectRefused(await agent.patch(`/api/posts/${id}`).send({ eventStartsAt: past }), 422, 'body.eventStartsAt');
  });

  it('dates outside 1970–2100 are refused', async () => {
    for (const when of ['0000-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '2100-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '+275760-09-13T00:00:00Z']) {
      expectRefused(await agent.post('/api/posts').send(postBody(here, { kind: 'event', eventStartsAt: when })), 422, 'body.eventStartsAt');
    }
    for (const since of ['0001-01-01', '1969-12-31', '2100-01-01', '0000-01-01T00:00:00Z']) {
      const res = await request(t.app).get('/api/hexagons').query({ bbox: '13.3,52.4,13.5,52.6', since });
      expect(res.status, since).toBe(400);
      expect(fields(res).some((f) => f.startsWith('query.since'))).toBe(true);
    }
  });

  it('a correctly signed cursor with a malformed payload is a 400 on the cursor field', async () => {
    const codec = createCursorCodec(testConfig().SESSION_SECRET);
    const feed = await request(t.app).get('/api/feed').query({ lat: here.lat, lon: here.lon, limit: 1 }).expect(200);
    const scope = (feed.body.origin as { cell: string }).cell;
    for (const [createdAt, id] of [
      ['not a time', '1'],
      ['99999-01-01 00:00:00+00', '1'],
      ['2026-01-01 00:00:00+00', '9223372036854775808'],
      ['2026-01-01 00:00:00+00', '1 OR 1=1'],
    ] as const) {
      const cursor = codec.encode(`feed:${scope}:1000:`, { createdAt, id });
      expectRefused(await request(t.app).get('/api/feed').query({ lat: here.lat, lon: here.lon, cursor }), 400, 'query.cursor');
    }
  });

  it('property: a string field carrying any control character anywhere is refused, never stored, never a 500', async () => {
    const control = fc
      .integer({ min: 0, max: 0x9f })
      .filter((c) => c < 0x20 || c >= 0x7f)
      .map((c) => String.fromCharCode(c));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('title', 'body', 'tag', 'option'),
        fc.string({ maxLength: 20 }),
        control,
        fc.string({ maxLength: 20 }),
        async (field, before, c, after) => {
          const bad = `${before}${c}${after}x`; // inside the text: trimming may take surrounding whitespace
          const extra =
            field === 'title'
              ? { title: `t${bad}` }
              : field === 'body'
                ? { body: bad }
                : field === 'tag'
                  ? { tags: [`a${bad}`] }
                  : { kind: 'poll', pollOptions: ['yes', `o${bad}`] };
          const res = await agent.post('/api/posts').send(postBody(here, extra));
          const allowedInBody = field === 'body' && ['\t', '\n', '\r'].includes(c);
          if (allowedInBody) expect(res.status).toBeLessThan(500);
          else expect(res.status, JSON.stringify(bad)).toBe(422);
        },
      ),
      { numRuns: 150 },
    );
  });
});
