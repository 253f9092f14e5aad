import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, postBody, randomPlace, signUp } from '../helpers.ts';

const t = makeTestApp();
afterAll(() => t.close());

interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
}

let operations: Operation[] = [];
let agent: Awaited<ReturnType<typeof signUp>>['agent'];
let postId = '';

beforeAll(async () => {
  const doc = (await request(t.app).get('/api/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
  operations = Object.entries(doc.paths)
    .flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method as Operation['method'], path })))
    // a live stream answers 200 and stays open (live.test.ts covers its hostile queries)
    .filter((op) => op.path !== '/api/stream');
  ({ agent } = await signUp(t.app));
  postId = (await agent.post('/api/posts').send(postBody(randomPlace())).expect(201)).body.id;
});

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '-1',
    '0',
    '1e309',
    'NaN',
    'null',
    '__proto__',
    '../../etc/passwd',
    "' OR 1=1 --",
    '"}',
    '%00',
    '\u0000',
    'ffffffffffffffff',
    '8f1f1d48903ffff',
    '881f1d4891fffff',
    'x'.repeat(5000),
    '9223372036854775808',
    '9223372036854775807',
    '0000-01-01T00:00:00Z',
    '1969-12-31',
    '9999-12-31T23:59:59Z',
    'title\u0000with NUL',
    '\u001b[31m\u0007',
    'eyJzIjoieCJ9.AAAA',
  ),
  fc.integer().map(String),
  fc.double().map(String),
);
const jsonValue = fc.jsonValue({ maxDepth: 3 });
const hostileBody = fc.oneof(
  jsonValue,
  fc.dictionary(
    fc.constantFrom(
      'kind',
      'title',
      'body',
      'tags',
      'location',
      'precision',
      'audience',
      'login',
      'password',
      'handle',
      'email',
      'displayName',
      'settings',
      'lat',
      'lon',
      'eventStartsAt',
      'pollOptions',
      '__proto__',
      'constructor',
    ),
    fc.oneof(jsonValue, hostileString),
  ),
  fc.constant(postBody({ lat: 1e308, lon: -1e308 })),
);

function fillPath(path: string, value: string): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'id' && value === '$post' ? postId : encodeURIComponent(value)));
}

describe('hostile input never causes a 5xx', () => {
  it('random params, queries and bodies on every route', async () => {
    expect(operations.length).toBeGreaterThan(15);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations),
        fc.oneof(hostileString, fc.constant('$post')),
        fc.dictionary(
          fc.constantFrom('lat', 'lon', 'radius', 'kind', 'cursor', 'limit', 'cell', 'q', 'bbox', 'res', 'metric', 'since', 'parent', 'x', 'lat[]'),
          hostileString,
          { maxKeys: 5 },
        ),
        hostileBody,
        fc.boolean(),
        async (op, pathValue, query, body, signedIn) => {
          const client = signedIn ? agent : request(t.app);
          const url = fillPath(op.path, pathValue);
          const res = await client[op.method](url).query(query).set('Content-Type', 'application/json').send(JSON.stringify(body));
          // Routes answered from Meilisearch may find their index still being built by another test file of this run:
          // that is the documented outage answer (503 + Retry-After), not a failure to handle the input.
          const searchBacked = /^\/api\/(search|merchants|addresses)(\?|$)/.test(url.split('?')[0]!);
          if (!(searchBacked && res.status === 503 && res.headers['retry-after'])) expect(res.status, `${op.method} ${url}`).toBeLessThan(500);
          if (res.status >= 400 && url.startsWith('/api')) expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('malformed raw bodies: broken JSON, wrong content type, huge bodies, deep nesting', async () => {
    const raw = [
      ['application/json', '{"kind": "post",'],
      ['application/json', 'null'],
      ['application/json', '"just a string"'],
      ['application/json', '[1,2,3]'],
      ['text/plain', 'kind=post'],
      ['application/x-www-form-urlencoded', 'kind=post&title=x'],
      ['application/json', JSON.stringify({ title: 'x'.repeat(200_000) })],
      ['application/json', '['.repeat(5000) + ']'.repeat(5000)],
      ['application/json; charset=latin-9', '{}'],
    ] as const;
    for (const [type, payload] of raw) {
      const res = await agent.post('/api/posts').set('Content-Type', type).send(payload);
      expect(res.status, `${type} ${payload.slice(0, 30)}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.text).not.toMatch(/at \w+ \(|node_modules/);
    }
  });
});
