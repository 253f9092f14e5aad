import cookieParser from 'cookie-parser';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Db } from './db/knex.ts';
import { personalNoStore } from './http/cache-control.middleware.ts';
import { csrfProtection } from './http/csrf.middleware.ts';
import { createLogger, createMetrics, requestLogger } from './http/observability.ts';
import { notFoundHandler, problemHandler } from './http/problem.ts';
import { writeRateLimit } from './http/rate-limit.middleware.ts';
import { sessionMiddleware } from './http/session.middleware.ts';
import { createActivityRepository } from './repositories/activity.repository.ts';
import { createRegionRepository } from './repositories/region.repository.ts';
import { createSessionRepository } from './repositories/session.repository.ts';
import { createUserRepository } from './repositories/user.repository.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { insightRoutes } from './routes/insight.routes.ts';
import { metaRoutes } from './routes/meta.routes.ts';
import { postRoutes } from './routes/post.routes.ts';
import { regionRoutes } from './routes/region.routes.ts';
import { searchRoutes } from './routes/search.routes.ts';
import { createSearchConnection, type SearchConnection } from './search/meili.client.ts';
import { createPostsIndex } from './search/posts.index.ts';
import { createAudienceService } from './services/audience.service.ts';
import { createAuthService } from './services/auth.service.ts';
import { createCommentService } from './services/comment.service.ts';
import { createCursorCodec } from './services/cursor.ts';
import { createFeedService, createOriginGuard } from './services/feed.service.ts';
import { createHexagonService } from './services/hexagon.service.ts';
import { createPostService } from './services/post.service.ts';
import { createReactionService } from './services/reaction.service.ts';
import { createSearchService } from './services/search.service.ts';
import { createTrendsService } from './services/trends.service.ts';

export interface AppDeps {
  config: Config;
  db: Db;
  logger?: Logger;
  search?: SearchConnection;
  /** The SvelteKit handler, mounted after the API so pages and API share one origin. */
  web?: RequestHandler;
}

/** Builds the Express app without listening; tests import this. */
export function createApp({ config, db, logger = createLogger(config.LOG_LEVEL), search, web }: AppDeps) {
  // server.ts passes a connection with the search-only key; tests and benchmarks fall back to what the config has
  const searchConn = search ?? createSearchConnection(config.MEILI_URL, config.MEILI_SEARCH_KEY ?? config.MEILI_MASTER_KEY, config.MEILI_INDEX_PREFIX);
  const users = createUserRepository(db);
  const regions = createRegionRepository(db);
  const cursors = createCursorCodec(config.SESSION_SECRET);
  const audience = createAudienceService(regions);
  const auth = createAuthService({
    users,
    sessions: createSessionRepository(db),
    sessionDays: config.SESSION_DAYS,
    argon2MemoryKiB: config.ARGON2_MEMORY_KIB,
  });
  const posts = createPostService({ db, audience });
  // feed and search share one origin budget: either can be used to probe from many places
  const guardOrigin = createOriginGuard(config.FEED_ORIGIN_MOVES_PER_10MIN);
  const feed = createFeedService({ db, audience, cursors, originMovesPer10Min: config.FEED_ORIGIN_MOVES_PER_10MIN, guardOrigin });
  const searchService = createSearchService({ db, index: createPostsIndex(searchConn), regions, audience, cursors, guardOrigin });
  const activity = createActivityRepository(db);
  const trends = createTrendsService({ activity, regions });
  const hexagons = createHexagonService({ activity });
  const comments = createCommentService({ db, posts, users, audience, cursors });
  const reactions = createReactionService({ db, posts });
  const metrics = createMetrics();

  const app = express();
  app.disable('x-powered-by');
  // API responses are per-viewer and change constantly; hashing every body for an ETag costs CPU and saves nothing.
  app.set('etag', false);
  app.set('trust proxy', config.TRUST_PROXY);
  // Pages set their own CSP (SvelteKit); the API serves JSON and the docs page from its own assets.
  app.use(helmet({ contentSecurityPolicy: false }));
  app.use(requestLogger(logger));
  app.use(metrics.middleware);
  app.use('/api', express.json({ limit: '64kb', strict: true }));
  app.use(cookieParser());
  app.use(sessionMiddleware(auth, config.isProduction));
  app.use(personalNoStore);
  app.use('/api', csrfProtection(config.PUBLIC_ORIGIN));
  app.use('/api', writeRateLimit(config.RATE_LIMIT_WRITES_PER_MIN));

  // Hottest routes first: every router below is tried in order for each request.
  app.use(postRoutes({ posts, feed, comments, reactions, auth }));
  app.use(metaRoutes({ db, searchHealthy: () => searchConn.healthy() }));
  app.use(authRoutes(auth, { secureCookies: config.isProduction, authPerMinute: config.RATE_LIMIT_AUTH_PER_MIN }));
  app.use(regionRoutes(regions));
  app.use(searchRoutes(searchService));
  app.use(insightRoutes({ trends, hexagons }));
  app.use('/api', notFoundHandler);
  if (web) app.use(web);
  app.use(notFoundHandler);
  app.use(problemHandler(logger));

  return {
    app,
    services: { auth, posts, feed, comments, reactions, audience, search: searchService, trends, hexagons },
    search: searchConn,
    logger,
    metrics: metrics.registry, // served by server.ts on METRICS_PORT, not on the public port
  };
}
