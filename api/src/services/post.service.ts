import type { z } from 'zod';
import type { CreatePostBody, UpdatePostBody } from '../contract/post.schema.ts';
import { cellToBigint, placeAtPrecision, type LatLon, type Precision } from '../geo/h3.ts';
import { ForbiddenError, NotFoundError, ValidationError, type FieldError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import type { PostExtrasRepository } from '../repositories/post-extras.repository.ts';
import type { NewPost, PostPatch, PostPlacement, PostPoint, PostRepository, PostRow } from '../repositories/post.repository.ts';
import type { ReactionRepository } from '../repositories/reaction.repository.ts';
import type { RegionRepository } from '../repositories/region.repository.ts';
import type { WithTransaction } from '../repositories/repositories.ts';
import type { AudienceService } from './audience.service.ts';
import type { ModerationGate } from './moderation-gate.service.ts';
import { followingMark, presentPost, type PostDto } from './post.presenter.ts';

type CreateInput = z.output<typeof CreatePostBody>;
type UpdateInput = z.output<typeof UpdatePostBody>;

export interface PostServiceDeps {
  posts: PostRepository;
  reactions: ReactionRepository;
  postExtras: PostExtrasRepository;
  withTransaction: WithTransaction;
  audience: AudienceService;
  /** moderation (issue 11): suspended writers may not post where they are suspended */
  gate?: ModerationGate;
}

/** Everything index-related derives from the exact point and the chosen precision, in geo/. */
export function postPoint(location: LatLon, precision: Precision): PostPoint {
  const placed = placeAtPrecision(location, precision);
  return {
    lat: location.lat,
    lon: location.lon,
    precision,
    display_cell: cellToBigint(placed.displayCell).toString(),
    h3_9: cellToBigint(placed.h3_9).toString(),
    h3_8: cellToBigint(placed.h3_8).toString(),
    h3_7: cellToBigint(placed.h3_7).toString(),
    h3_5: cellToBigint(placed.h3_5).toString(),
    centroidLat: placed.centroid.lat,
    centroidLon: placed.centroid.lon,
  };
}

async function placePost(regions: RegionRepository, location: LatLon, precision: Precision): Promise<PostPlacement> {
  const point = postPoint(location, precision);
  // Region from the display centroid, so even region membership reveals no more than the display cell.
  return { ...point, region_id: await regions.neighborhoodAt(point.centroidLat, point.centroidLon) };
}

/** The row create() writes for a validated request: placement from geo/, duplicate tags dropped. */
export function newPost(authorId: string, input: CreateInput, precision: Precision): NewPost {
  return {
    ...postPoint(input.location, precision),
    author_id: authorId,
    kind: input.kind,
    title: input.title,
    body: input.body,
    tags: [...new Set(input.tags)],
    audience: input.audience,
    event_starts_at: input.eventStartsAt ?? null,
    poll_options: input.pollOptions ?? null,
    poll_closes_at: input.pollClosesAt ?? null,
    event_ends_at: input.eventEndsAt ?? null,
    event_place: input.eventPlace ?? null,
    event_capacity: input.eventCapacity ?? null,
    sale_price_cents: input.salePriceCents ?? null,
    sale_condition: input.saleCondition ?? null,
  };
}

/** security/residents (issue 9, item 13): an event cannot start in the past (a few minutes' grace for slow forms). */
const EVENT_PAST_GRACE_MS = 5 * 60_000;
function refusePastEvent(eventStartsAt: string | undefined, now = Date.now()): void {
  if (eventStartsAt !== undefined && Date.parse(eventStartsAt) < now - EVENT_PAST_GRACE_MS) {
    throw new ValidationError([{ field: 'body.eventStartsAt', message: 'an event cannot start in the past' }]);
  }
}

const KIND_FIELDS: Record<string, (keyof UpdateInput)[]> = {
  event: ['eventStartsAt', 'eventEndsAt', 'eventPlace', 'eventCapacity'],
  poll: ['pollClosesAt'],
  for_sale: ['salePriceCents', 'saleCondition'],
};

/** An edit may change the kind fields of the post's own kind only; an event still ends after it starts. */
export function editPatch(kind: string, current: Pick<PostRow, 'event_starts_at' | 'event_ends_at'>, input: UpdateInput): PostPatch {
  const errors: FieldError[] = [];
  for (const [fieldKind, fields] of Object.entries(KIND_FIELDS)) {
    if (fieldKind === kind) continue;
    for (const field of fields) if (input[field] !== undefined) errors.push({ field: `body.${field}`, message: `only ${fieldKind} posts have this` });
  }
  const startsAt = input.eventStartsAt ?? current.event_starts_at?.toISOString();
  const endsAt = input.eventEndsAt === undefined ? current.event_ends_at?.toISOString() : input.eventEndsAt;
  if (kind === 'event' && startsAt && endsAt && Date.parse(endsAt) <= Date.parse(startsAt)) {
    errors.push({ field: 'body.eventEndsAt', message: 'an event ends after it starts' });
  }
  if (errors.length) throw new ValidationError(errors);
  const patch: PostPatch = {};
  if (input.title !== undefined) patch.title = input.title;
  if (input.body !== undefined) patch.body = input.body;
  if (input.tags !== undefined) patch.tags = [...new Set(input.tags)];
  if (input.audience !== undefined) patch.audience = input.audience;
  if (input.eventStartsAt !== undefined) patch.event_starts_at = input.eventStartsAt;
  if (input.eventEndsAt !== undefined) patch.event_ends_at = input.eventEndsAt;
  if (input.eventPlace !== undefined) patch.event_place = input.eventPlace;
  if (input.eventCapacity !== undefined) patch.event_capacity = input.eventCapacity;
  if (input.pollClosesAt !== undefined) patch.poll_closes_at = input.pollClosesAt;
  if (input.salePriceCents !== undefined) patch.sale_price_cents = input.salePriceCents;
  if (input.saleCondition !== undefined) patch.sale_condition = input.saleCondition;
  return patch;
}

export function createPostService({ posts, reactions, postExtras, withTransaction, audience, gate }: PostServiceDeps) {
  async function present(row: PostRow, viewer: Viewer | undefined): Promise<PostDto> {
    const [summary, extras] = await Promise.all([reactions.summaries([row.id], viewer?.id ?? null), postExtras.load([row.id], viewer?.id ?? null)]);
    return presentPost(row, viewer?.id ?? null, summary.get(row.id), undefined, extras.get(row.id));
  }

  async function loadVisible(id: string, viewer: Viewer | undefined): Promise<PostRow> {
    const row = await posts.findById(id);
    // Hidden, deleted and out-of-audience posts are indistinguishable from missing ones.
    if (!row || !audience.canSee(row, await audience.scopeFor(viewer))) throw new NotFoundError('Post');
    return row;
  }

  /** A post the viewer may not even see answers like a missing one (no existence oracle); a visible one, 403. */
  async function refuseNonAuthor(txPosts: PostRepository, id: string, viewer: Viewer, detail: string): Promise<never> {
    const row = await txPosts.findById(id);
    if (!row || !audience.canSee(row, await audience.scopeFor(viewer))) throw new NotFoundError('Post');
    throw new ForbiddenError(detail);
  }

  return {
    loadVisible,
    present,

    async create(viewer: Viewer, input: CreateInput, defaultPrecision: Precision): Promise<PostDto> {
      if (input.pollClosesAt && Date.parse(input.pollClosesAt) <= Date.now()) {
        throw new ValidationError([{ field: 'body.pollClosesAt', message: 'a poll closes in the future' }]);
      }
      refusePastEvent(input.eventStartsAt);
      // One statement writes the post, its neighbourhood, its rollup counts and its outbox row, atomically: a post
      // is written far more often than anything else, and each extra round trip cost as much as the insert itself.
      const post = newPost(viewer.id, input, input.precision ?? defaultPrecision);
      await gate?.assertMayPost(viewer.id, post);
      const row = await posts.create(post);
      // nobody can have reacted to a post that did not exist until this statement committed
      return presentPost(row, viewer.id, undefined);
    },

    async get(id: string, viewer: Viewer | undefined): Promise<PostDto> {
      const scope = await audience.scopeFor(viewer);
      const row = await posts.findById(id);
      if (!row || !audience.canSee(row, scope)) throw new NotFoundError('Post');
      return { ...(await present(row, viewer)), following: followingMark(row, scope) };
    },

    async update(id: string, viewer: Viewer, input: UpdateInput): Promise<PostDto> {
      refusePastEvent(input.eventStartsAt);
      await withTransaction(async (tx) => {
        const current = await tx.posts.lockForUpdate(id);
        if (!current || current.deleted_at) throw new NotFoundError('Post');
        if (current.author_id !== viewer.id) await refuseNonAuthor(tx.posts, id, viewer, 'Only the author can edit this post.');
        const existing = (await tx.posts.findById(id))!;
        const patch = editPatch(current.kind, existing, input);
        let placement: PostPlacement | undefined;
        if (input.location || input.precision) {
          placement = await placePost(tx.regions, input.location ?? { lat: existing.lat, lon: existing.lon }, input.precision ?? existing.precision);
        }
        // rollups count a post by its cells and tags: take it out under the old ones, back in under the new
        // ... and by audience: only public posts are counted
        const recount = placement !== undefined || input.tags !== undefined || input.audience !== undefined;
        await tx.posts.recordRevision(id, viewer.id);
        if (recount) await tx.rollups.removePost(id);
        await tx.posts.update(id, patch, placement);
        if (recount) await tx.rollups.addPost(id);
        await tx.outbox.enqueue('post', id, 'upsert');
      });
      return present((await posts.findById(id))!, viewer);
    },

    async remove(id: string, viewer: Viewer): Promise<void> {
      await withTransaction(async (tx) => {
        const current = await tx.posts.lockForUpdate(id);
        if (!current || current.deleted_at) throw new NotFoundError('Post');
        if (current.author_id !== viewer.id) await refuseNonAuthor(tx.posts, id, viewer, 'Only the author can delete this post.');
        await tx.rollups.removePost(id);
        await tx.posts.softDelete(id);
        await tx.outbox.enqueue('post', id, 'delete');
      });
    },
  };
}

export type PostService = ReturnType<typeof createPostService>;
