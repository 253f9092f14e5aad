import { cellCentroid, cellParent, bigintToCell } from '../geo/h3.ts';
import { NotFoundError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import { ANONYMOUS } from '../policy/audience.policy.ts';
import type { PostExtrasRepository } from '../repositories/post-extras.repository.ts';
import type { PostRepository } from '../repositories/post.repository.ts';
import type { ProfileRepository } from '../repositories/profile.repository.ts';
import type { ReactionRepository } from '../repositories/reaction.repository.ts';
import type { SocialRepository } from '../repositories/social.repository.ts';
import type { AudienceService } from './audience.service.ts';
import { presentPost, type PostDto } from './post.presenter.ts';

export interface ProfileDeps {
  profiles: ProfileRepository;
  posts: PostRepository;
  reactions: ReactionRepository;
  postExtras: PostExtrasRepository;
  audience: AudienceService;
  /** issue 13: blocks (both ways) hide a profile like a missing one; follower count and my follow/mute */
  social: Pick<SocialRepository, 'relationsOf' | 'followerCount'>;
}

export interface ProfileDto {
  handle: string;
  displayName: string;
  memberSince: string;
  neighborhood: { cell: string; name: string | null } | null;
  isMe: boolean;
  followerCount: number;
  relation: { following: boolean; muted: boolean } | null;
  posts: PostDto[];
}

const RECENT_POSTS = 20;

/**
 * A person's page. Where they live is shown as their home's res-7 cell (~5 km²) and the neighbourhood at its centre,
 * never finer. Others see their recent public posts only — a profile must not gather someone's neighbours-only posts
 * in one place; the person themselves sees all of theirs.
 *
 * Issue 13: between two people where either blocked the other, the profile answers 404 exactly like a missing handle.
 * That hides the person, not the fact that a handle exists: a blocked person who signs out sees what every signed-out
 * visitor sees (the profile and its public posts), as on every platform — a block is about contact and attention, not
 * about public posts being secret.
 */
export function createProfileService({ profiles, posts, reactions, postExtras, audience, social }: ProfileDeps) {
  return {
    async get(handle: string, viewer: Viewer | undefined): Promise<ProfileDto> {
      const user = await profiles.findByHandle(handle);
      if (!user) throw new NotFoundError('Profile');
      const isMe = viewer?.id === user.id;
      const rel = viewer && !isMe ? await social.relationsOf(viewer.id) : undefined;
      if (rel?.blocked.includes(String(user.id))) throw new NotFoundError('Profile');
      let neighborhood: ProfileDto['neighborhood'] = null;
      if (user.home_h3_9) {
        const cell7 = cellParent(bigintToCell(user.home_h3_9), 7);
        const centre = cellCentroid(cell7);
        neighborhood = { cell: cell7, name: await profiles.neighborhoodNameAt(centre.lat, centre.lon) };
      }
      const scope = isMe ? await audience.scopeFor(viewer) : ANONYMOUS;
      const rows = await posts.hydrate(await profiles.recentPostIds(user.id, scope, RECENT_POSTS));
      const ids = rows.map((r) => r.id);
      const viewerId = viewer?.id ?? null;
      const [summaries, extras] = await Promise.all([reactions.summaries(ids, viewerId), postExtras.load(ids, viewerId)]);
      return {
        handle: user.handle,
        displayName: user.display_name,
        memberSince: user.created_at.toISOString(),
        neighborhood,
        isMe,
        followerCount: await social.followerCount(user.id),
        relation: rel ? { following: rel.followedUsers.includes(String(user.id)), muted: rel.muted.includes(String(user.id)) } : null,
        posts: rows.map((r) => presentPost(r, viewerId, summaries.get(r.id), undefined, extras.get(r.id))),
      };
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
