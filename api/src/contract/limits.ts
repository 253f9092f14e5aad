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
