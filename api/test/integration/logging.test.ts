import { Writable } from 'node:stream';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createDb } from '../../src/db/knex.ts';
import { createLogger } from '../../src/http/observability.ts';
import { PASSWORD, testConfig, uniqueHandle } from '../helpers.ts';

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});
const config = testConfig();
const db = createDb(config.DATABASE_URL, 2);
const { app } = createApp({ config, db, logger: createLogger('debug', sink) });
afterAll(() => db.destroy());

describe('request logs', () => {
  it('are JSON with request ids and carry no passwords, cookies or coordinates', async () => {
    const agent = request.agent(app);
    const handle = uniqueHandle();
    await agent
      .post('/api/auth/register')
      .send({ handle, displayName: 'L', email: `${handle}@example.test`, password: PASSWORD })
      .expect(201);
    await agent
      .post('/api/posts')
      .send({ kind: 'post', title: 't', location: { lat: 12.3456789, lon: 98.7654321 } })
      .expect(201);
    await agent.get('/api/feed?lat=12.3456789&lon=98.7654321').set('x-request-id', 'trace-12345678').expect(200);
    const entries = lines.map((l) => JSON.parse(l) as { req?: { id?: string; path?: string } });
    expect(entries.some((e) => e.req?.id === 'trace-12345678' && e.req?.path === '/api/feed')).toBe(true);
    const all = lines.join('\n');
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain('hx_session=');
    expect(all).not.toContain('12.3456789');
    expect(all).not.toContain('98.7654321');
  });
});
