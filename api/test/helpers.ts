import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { createDb, type Db } from '../src/db/knex.ts';
import { createLogger } from '../src/http/observability.ts';
import { placeAtPrecision, type Precision } from '../src/geo/h3.ts';

// Shared fixtures for integration tests: a real app on the run's real database.

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_AUTH_PER_MIN: '100000',
    RATE_LIMIT_WRITES_PER_MIN: '100000',
    FEED_ORIGIN_MOVES_PER_10MIN: '100000',
    RATE_LIMIT_MAIL_PER_HOUR: '100000', // issue 13: email
    ...overrides,
  });
}

export interface TestApp {
  app: ReturnType<typeof createApp>['app'];
  db: Db;
  close(): Promise<void>;
}

export function makeTestApp(overrides: Record<string, string> = {}): TestApp {
  const config = testConfig(overrides);
  const db = createDb(config.DATABASE_URL, 5);
  const { app } = createApp({ config, db, logger: createLogger(process.env.TEST_LOG_LEVEL === 'error' ? 'error' : 'silent') });
  return { app, db, close: () => db.destroy() };
}

export function uniqueHandle(prefix = 'u'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

export const PASSWORD = 'correct horse battery staple';

/** Registers a fresh user and returns a supertest agent carrying their session cookie. */
export async function signUp(app: TestApp['app'], handle = uniqueHandle(), headers: Record<string, string> = {}) {
  const agent = request.agent(app);
  for (const [name, value] of Object.entries(headers)) agent.set(name, value);
  const res = await agent
    .post('/api/auth/register')
    .send({ handle, displayName: `Test ${handle}`, email: `${handle}@example.test`, password: PASSWORD })
    .expect(201);
  return { agent, user: res.body.user as { id: string; handle: string }, handle };
}

/** A point well inside Berlin (Friedrichshain), with helpers to offset it by metres. */
export const BERLIN = { lat: 52.5106, lon: 13.459 };

export function offsetMeters(point: { lat: number; lon: number }, north: number, east: number) {
  const dLat = north / 111_320;
  const dLon = east / (111_320 * Math.cos((point.lat * Math.PI) / 180));
  return { lat: point.lat + dLat, lon: point.lon + dLon };
}

export function postBody(location: { lat: number; lon: number }, extra: Record<string, unknown> = {}) {
  return { kind: 'post', title: 'Hello neighbours', body: 'A test post', tags: ['test'], location, ...extra };
}

/**
 * The cells a post written at this point is stored under (what boards, streams and subscriptions match), at the default
 * precision 8. Not the parents of the point's own res-9 cell: H3 parents do not nest exactly, and for ~3% of points the
 * two differ.
 */
export function postCellsAt(point: { lat: number; lon: number }, precision: Precision = 8) {
  const { h3_7, h3_8, h3_9 } = placeAtPrecision(point, precision);
  return { h3_7, h3_8, h3_9 };
}

/** A random spot on Earth, so each test's posts have an area to themselves in the shared database. */
export function randomPlace() {
  return { lat: -50 + Math.random() * 110, lon: -170 + Math.random() * 340 };
}
