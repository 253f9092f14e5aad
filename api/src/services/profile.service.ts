import { cellCentroid, cellParent, bigintToCell } from '../geo/h3.ts';
import { NotFoundError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import { ANONYMOUS } from '../policy/audience.policy.ts';
import type { PostExtrasRepository } from '../repositories/post-extras.repository.ts';
import type { PostRepository } from '../repositories/post.repository.ts';
import type { ProfileRepository } from '../repositories/profile.repository.ts';
import type { ReactionRepository } from '../repositories/reaction.repository.ts';
import type { AudienceService } from './audience.service.ts';
import { presentPost, type PostDto } from './post.presenter.ts';

export interface ProfileDeps {
  profiles: ProfileRepository;
  posts: PostRepository;
  reactions: ReactionRepository;
  postExtras: PostExtrasRepository;
  audience: AudienceService;
}

export interface ProfileDto {
  handle: string;
  displayName: string;
  memberSince: string;
  neighborhood: { cell: string; name: string | null } | null;
  isMe: boolean;
  posts: PostDto[];
}

const RECENT_POSTS = 20;

/**
 * A person's page. Where they live is shown as their home's res-7 cell (~5 km²) and the neighbourhood at its centre,
 * never finer. Others see their recent public posts only — a profile must not gather someone's neighbours-only posts
 * in one place; the person themselves sees all of theirs.
 */
export function createProfileService({ profiles, posts, reactions, postExtras, audience }: ProfileDeps) {
  return {
    async get(handle: string, viewer: Viewer | undefined): Promise<ProfileDto> {
      const user = await profiles.findByHandle(handle);
      if (!user) throw new NotFoundError('Profile');
      const isMe = viewer?.id === user.id;
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
        posts: rows.map((r) => presentPost(r, viewerId, summaries.get(r.id), undefined, extras.get(r.id))),
      };
    },
  };
}

export type ProfileService = ReturnType<typeof createProfileService>;
