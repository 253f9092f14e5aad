import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTestApp } from '../helpers.ts';

const t = makeTestApp();
afterAll(() => t.close());

describe('operations endpoints', () => {
  it('/health and /ready report process and database', async () => {
    expect((await request(t.app).get('/health').expect(200)).body).toEqual({ status: 'ok' });
    const ready = await request(t.app).get('/ready').expect(200);
    expect(ready.body.database).toBe(true);
  });

  it('/ready is 503 when the database is unreachable', async () => {
    const broken = makeTestApp({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' });
    try {
      const res = await request(broken.app).get('/ready').expect(503);
      expect(res.body.database).toBe(false);
    } finally {
      await broken.close();
    }
  });

  it('/metrics exposes Prometheus metrics with route templates, not raw paths', async () => {
    await request(t.app).get('/api/posts/12345').expect(404);
    const text = (await request(t.app).get('/metrics').expect(200)).text;
    expect(text).toMatch(/process_cpu_user_seconds_total/);
    expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/posts\/:id"/);
    expect(text).not.toMatch(/route="\/api\/posts\/12345"/);
  });

  it('serves an OpenAPI 3.1 document with every route and a docs page', async () => {
    const doc = (await request(t.app).get('/api/openapi.json').expect(200)).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const path of ['/api/feed', '/api/posts', '/api/posts/{id}', '/api/cells/{cell}/posts', '/api/auth/login', '/api/me/home']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(doc.components.schemas.Post.properties).toHaveProperty('cell');
    const docs = await request(t.app).get('/api/docs').expect(200);
    expect(docs.text).toContain('swagger-ui-bundle.js');
    await request(t.app).get('/api/docs/assets/swagger-ui-bundle.js').expect(200);
  });

  it('answers unknown API routes with problem+json 404 and sets request ids and security headers', async () => {
    const res = await request(t.app).get('/api/nope').expect(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
