import type { Db } from '../db/knex.ts';
import { createActivityRepository } from './activity.repository.ts';
import { createCommentRepository } from './comment.repository.ts';
import { createHealthRepository } from './health.repository.ts';
import { createOutboxRepository } from './outbox.repository.ts';
import { createPostRepository } from './post.repository.ts';
import { createReactionRepository } from './reaction.repository.ts';
import { createRegionRepository } from './region.repository.ts';
import { createRollupRepository } from './rollup.repository.ts';
import { createSearchDocumentRepository } from './search-document.repository.ts';
import { createSessionRepository } from './session.repository.ts';
import { createUserRepository } from './user.repository.ts';
// security (issue 9)
import { createRateLimitRepository } from './rate-limit.repository.ts';
// issue 12: polls, RSVPs, photos, profiles
import { createPhotoRepository } from './photo.repository.ts';
import { createPollRepository } from './poll.repository.ts';
import { createPostExtrasRepository } from './post-extras.repository.ts';
import { createProfileRepository } from './profile.repository.ts';
import { createRsvpRepository } from './rsvp.repository.ts';
// --- map tiles and address search (issue 12) ---
import { createAddressRepository } from './address.repository.ts';
import { createBasemapRepository } from './basemap.repository.ts';
// issue 10: shops and offers
import { createMerchantRepository } from './merchant.repository.ts';
import { createOfferRepository } from './offer.repository.ts';
// moderation (issue 11)
import { createModerationLogRepository } from './moderation-log.repository.ts';
import { createModerationRepository } from './moderation.repository.ts';
import { createRegionRoleRepository } from './region-role.repository.ts';
import { createRegionImportRepository } from './region-import.repository.ts';
import { createSlowModeRepository } from './slow-mode.repository.ts';
// --- issue 13: live events ---
import { createEventRepository } from './event.repository.ts';
import { createNotificationRepository } from './notification.repository.ts';
import { createSubscriptionRepository } from './subscription.repository.ts';
import { createBlockRepository } from './block.repository.ts';
// issue 13: follow, mute, block
import { createSocialRepository } from './social.repository.ts';
// issue 13: messages
import { createMessageRepository } from './message.repository.ts';
// issue 13: official alerts
import { createAlertRepository } from './alert.repository.ts';
import { createModerationAnswerRepository } from './moderation-answer.repository.ts';
// --- issue 13: email ---
import { createEmailTokenRepository } from './email-token.repository.ts';
import { createMailOutboxRepository } from './mail-outbox.repository.ts';

/**
 * Every repository, bound to one database handle. app.ts builds this once for the pool; withTransaction() builds it for
 * a transaction, so a service's multi-statement write uses the same repositories it reads with, all on one connection.
 * Services receive the repositories they use (never the handle itself).
 */
export function createRepositories(db: Db) {
  return {
    activity: createActivityRepository(db),
    comments: createCommentRepository(db),
    health: createHealthRepository(db),
    outbox: createOutboxRepository(db),
    posts: createPostRepository(db),
    reactions: createReactionRepository(db),
    regions: createRegionRepository(db),
    rollups: createRollupRepository(db),
    searchDocuments: createSearchDocumentRepository(db),
    sessions: createSessionRepository(db),
    users: createUserRepository(db),
    // security (issue 9)
    rateLimits: createRateLimitRepository(db),
    // issue 12: polls, RSVPs, photos, profiles
    photos: createPhotoRepository(db),
    polls: createPollRepository(db),
    postExtras: createPostExtrasRepository(db),
    profiles: createProfileRepository(db),
    rsvps: createRsvpRepository(db),
    // --- map tiles and address search (issue 12) ---
    addresses: createAddressRepository(db),
    basemap: createBasemapRepository(db),
    // issue 10: shops and offers
    merchants: createMerchantRepository(db),
    offers: createOfferRepository(db),
    // moderation (issue 11)
    moderation: createModerationRepository(db),
    moderationLog: createModerationLogRepository(db),
    regionRoles: createRegionRoleRepository(db),
    regionImport: createRegionImportRepository(db),
    slowMode: createSlowModeRepository(db),
    // --- issue 13: live events ---
    events: createEventRepository(db),
    notifications: createNotificationRepository(db),
    subscriptions: createSubscriptionRepository(db),
    blocks: createBlockRepository(db),
    // issue 13: follow, mute, block
    social: createSocialRepository(db),
    // issue 13: messages
    messages: createMessageRepository(db),
    // issue 13: official alerts
    alerts: createAlertRepository(db),
    moderationAnswers: createModerationAnswerRepository(db),
    // --- issue 13: email ---
    emailTokens: createEmailTokenRepository(db),
    mailOutbox: createMailOutboxRepository(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

/** Runs fn in one transaction with repositories bound to it; commits when fn resolves, rolls back when it throws. */
export type WithTransaction = <T>(fn: (repos: Repositories) => Promise<T>) => Promise<T>;

export function transactionRunner(db: Db): WithTransaction {
  return (fn) => db.transaction((trx) => fn(createRepositories(trx)));
}
