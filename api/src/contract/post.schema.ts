import { z } from 'zod';
import {
  Cell,
  Cursor,
  DistanceBucket,
  Id,
  Instant,
  LatLon,
  LatQuery,
  Limit,
  LonQuery,
  Precision,
  PublicAuthor,
  queryNumber,
  RadiusValue,
  text,
} from './common.schema.ts';
import {
  AUDIENCES,
  BODY_MAX,
  COMMENT_MAX,
  DEFAULT_FEED_RADIUS,
  EVENT_CAPACITY_MAX,
  EVENT_PLACE_MAX,
  PHOTO_ALT_MAX,
  POLL_OPTION_MAX,
  POLL_OPTIONS_MAX,
  POLL_OPTIONS_MIN,
  POST_KINDS,
  REACTION_KINDS,
  RSVP_STATUSES,
  SALE_CONDITIONS,
  SALE_PRICE_MAX_CENTS,
  TAG_MAX_LENGTH,
  TAGS_MAX,
  TITLE_MAX,
} from './limits.ts';
import { registry } from './registry.ts';

export { POST_KINDS, REACTION_KINDS };
export const PostKind = z.enum(POST_KINDS).openapi('PostKind');
export const Audience = z.enum(AUDIENCES).openapi('Audience', {
  description: 'public: everyone; neighbors: people whose home is within ~1 res-7 ring; region: people living in the same district',
});
export const ReactionKind = z.enum(REACTION_KINDS).openapi('ReactionKind');

const Tag = text({ max: 64 })
  .toLowerCase()
  .regex(new RegExp(`^[a-z0-9][a-z0-9-]{0,${TAG_MAX_LENGTH - 1}}$`), `tags are 1-${TAG_MAX_LENGTH} lowercase letters, digits or dashes`);

export const ReactionCounts = registry.register(
  'ReactionCounts',
  z.object({ plus_one: z.number().int(), me_too: z.number().int(), thanks: z.number().int() }),
);

export const RegionRef = registry.register('RegionRef', z.object({ id: z.string(), slug: z.string(), name: z.string() }));

export const RsvpStatus = z.enum(RSVP_STATUSES).openapi('RsvpStatus');
export const SaleCondition = z.enum(SALE_CONDITIONS).openapi('SaleCondition');

export const PollState = registry.register(
  'PollState',
  z.object({
    options: z.array(z.string()),
    closesAt: z.string().nullable(),
    closed: z.boolean(),
    myVote: z.number().int().nullable().openapi({ description: 'Index of the option you voted for; null if you have not' }),
    totalVotes: z.number().int(),
    counts: z
      .array(z.number().int())
      .nullable()
      .openapi({ description: 'Votes per option — only once you have voted, the poll has closed, or to its author' }),
  }),
);

export const EventDetails = registry.register(
  'EventDetails',
  z.object({
    startsAt: z.string(),
    endsAt: z.string().nullable(),
    place: z.string().nullable(),
    capacity: z.number().int().nullable(),
    going: z.number().int(),
    maybe: z.number().int(),
    myRsvp: RsvpStatus.nullable(),
  }),
);

export const SaleDetails = registry.register(
  'SaleDetails',
  z.object({ priceCents: z.number().int().openapi({ description: 'euro cents; 0 = free' }), free: z.boolean(), condition: SaleCondition.nullable() }),
);

export const Photo = registry.register(
  'Photo',
  z.object({ id: z.string(), url: z.string(), width: z.number().int(), height: z.number().int(), alt: z.string() }),
);

export const Post = registry.register(
  'Post',
  z.object({
    id: z.string(),
    kind: z.union([PostKind, z.literal('offer')]).openapi({ description: "'offer': a shop's offer (issue 10), see offerId" }),
    title: z.string(),
    body: z.string(),
    tags: z.array(z.string()),
    author: PublicAuthor,
    cell: Cell.openapi({ description: 'Display cell at the post’s precision' }),
    precision: Precision,
    centroid: LatLon.openapi({ description: 'Centroid of the display cell (not the exact point)' }),
    distance: DistanceBucket.optional().openapi({ description: 'From the snapped query origin to the display cell' }),
    audience: z.union([Audience, z.literal('area')]).openapi({ description: "'area': a shop offer's target cells" }),
    offerId: z.string().optional().openapi({ description: 'For kind offer: the offer to claim (GET /api/offers/{id})' }),
    region: z.union([RegionRef, z.null()]),
    status: z.enum(['visible', 'hidden', 'removed']),
    createdAt: z.string(),
    updatedAt: z.string(),
    editedAt: z.string().nullable().openapi({ description: 'When the author last edited the post; null if never' }),
    commentCount: z.number().int(),
    reactionCounts: ReactionCounts,
    myReactions: z.array(ReactionKind),
    isAuthor: z.boolean(),
    // issue 13: follow
    following: z.boolean().optional().openapi({ description: 'The signed-in viewer follows its author (or, for an offer, its shop)' }),
    location: LatLon.optional().openapi({ description: 'Exact point — present only in responses to the author' }),
    eventStartsAt: z.string().nullable(),
    pollOptions: z.array(z.string()).nullable(),
    poll: PollState.nullable(),
    event: EventDetails.nullable(),
    sale: SaleDetails.nullable(),
    photos: z.array(Photo),
  }),
);

const eventFields = {
  eventEndsAt: Instant.optional(),
  eventPlace: text({ min: 1, max: EVENT_PLACE_MAX }).optional(),
  eventCapacity: z.number().int().min(1).max(EVENT_CAPACITY_MAX).optional(),
};
const saleFields = {
  salePriceCents: z.number().int().min(0).max(SALE_PRICE_MAX_CENTS).optional().openapi({ description: 'euro cents; 0 = free' }),
  saleCondition: SaleCondition.optional(),
};
const pollClosesAt = Instant.optional();

/** Kind-specific fields belong to their kind; an event ends after it starts. */
function checkKindFields(
  b: {
    kind?: string;
    eventStartsAt?: string;
    eventEndsAt?: string;
    eventPlace?: string;
    eventCapacity?: number;
    salePriceCents?: number;
    saleCondition?: string;
    pollClosesAt?: string;
  },
  ctx: z.RefinementCtx,
) {
  if (b.kind === undefined) return;
  for (const field of ['eventEndsAt', 'eventPlace', 'eventCapacity'] as const) {
    if (b.kind !== 'event' && b[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'only events have this' });
  }
  for (const field of ['salePriceCents', 'saleCondition'] as const) {
    if (b.kind !== 'for_sale' && b[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'only for-sale posts have this' });
  }
  if (b.kind !== 'poll' && b.pollClosesAt !== undefined) ctx.addIssue({ code: 'custom', path: ['pollClosesAt'], message: 'only polls close' });
  if (b.eventStartsAt && b.eventEndsAt && Date.parse(b.eventEndsAt) <= Date.parse(b.eventStartsAt)) {
    ctx.addIssue({ code: 'custom', path: ['eventEndsAt'], message: 'an event ends after it starts' });
  }
}

const pollOptions = z
  .array(text({ min: 1, max: POLL_OPTION_MAX }))
  .min(POLL_OPTIONS_MIN)
  .max(POLL_OPTIONS_MAX);

export const CreatePostBody = registry.register(
  'CreatePostBody',
  z
    .strictObject({
      kind: PostKind,
      title: text({ min: 1, max: TITLE_MAX }),
      body: text({ max: BODY_MAX, multiline: true, trim: false }).default(''),
      tags: z.array(Tag).max(TAGS_MAX).default([]),
      location: LatLon,
      precision: Precision.optional().openapi({ description: 'Defaults to your settings (8 unless changed)' }),
      audience: Audience.default('public'),
      eventStartsAt: Instant.optional(),
      pollOptions: pollOptions.optional(),
      pollClosesAt,
      ...eventFields,
      ...saleFields,
    })
    .superRefine((b, ctx) => {
      checkKindFields(b, ctx);
      if (b.kind === 'for_sale' && b.salePriceCents === undefined) {
        ctx.addIssue({ code: 'custom', path: ['salePriceCents'], message: 'give a price, or 0 if it is free' });
      }
      if (b.kind === 'poll' && !b.pollOptions) ctx.addIssue({ code: 'custom', path: ['pollOptions'], message: 'a poll needs 2-4 options' });
      if (b.kind !== 'poll' && b.pollOptions) ctx.addIssue({ code: 'custom', path: ['pollOptions'], message: 'only polls have options' });
      if (b.kind === 'event' && !b.eventStartsAt) ctx.addIssue({ code: 'custom', path: ['eventStartsAt'], message: 'an event needs a start time' });
      if (b.kind !== 'event' && b.eventStartsAt) ctx.addIssue({ code: 'custom', path: ['eventStartsAt'], message: 'only events have a start time' });
    }),
);

export const UpdatePostBody = registry.register(
  'UpdatePostBody',
  z
    .strictObject({
      title: text({ min: 1, max: TITLE_MAX }).optional(),
      body: text({ max: BODY_MAX, multiline: true, trim: false }).optional(),
      tags: z.array(Tag).max(TAGS_MAX).optional(),
      location: LatLon.optional(),
      precision: Precision.optional(),
      audience: Audience.optional(),
      eventStartsAt: Instant.optional(),
      pollClosesAt: pollClosesAt.nullable(),
      eventEndsAt: eventFields.eventEndsAt.nullable(),
      eventPlace: eventFields.eventPlace.nullable(),
      eventCapacity: eventFields.eventCapacity.nullable(),
      ...saleFields,
    })
    .refine((b) => Object.keys(b).length > 0, 'send at least one field to change'),
);

export const PostIdParams = z.strictObject({ id: Id });

export const Radius = queryNumber(RadiusValue).default(DEFAULT_FEED_RADIUS).openapi({ description: 'metres: 500, 1000, 2000 or 5000' });

export const FeedQuery = z.strictObject({
  lat: LatQuery,
  lon: LonQuery,
  radius: Radius,
  kind: PostKind.optional(),
  free: z.enum(['true']).optional().openapi({ description: 'with kind=for_sale: only things given away for free' }),
  // issue 13: follow
  following: z.enum(['true']).optional().openapi({ description: 'only posts by people and shops the signed-in viewer follows' }),
  cursor: Cursor.optional(),
  limit: Limit,
});

export const FeedPage = registry.register(
  'FeedPage',
  z.object({
    items: z.array(Post),
    nextCursor: z.string().nullable(),
    origin: z.object({ cell: Cell, centroid: LatLon }),
  }),
);

export const CellParams = z.strictObject({ cell: Cell });
export const CellPostsQuery = z.strictObject({
  kind: PostKind.optional(),
  free: z.enum(['true']).optional().openapi({ description: 'with kind=for_sale: only things given away for free' }),
  // issue 13: follow
  following: z.enum(['true']).optional().openapi({ description: 'only posts by people and shops the signed-in viewer follows' }),
  cursor: Cursor.optional(),
  limit: Limit,
  lat: LatQuery.optional(),
  lon: LonQuery.optional(),
});
export const CellPage = registry.register('CellPage', z.object({ items: z.array(Post), nextCursor: z.string().nullable(), cell: Cell }));

export const Comment = registry.register(
  'Comment',
  z.object({ id: z.string(), postId: z.string(), body: z.string(), author: PublicAuthor, createdAt: z.string(), isAuthor: z.boolean() }),
);
export const CreateCommentBody = registry.register(
  'CreateCommentBody',
  z.strictObject({ body: text({ min: 1, max: COMMENT_MAX, multiline: true }) }),
);
export const CommentPage = registry.register('CommentPage', z.object({ items: z.array(Comment), nextCursor: z.string().nullable() }));
export const PageQuery = z.strictObject({ cursor: Cursor.optional(), limit: Limit });

export const ReactionParams = z.strictObject({ id: Id, kind: ReactionKind });
export const ReactionState = registry.register('ReactionState', z.object({ reactionCounts: ReactionCounts, myReactions: z.array(ReactionKind) }));

// Polls, RSVPs, photos (issue 12)
export const VoteBody = registry.register('VoteBody', z.strictObject({ option: z.number().int().min(0).max(9) }));
export const RsvpBody = registry.register('RsvpBody', z.strictObject({ status: RsvpStatus }));
export const PhotoParams = z.strictObject({ id: Id, photoId: Id });
export const PhotoFileParams = z.strictObject({ photoId: Id, file: z.string().regex(/^[a-f0-9]{32}\.webp$/, 'unknown photo') });
export const PhotoUploadQuery = z.strictObject({ alt: text({ max: PHOTO_ALT_MAX }).default('') });
export const PhotoAltBody = registry.register('PhotoAltBody', z.strictObject({ alt: text({ max: PHOTO_ALT_MAX }) }));
