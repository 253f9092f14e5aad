import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE, renderOpenApi } from './openapi.ts';

describe('OpenAPI contract', () => {
  it('matches the committed api/openapi.json the web client is generated from (run `npm run openapi`)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApi());
  });

  it('documents problem+json errors and the session cookie', () => {
    const doc = JSON.parse(renderOpenApi());
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'hx_session' });
    const createPost = doc.paths['/api/posts'].post;
    expect(Object.keys(createPost.responses)).toEqual(expect.arrayContaining(['201', '401', '422']));
    expect(createPost.responses['422'].content).toHaveProperty(['application/problem+json']);
  });

  // security (issue 9, item 12)
  it('gives every operation an operationId (unique), declared security and every status it can answer', () => {
    const doc = JSON.parse(renderOpenApi());
    expect(doc.info.license).toHaveProperty('name');
    const ids = new Set<string>();
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)) {
      for (const [method, op] of Object.entries(methods)) {
        const where = `${method} ${path}`;
        expect(op.operationId, where).toMatch(/^[a-z][A-Za-z0-9]+$/);
        expect(ids.has(op.operationId as string), `${where}: duplicate operationId`).toBe(false);
        ids.add(op.operationId as string);
        expect(Array.isArray(op.security), `${where}: security`).toBe(true);
        const statuses = Object.keys(op.responses as object);
        expect(statuses, where).toEqual(expect.arrayContaining(['400', '503']));
        if (op.requestBody) expect(statuses, where).toEqual(expect.arrayContaining(['413', '422']));
        if (method !== 'get') expect(statuses, where).toContain('429');
      }
    }
    expect(doc.paths['/api/feed'].get.responses).toHaveProperty('429');
    expect(doc.paths['/api/me'].get.security).toEqual([{ session: [] }]);
  });
});
