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

// --- live updates (issue 13) ---
/** at most this many cells in one stream's watch */
export const STREAM_CELLS_MAX = 64;
/** what the notification centre tells about; each can be switched off */
export const NOTIFICATION_KINDS = ['comment', 'reply', 'reaction', 'area_post'] as const;
/** area subscriptions: per user, and cells per subscription */
export const SUBSCRIPTIONS_MAX = 20;
export const SUBSCRIPTION_CELLS_MAX = 500;
export type NotificationKindValue = (typeof NOTIFICATION_KINDS)[number];
