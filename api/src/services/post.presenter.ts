import type { z } from 'zod';
import type { Post } from '../contract/post.schema.ts';
import { bigintToCell, cellCentroid, distanceBucket, distanceMeters, type LatLon } from '../geo/h3.ts';
import type { AudienceScope } from '../policy/audience.policy.ts';
import type { PostExtras } from '../repositories/post-extras.repository.ts';
import type { PostRow } from '../repositories/post.repository.ts';

export type PostDto = z.infer<typeof Post>;

export interface ReactionSummary {
  counts: Record<string, number>;
  mine: string[];
}

/**
 * The one place a post row becomes a response. Everyone but the author sees the display cell, its centroid and a
 * distance bucket measured from the snapped origin to that centroid; only the author gets `location`.
 */
export function presentPost(
  row: PostRow,
  viewerId: string | null,
  reactions: ReactionSummary | undefined,
  origin?: LatLon,
  extras?: PostExtras,
  now = new Date(),
): PostDto {
  const cell = bigintToCell(row.display_cell);
  const centroid = cellCentroid(cell);
  const isAuthor = viewerId !== null && viewerId === row.author_id;
  const counts = reactions?.counts ?? {};
  return {
    id: row.id,
    kind: row.kind as PostDto['kind'],
    title: row.title,
    body: row.body,
    tags: row.tags,
    author: { handle: row.author_handle, displayName: row.author_display_name },
    cell,
    precision: row.precision,
    centroid,
    ...(origin ? { distance: distanceBucket(distanceMeters(origin, centroid)) } : {}),
    audience: row.audience,
    ...(row.offer_id ? { offerId: String(row.offer_id) } : {}),
    region: row.region_id ? { id: row.region_id, slug: row.region_slug ?? '', name: row.region_name ?? '' } : null,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    editedAt: row.edited_at ? row.edited_at.toISOString() : null,
    commentCount: row.comment_count,
    reactionCounts: { plus_one: counts.plus_one ?? 0, me_too: counts.me_too ?? 0, thanks: counts.thanks ?? 0 },
    myReactions: (reactions?.mine ?? []) as PostDto['myReactions'],
    isAuthor,
    ...(isAuthor ? { location: { lat: row.lat, lon: row.lon } } : {}),
    eventStartsAt: row.event_starts_at ? row.event_starts_at.toISOString() : null,
    pollOptions: row.poll_options,
    poll: presentPoll(row, isAuthor, extras, now),
    event: row.kind === 'event' && row.event_starts_at ? presentEvent(row, extras) : null,
    sale:
      row.kind === 'for_sale' && row.sale_price_cents !== null
        ? { priceCents: row.sale_price_cents, free: row.sale_price_cents === 0, condition: (row.sale_condition as 'new' | null) ?? null }
        : null,
    photos: (extras?.photos ?? []).map((p) => ({ id: p.id, url: photoUrl(p), width: p.width, height: p.height, alt: p.alt })),
  };
}

/** issue 13: the viewer follows the post's author, or the shop behind an offer. */
export function followingMark(row: Pick<PostRow, 'author_id' | 'offer_merchant_id'>, scope: AudienceScope): boolean {
  if (scope.followedUserIds?.includes(String(row.author_id))) return true;
  return Boolean(row.offer_merchant_id && scope.followedMerchantIds?.includes(String(row.offer_merchant_id)));
}

export function photoUrl(p: { id: string; storage_key: string }): string {
  return `/api/photos/${p.id}/${p.storage_key}.webp`;
}

/** Results are shown once you have voted, once the poll has closed, and always to its author. */
function presentPoll(row: PostRow, isAuthor: boolean, extras: PostExtras | undefined, now: Date): PostDto['poll'] {
  if (row.kind !== 'poll' || !row.poll_options) return null;
  const closed = row.poll_closes_at !== null && row.poll_closes_at <= now;
  const myVote = extras?.myVote ?? null;
  const counts = row.poll_options.map((_, i) => extras?.pollCounts.get(i) ?? 0);
  return {
    options: row.poll_options,
    closesAt: row.poll_closes_at ? row.poll_closes_at.toISOString() : null,
    closed,
    myVote,
    totalVotes: counts.reduce((a, b) => a + b, 0),
    counts: closed || myVote !== null || isAuthor ? counts : null,
  };
}

function presentEvent(row: PostRow, extras: PostExtras | undefined): PostDto['event'] {
  return {
    startsAt: row.event_starts_at!.toISOString(),
    endsAt: row.event_ends_at ? row.event_ends_at.toISOString() : null,
    place: row.event_place,
    capacity: row.event_capacity,
    going: extras?.going ?? 0,
    maybe: extras?.maybe ?? 0,
    myRsvp: extras?.myRsvp ?? null,
  };
}
