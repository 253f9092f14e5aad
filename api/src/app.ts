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
import { createRateLimits } from './http/rate-limit.middleware.ts';
import { sessionMiddleware } from './http/session.middleware.ts';
import { createRepositories, transactionRunner } from './repositories/repositories.ts';
import { authRoutes } from './routes/auth.routes.ts';
import { insightRoutes } from './routes/insight.routes.ts';
import { metaRoutes } from './routes/meta.routes.ts';
import { postRoutes } from './routes/post.routes.ts';
import { regionRoutes } from './routes/region.routes.ts';
import { searchRoutes } from './routes/search.routes.ts';
import { createSearchConnection, type SearchConnection } from './search/meili.client.ts';
import { createPostsIndex } from './search/posts.index.ts';
import { createAudienceService, relationScope } from './services/audience.service.ts';
// issue 13: social — follow, mute, block
import { socialRoutes } from './routes/social.routes.ts';
import { createSocialService } from './services/social.service.ts';
import { createAuthService } from './services/auth.service.ts';
import { createCommentService } from './services/comment.service.ts';
import { createCursorCodec } from './services/cursor.ts';
import { createFeedService, createOriginGuard } from './services/feed.service.ts';
import { createHexagonService } from './services/hexagon.service.ts';
import { createPostService } from './services/post.service.ts';
import { createReactionService } from './services/reaction.service.ts';
import { createRegionService } from './services/region.service.ts';
import { createSearchService } from './services/search.service.ts';
import { createTrendsService } from './services/trends.service.ts';
// issue 12: polls, events, photos, profiles
import { createLocalPhotoStorage } from './media/photo-storage.ts';
import { participationRoutes } from './routes/participation.routes.ts';
import { createEventService } from './services/event.service.ts';
import { createPhotoService } from './services/photo.service.ts';
import { createPollService } from './services/poll.service.ts';
import { createProfileService } from './services/profile.service.ts';
// --- map tiles and address search (issue 12) ---
import { mapRoutes } from './routes/map.routes.ts';
import { createAddressesIndex } from './search/addresses.index.ts';
import { createAddressService } from './services/address.service.ts';
import { createMapService } from './services/map.service.ts';
// issue 10: shops and offers
import { merchantRoutes } from './routes/merchant.routes.ts';
import { createMerchantsIndex } from './search/merchants.index.ts';
import { createMerchantService } from './services/merchant.service.ts';
import { createOfferService } from './services/offer.service.ts';
// moderation (issue 11)
import { moderationRoutes } from './routes/moderation.routes.ts';
import { createAppealService } from './services/appeal.service.ts';
import { createModerationLogService } from './services/moderation-log.service.ts';
import { createModerationRoleService } from './services/moderation-role.service.ts';
import { createModerationScopeService } from './services/moderation-scope.service.ts';
import { createModerationService } from './services/moderation.service.ts';
import { createModerationGate } from './services/moderation-gate.service.ts';
import { regionImportRoutes } from './routes/region-import.routes.ts';
import { createRegionImportService } from './services/region-import.service.ts';
import { createSlowModeService } from './services/slow-mode.service.ts';
// --- issue 13: live updates ---
import { LiveHub } from './live/live-hub.ts';
import { streamRoutes } from './routes/stream.routes.ts';
import { createStreamService } from './services/stream.service.ts';
import { createNotificationWorker } from './live/notification-worker.ts';
import { notificationRoutes } from './routes/notification.routes.ts';
import { createNotificationService } from './services/notification.service.ts';
import { subscriptionRoutes } from './routes/subscription.routes.ts';
import { createSubscriptionService } from './services/subscription.service.ts';
// issue 13: messages
import { messageRoutes } from './routes/message.routes.ts';
import { createMessageService } from './services/message.service.ts';
// issue 13: official alerts
import { alertRoutes } from './routes/alert.routes.ts';
import { createAlertService } from './services/alert.service.ts';
// --- issue 13: email ---
import { areaPostMailer } from './mail/area-post.mail.ts';
import { createDigestJob } from './mail/digest.job.ts';
import { createMailWorker } from './mail/mail-worker.ts';
import { createSmtpMailer, type Mailer } from './mail/mailer.ts';
import { accountEmailRoutes } from './routes/account-email.routes.ts';
import { createAccountEmailService } from './services/account-email.service.ts';

export interface AppDeps {
  config: Config;
  db: Db;
  logger?: Logger;
  search?: SearchConnection;
  /** The SvelteKit handler, mounted after the API so pages and API share one origin. */
  web?: RequestHandler;
  /** issue 13: email — defaults to SMTP at config.SMTP_URL */
  mailer?: Mailer;
}

/** Builds the Express app without listening; tests import this. */
export function createApp({ config, db, logger = createLogger(config.LOG_LEVEL), search, web, mailer }: AppDeps) {
  // server.ts passes a connection with the search-only key; tests and benchmarks fall back to what the config has
  const searchConn =
    search ?? createSearchConnection(config.MEILI_URL, config.MEILI_SEARCH_KEY ?? config.MEILI_MASTER_KEY, config.MEILI_INDEX_PREFIX);
  // Every repository is built once here and handed to the services that use it; multi-statement writes get
  // transaction-bound ones from withTransaction. Services never see the database handle.
  const repos = createRepositories(db);
  const withTransaction = transactionRunner(db);
  const cursors = createCursorCodec(config.SESSION_SECRET);
  const audience = createAudienceService(repos.regions, repos.social); // issue 13: social — blocks, mutes, follows in the scope
  // --- issue 13: email --- links in mails point at the public origin
  const publicOrigin = config.PUBLIC_ORIGIN ?? `http://${config.HOST}:${config.PORT}`;
  const accountEmail = createAccountEmailService({
    users: repos.users,
    withTransaction,
    publicOrigin,
    argon2MemoryKiB: config.ARGON2_MEMORY_KIB,
    logger: logger.child({ component: 'mail' }),
  });
  const auth = createAuthService({
    users: repos.users,
    sessions: repos.sessions,
    sessionDays: config.SESSION_DAYS,
    argon2MemoryKiB: config.ARGON2_MEMORY_KIB,
    withTransaction, // issue 13: email
    signUpMail: accountEmail.mailForNewAddress,
    requireVerifiedEmail: config.REQUIRE_VERIFIED_EMAIL,
  });
  const moderationGate = createModerationGate({ moderation: repos.moderation, slowMode: repos.slowMode }); // issue 11
  const posts = createPostService({
    posts: repos.posts,
    reactions: repos.reactions,
    postExtras: repos.postExtras,
    withTransaction,
    audience,
    gate: moderationGate,
  });
  // feed and search share one origin budget: either can be used to probe from many places
  const guardOrigin = createOriginGuard(config.FEED_ORIGIN_MOVES_PER_10MIN);
  const feed = createFeedService({
    posts: repos.posts,
    reactions: repos.reactions,
    postExtras: repos.postExtras,
    audience,
    cursors,
    originMovesPer10Min: config.FEED_ORIGIN_MOVES_PER_10MIN,
    guardOrigin,
  });
  const searchService = createSearchService({
    posts: repos.posts,
    reactions: repos.reactions,
    postExtras: repos.postExtras,
    index: createPostsIndex(searchConn),
    regions: repos.regions,
    audience,
    cursors,
    guardOrigin,
  });
  const trends = createTrendsService({ activity: repos.activity, regions: repos.regions });
  const hexagons = createHexagonService({ activity: repos.activity });
  const comments = createCommentService({
    comments: repos.comments,
    withTransaction,
    posts,
    users: repos.users,
    audience,
    cursors,
    gate: moderationGate,
  });
  const reactions = createReactionService({ reactions: repos.reactions, posts });
  const regions = createRegionService({ regions: repos.regions });
  // moderation (issue 11)
  const moderationScopes = createModerationScopeService({ regionRoles: repos.regionRoles, regions: repos.regions });
  const moderation = createModerationService({
    moderation: repos.moderation,
    moderationLog: repos.moderationLog,
    comments: repos.comments,
    posts,
    scopes: moderationScopes,
    withTransaction,
    receivedMessage: (viewer, id) => messages.receivedMessage(viewer, id), // issue 13: reporting a message
  });
  const appeals = createAppealService({
    moderationLog: repos.moderationLog,
    answers: repos.moderationAnswers,
    scopes: moderationScopes,
    withTransaction,
  });
  const moderationLogs = createModerationLogService({
    moderationLog: repos.moderationLog,
    regionRoles: repos.regionRoles,
    scopes: moderationScopes,
    secret: config.SESSION_SECRET,
  });
  const moderationRoles = createModerationRoleService({ regionRoles: repos.regionRoles, regions: repos.regions });
  const metrics = createMetrics();
  const rateLimits = createRateLimits(repos.rateLimits);
  // issue 12: polls, events, photos, profiles
  const polls = createPollService({ polls: repos.polls, posts });
  const events = createEventService({ posts, withTransaction });
  const photos = createPhotoService({ photos: repos.photos, posts, storage: createLocalPhotoStorage(config.PHOTO_DIR), withTransaction });
  const profiles = createProfileService({
    profiles: repos.profiles,
    posts: repos.posts,
    reactions: repos.reactions,
    postExtras: repos.postExtras,
    audience,
    social: repos.social, // issue 13: social
  });
  // --- map tiles and address search (issue 12) ---
  const map = createMapService({ basemap: repos.basemap });
  const addressSearch = createAddressService({ index: createAddressesIndex(searchConn) });
  // issue 10: shops and offers
  const offers = createOfferService({ offers: repos.offers, merchants: repos.merchants, posts: repos.posts, withTransaction, audience });
  const merchantsIndex = createMerchantsIndex(searchConn);
  const merchants = createMerchantService({
    merchants: repos.merchants,
    withTransaction,
    offers: () => offers,
    textSearch: (q, filter) => merchantsIndex.search(q, filter, 500),
  });
  // --- issue 13: live updates --- one hub per process, started by the first stream; server.ts stops it on shutdown
  const live = new LiveHub(repos.events, logger.child({ component: 'live' }), {
    listenUrl: config.DATABASE_URL,
    pollMs: config.LIVE_POLL_SECONDS * 1000,
    heartbeatMs: config.LIVE_HEARTBEAT_SECONDS * 1000,
    retainSeconds: config.LIVE_RETAIN_HOURS * 3600,
  });
  const notifications = createNotificationService({
    notifications: repos.notifications,
    // issue 13: social — what blocked (either way) and muted people did is left out of the list and the count
    hiddenFor: async (userId) => relationScope(await repos.social.relationsOf(userId)).hiddenAuthorIds ?? [],
  });
  const subscriptions = createSubscriptionService({ subscriptions: repos.subscriptions });
  // server.ts starts it (LISTEN + poll); tests call runOnce(). Recipients with a stream open hear "notifications".
  const notificationWorker = createNotificationWorker({
    withTransaction,
    audience,
    logger: logger.child({ component: 'notifications' }),
    mailAreaPost: areaPostMailer(publicOrigin), // issue 13: email
  });
  // issue 13: official alerts
  const alerts = createAlertService({ alerts: repos.alerts, scopes: moderationScopes, audience, withTransaction });
  // issue 13: messages
  const messages = createMessageService({
    messages: repos.messages,
    merchants: repos.merchants,
    offers: repos.offers,
    users: repos.users,
    blocks: repos.blocks,
    notifications: repos.notifications,
    rateLimits: repos.rateLimits,
    withTransaction,
  });
  const streams = createStreamService({
    hub: live,
    posts,
    audience,
    guardOrigin,
    perClientMax: config.LIVE_STREAMS_PER_CLIENT,
    // issue 13: social — blocks and mutes made while a stream is open reach it within this
    social: repos.social,
    relationsRefreshMs: 10_000,
  });
  // --- issue 13: email --- server.ts starts the worker (LISTEN + poll) and the digest schedule; tests call runOnce()
  const mailWorker = createMailWorker({
    db,
    mailer: mailer ?? createSmtpMailer(config.SMTP_URL, config.MAIL_FROM),
    logger: logger.child({ component: 'mail' }),
  });
  const digestJob = createDigestJob({
    withTransaction,
    feed,
    publicOrigin,
    sendFromHour: config.MAIL_DIGEST_HOUR,
    logger: logger.child({ component: 'digest' }),
  });

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
  app.use('/api', rateLimits.writes(config.RATE_LIMIT_WRITES_PER_MIN));

  // Hottest routes first: every router below is tried in order for each request.
  app.use(postRoutes({ posts, feed, comments, reactions, auth }));
  app.use(metaRoutes({ health: repos.health, searchHealthy: () => searchConn.healthy() }));
  app.use(authRoutes(auth, { secureCookies: config.isProduction, authPerMinute: config.RATE_LIMIT_AUTH_PER_MIN, rateLimits }));
  app.use(regionRoutes(regions));
  app.use(searchRoutes(searchService));
  app.use(insightRoutes({ trends, hexagons }));
  app.use(participationRoutes({ polls, events, photos, profiles })); // issue 12
  app.use(mapRoutes(map, addressSearch)); // issue 12
  app.use(merchantRoutes({ merchants, offers }));
  app.use(
    moderationRoutes({
      moderation,
      appeals,
      logs: moderationLogs,
      roles: moderationRoles,
      slowMode: createSlowModeService({ slowMode: repos.slowMode, scopes: moderationScopes }),
    }),
  ); // issue 11
  app.use(regionImportRoutes(createRegionImportService({ withTransaction }))); // issue 11
  app.use(streamRoutes(streams));
  app.use(notificationRoutes(notifications));
  app.use(subscriptionRoutes(subscriptions));
  // issue 13: social — follow, mute, block
  app.use(
    socialRoutes(
      createSocialService({ social: repos.social, blocks: repos.blocks, profiles: repos.profiles, merchants: repos.merchants, withTransaction }),
    ),
  );
  app.use(messageRoutes(messages)); // issue 13: messages
  app.use(alertRoutes(alerts)); // issue 13: official alerts
  app.use(accountEmailRoutes(accountEmail, auth, { secureCookies: config.isProduction, mailPerHour: config.RATE_LIMIT_MAIL_PER_HOUR, rateLimits })); // issue 13: email
  app.use('/api', notFoundHandler);
  if (web) app.use(web);
  app.use(notFoundHandler);
  app.use(problemHandler(logger));

  return {
    app,
    services: {
      auth,
      posts,
      feed,
      comments,
      reactions,
      audience,
      regions,
      search: searchService,
      trends,
      hexagons,
      // moderation (issue 11)
      moderation,
      moderationScopes,
      appeals,
      map,
      addressSearch,
      merchants,
      offers,
      streams, // issue 13: social (tests refresh open streams' relations)
      messages, // issue 13
      alerts, // issue 13: official alerts
    },
    repositories: repos,
    withTransaction,
    search: searchConn,
    logger,
    live,
    notificationWorker,
    // --- issue 13: email ---
    mailWorker,
    digestJob,
    metrics: metrics.registry, // served by server.ts on METRICS_PORT, not on the public port
  };
}
