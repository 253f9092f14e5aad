import { NotFoundError, ValidationError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import type { BlockRepository } from '../repositories/block.repository.ts';
import type { MerchantRepository } from '../repositories/merchant.repository.ts';
import type { ProfileRepository } from '../repositories/profile.repository.ts';
import type { WithTransaction } from '../repositories/repositories.ts';
import type { SocialRepository } from '../repositories/social.repository.ts';

export interface SocialDeps {
  social: SocialRepository;
  blocks: Pick<BlockRepository, 'eitherBlocked' | 'unblock' | 'blockedBy'>;
  profiles: Pick<ProfileRepository, 'findByHandle'>;
  merchants: Pick<MerchantRepository, 'findById'>;
  withTransaction: WithTransaction;
}

const person = (r: { handle: string; display_name: string; created_at: Date }) => ({
  handle: r.handle,
  displayName: r.display_name,
  since: r.created_at.toISOString(),
});

/**
 * Follow, mute and block (issue 13). The rules: never yourself; following and muting someone between whom a block
 * stands answers 404 like their profile does (so the two agree); blocking works whatever the other did (you may block
 * someone who blocked you, so it holds if they lift theirs) and ends following both ways in the same transaction.
 * Every write is idempotent. What blocks and mutes hide is not decided here but in the audience policy, through the
 * viewer's scope (services/audience.service.ts).
 */
export function createSocialService({ social, blocks, profiles, merchants, withTransaction }: SocialDeps) {
  async function other(handle: string, viewer: Viewer): Promise<string> {
    const user = await profiles.findByHandle(handle);
    if (!user) throw new NotFoundError('Profile');
    const id = String(user.id);
    if (id === viewer.id) throw new ValidationError([{ field: 'params.handle', message: 'that is you' }]);
    return id;
  }

  /** Someone you may follow or mute: not hidden from you by a block (either way). */
  async function reachable(handle: string, viewer: Viewer): Promise<string> {
    const id = await other(handle, viewer);
    if (await blocks.eitherBlocked(viewer.id, id)) throw new NotFoundError('Profile');
    return id;
  }

  async function shop(id: string): Promise<string> {
    if (!(await merchants.findById(id))) throw new NotFoundError('Shop');
    return id;
  }

  return {
    async follow(handle: string, viewer: Viewer): Promise<undefined> {
      await social.follow(viewer.id, await reachable(handle, viewer));
      return undefined;
    },
    async unfollow(handle: string, viewer: Viewer): Promise<undefined> {
      await social.unfollow(viewer.id, await other(handle, viewer));
      return undefined;
    },
    async mute(handle: string, viewer: Viewer): Promise<undefined> {
      await social.mute(viewer.id, await reachable(handle, viewer));
      return undefined;
    },
    async unmute(handle: string, viewer: Viewer): Promise<undefined> {
      await social.unmute(viewer.id, await other(handle, viewer));
      return undefined;
    },
    async block(handle: string, viewer: Viewer): Promise<undefined> {
      const id = await other(handle, viewer);
      await withTransaction(async (tx) => {
        await tx.blocks.block(viewer.id, id);
        await tx.social.unfollowBothWays(viewer.id, id);
      });
      return undefined;
    },
    async unblock(handle: string, viewer: Viewer): Promise<undefined> {
      await blocks.unblock(viewer.id, await other(handle, viewer));
      return undefined;
    },

    async followShop(id: string, viewer: Viewer): Promise<undefined> {
      await social.followMerchant(viewer.id, await shop(id));
      return undefined;
    },
    async unfollowShop(id: string, viewer: Viewer): Promise<undefined> {
      await social.unfollowMerchant(viewer.id, await shop(id));
      return undefined;
    },
    async shopFollowers(id: string, viewer: Viewer | undefined) {
      await shop(id);
      const [followerCount, rel] = await Promise.all([social.merchantFollowerCount(id), viewer ? social.relationsOf(viewer.id) : undefined]);
      return { followerCount, following: Boolean(rel?.followedMerchants.includes(String(id))) };
    },

    /** My lists for the settings page: whom I follow (people, shops), muted and blocked. */
    async mine(viewer: Viewer) {
      const [following, shops, muted, blocked] = await Promise.all([
        social.followedBy(viewer.id),
        social.merchantsFollowedBy(viewer.id),
        social.mutedBy(viewer.id),
        blocks.blockedBy(viewer.id),
      ]);
      return {
        following: following.map(person),
        followingShops: shops.map((m) => ({ id: String(m.id), name: m.name, since: m.created_at.toISOString() })),
        muted: muted.map(person),
        blocked: blocked.map(person),
      };
    },
  };
}

export type SocialService = ReturnType<typeof createSocialService>;
