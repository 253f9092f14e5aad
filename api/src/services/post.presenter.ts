import type { z } from 'zod';
import type { Post } from '../contract/post.schema.ts';
import { bigintToCell, cellCentroid, distanceBucket, distanceMeters, type LatLon } from '../geo/h3.ts';
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
export function presentPost(row: PostRow, viewerId: string | null, reactions: ReactionSummary | undefined, origin?: LatLon): PostDto {
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
  };
}
