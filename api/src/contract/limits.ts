// Enums and limits of the contract as plain constants (no zod), so the web imports the same values its forms enforce
// (web: `$contract`) instead of repeating literals. The zod schemas in this folder are built from these.

export const POST_KINDS = ['post', 'question', 'event', 'alert', 'poll', 'lost_found'] as const;
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

// --- moderation (issue 11) ---
export const REPORT_REASONS = ['spam', 'harassment', 'hate', 'misinformation', 'privacy', 'illegal', 'off_topic', 'other'] as const;
export const MODERATION_TARGETS = ['post', 'comment'] as const;
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
