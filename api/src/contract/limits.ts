// Enums and limits of the contract as plain constants (no zod), so the web imports the same values its forms enforce
// (web: `$contract`) instead of repeating literals. The zod schemas in this folder are built from these.

export const POST_KINDS = ['post', 'question', 'event', 'alert', 'poll', 'lost_found', 'for_sale'] as const;
export const AUDIENCES = ['public', 'neighbors', 'region'] as const;
export const REACTION_KINDS = ['plus_one', 'me_too', 'thanks'] as const;
export const PRECISIONS = [7, 8, 9] as const;
export const WHO_CAN_REPLY = ['everyone', 'neighbors'] as const;

/** Feed and search radii in metres. */
export const RADII = [500, 1000, 2000, 5000] as const;
export const DEFAULT_FEED_RADIUS = 1000;
export const DEFAULT_SEARCH_RADIUS = 2000;

export const TITLE_MAX = 140;
export const BODY_MAX = 5000;
export const COMMENT_MAX = 2000;
export const TAGS_MAX = 10;
export const TAG_MAX_LENGTH = 32;
export const POLL_OPTIONS_MIN = 2;
export const POLL_OPTIONS_MAX = 4;
export const POLL_OPTION_MAX = 80;
export const DISPLAY_NAME_MAX = 60;
export const SEARCH_QUERY_MAX = 200;
export const PASSWORD_MIN = 10;

export type PostKindValue = (typeof POST_KINDS)[number];
export type RadiusValue = (typeof RADII)[number];

// --- security (issue 9): homes decide neighbour and district audiences, so moving is slow and rare ---
/** A new home counts for neighbours/district audiences this many days after a move (a first home counts at once). */
export const HOME_MOVE_WAIT_DAYS = 7;
/** Moves (home changes after the first) allowed in any 30 days. */
export const HOME_MOVES_PER_30_DAYS = 2;
// Posts that do what people use them for (issue 12): polls, events, for sale & free, photos.
export const RSVP_STATUSES = ['going', 'maybe'] as const;
export const SALE_CONDITIONS = ['new', 'like_new', 'good', 'fair'] as const;
export const EVENT_PLACE_MAX = 140;
export const EVENT_CAPACITY_MAX = 100_000;
/** euro cents; 0 means free */
export const SALE_PRICE_MAX_CENTS = 100_000_00;
export const PHOTOS_PER_POST = 4;
export const PHOTO_ALT_MAX = 300;
/** uploads larger than this are refused (422) before decoding */
export const PHOTO_UPLOAD_MAX_BYTES = 12 * 1024 * 1024;
/** longest edge of a stored photo, in pixels */
export const PHOTO_MAX_EDGE = 1600;
// --- map tiles and address search (issue 12) ---
/** Vector tile sets the API serves at /api/tiles/{set}/{z}/{x}/{y}.mvt. */
export const TILE_LAYER_SETS = ['base'] as const;
/** Zoom range tiles are served for (the offline style asks up to TILE_SOURCE_MAX_ZOOM and overzooms beyond). */
export const TILE_MAX_ZOOM = 22;
export const TILE_SOURCE_MAX_ZOOM = 15;
export const ADDRESS_QUERY_MAX = 120;
export const ADDRESS_RESULTS_MAX = 20;
// --- merchants and offers (issue 10) ---
export const MERCHANT_CATEGORIES = [
  'bakery',
  'cafe',
  'restaurant',
  'supermarket',
  'bar',
  'pub',
  'biergarten',
  'nightclub',
  'pharmacy',
  'fitness_centre',
  'bank',
  'marketplace',
  'other',
] as const;
export const MERCHANT_ROLES = ['owner', 'staff'] as const;
/** Shop search radii in metres. */
export const MERCHANT_RADII = [250, 500, 1000, 2000, 5000] as const;
export const MERCHANT_NAME_MAX = 120;
export const OPENING_HOURS_MAX = 500;
export const OFFER_TITLE_MAX = 140;
export const OFFER_TERMS_MAX = 2000;
export const OFFER_CAP_MAX = 1_000_000;
/** Target area: rings of res-8 cells (~0.5 km each) around the shop, or up to this many chosen res-8 cells. */
export const OFFER_RING_MAX = 4;
export const OFFER_CELLS_MAX = 61;
export const OFFER_DAYS_MAX = 90;
/** Claim codes: 20 Crockford base32 characters = 100 random bits. */
export const CLAIM_CODE_LENGTH = 20;
/** by-area dashboard counts: cells with fewer distinct people are merged into "elsewhere" */
export const K_ANONYMITY = 10;
export type MerchantCategoryValue = (typeof MERCHANT_CATEGORIES)[number];

// --- moderation (issue 11) ---
export const REPORT_REASONS = ['spam', 'harassment', 'hate', 'misinformation', 'privacy', 'illegal', 'off_topic', 'other'] as const;
/** issue 13: a message can be reported too (by its recipient) */
export const MODERATION_TARGETS = ['post', 'comment', 'message'] as const;
/** What a moderator can do to an item; every one needs a reason category and a text. */
export const MODERATION_ACTIONS = ['hide', 'remove', 'restore', 'lock_comments', 'unlock_comments', 'warn', 'suspend', 'dismiss'] as const;
/** Log entries written by appeal decisions (not chosen in the action form). */
export const APPEAL_OUTCOMES = ['granted', 'denied'] as const;
export const APPEALABLE_ACTIONS = ['hide', 'remove', 'lock_comments', 'warn', 'suspend'] as const;
/** Reason categories of a moderator's action: a report's categories, or why nothing was wrong. */
export const ACTION_REASONS = [...REPORT_REASONS, 'no_violation', 'moderator_error'] as const;
export const MODERATION_ROLES = ['moderator', 'lead'] as const;
export const REPORT_TEXT_MAX = 1000;
export const REASON_TEXT_MAX = 2000;
export const APPEAL_TEXT_MAX = 2000;
export const SUSPEND_HOURS_MAX = 24 * 90;
/** Open cases older than this escalate to the parent region's moderators (shown first, flagged). */
export const ESCALATE_AFTER_HOURS = 48;
/** Slow mode: automatic when a res-7 cell has at least MIN posts today and FACTOR × its usual daily posts (28 days). */
export const SLOW_MODE_FACTOR = 10;
export const SLOW_MODE_MIN_POSTS = 50;
export const SLOW_MODE_AUTO_MINUTES = 10;
export const SLOW_MODE_AUTO_HOURS = 6;
export const SLOW_MODE_MINUTES_MAX = 1440;
/** Spam limits: accounts younger than this many days may put at most NEW_ACCOUNT_LINKS_MAX links in a post. */
export const NEW_ACCOUNT_DAYS = 7;
export const NEW_ACCOUNT_LINKS_MAX = 2;
// --- live updates (issue 13) ---
/** at most this many cells in one stream's watch */
export const STREAM_CELLS_MAX = 64;
/** what the notification centre tells about; each can be switched off */
export const NOTIFICATION_KINDS = [
  'comment',
  'reply',
  'reaction',
  'rsvp',
  'area_post',
  // issue 13: messages and shop claims
  'message',
  'claim',
  // issue 13: official alerts; answers to my reports and appeals
  'alert',
  'report',
  'appeal',
] as const;
/** area subscriptions: per user, and cells per subscription */
export const SUBSCRIPTIONS_MAX = 20;
export const SUBSCRIPTION_CELLS_MAX = 500;
export type NotificationKindValue = (typeof NOTIFICATION_KINDS)[number];
// --- issue 13: messages ---
export const MESSAGE_MAX = 2000;
/** "who may start a conversation with me"; neighbours = home res-7 cell the same or touching (the audience notion) */
export const WHO_MAY_MESSAGE = ['everyone', 'neighbors', 'nobody'] as const;
export const DEFAULT_WHO_MAY_MESSAGE = 'neighbors';
/** messages per sender per minute (shared budget across API processes) */
export const MESSAGES_PER_MINUTE = 10;
/** accounts younger than NEW_ACCOUNT_DAYS may start at most this many new conversations a day */
export const NEW_ACCOUNT_CONVERSATIONS_PER_DAY = 3;
export type WhoMayMessageValue = (typeof WHO_MAY_MESSAGE)[number];

// --- issue 13: official alerts ---
export const ALERT_SEVERITIES = ['info', 'warning', 'urgent'] as const;
export type AlertSeverityValue = (typeof ALERT_SEVERITIES)[number];
/** an alert runs at least this long and at most ALERT_DAYS_MAX days */
export const ALERT_MINUTES_MIN = 15;
export const ALERT_DAYS_MAX = 14;
export const ALERT_BODY_MAX = 2000;
export const ALERT_LINK_MAX = 500;
/** cells a moderator may draw (res 7–9); a region's res-8 cover may be larger (the whole city) */
export const ALERT_CELLS_MAX = 500;
/** "N neighbours saw this" is shown from this many people up (an aggregate about people) */
export const ALERT_ACK_MIN_SHOWN = 10;
