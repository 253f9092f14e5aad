import { z } from 'zod';
import { Handle, Id } from './common.schema.ts';
import { registry } from './registry.ts';

// Follow, mute, block (issue 13).

export const UserHandleParams = z.strictObject({ handle: Handle });
export const ShopIdParams = z.strictObject({ id: Id });

const RelatedPerson = z.object({
  handle: z.string(),
  displayName: z.string(),
  since: z.string().openapi({ description: 'when you followed, muted or blocked them' }),
});
const FollowedShop = z.object({ id: z.string(), name: z.string(), since: z.string() });

export const MySocial = registry.register(
  'MySocial',
  z.object({
    following: z.array(RelatedPerson),
    followingShops: z.array(FollowedShop),
    muted: z.array(RelatedPerson),
    blocked: z.array(RelatedPerson),
  }),
);

export const ShopFollowers = registry.register(
  'ShopFollowers',
  z.object({
    followerCount: z.number().int().openapi({ description: 'a public count; who follows is never listed' }),
    following: z.boolean().openapi({ description: 'whether the signed-in viewer follows this shop (false signed out)' }),
  }),
);
