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
});
