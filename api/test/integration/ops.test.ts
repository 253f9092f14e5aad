import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createLogger, createMetricsServer } from '../../src/http/observability.ts';
import { makeTestApp, testConfig } from '../helpers.ts';

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

  it('/metrics is not on the public port but on a listener of its own, with route templates, not raw paths', async () => {
    const { app, metrics } = createApp({ config: testConfig(), db: t.db, logger: createLogger('silent') });
    await request(app).get('/api/posts/9123456789012345').expect(404);
    await request(app).get('/metrics').expect(404);
    const server = createMetricsServer(metrics);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const res = await fetch(`${base}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toMatch(/process_cpu_user_seconds_total/);
      expect(text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/api\/posts\/:id"/);
      expect(text).not.toMatch(/route="\/api\/posts\/9123456789012345"/);
      expect((await fetch(`${base}/`)).status).toBe(404);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
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
