import { Router } from 'express';
import { defineRoute } from '../contract/registry.ts';
import { MySocial, ShopFollowers, ShopIdParams, UserHandleParams } from '../contract/social.schema.ts';
import { handle } from '../http/route.ts';
import type { SocialService } from '../services/social.service.ts';

// Follow, mute, block (issue 13). PUT sets, DELETE lifts; both idempotent, 204. Writes go through the API's write limiter.

const tag = 'social';
const personRoute = (method: 'put' | 'delete', what: 'follow' | 'mute' | 'block', summary: string) =>
  defineRoute({ method, path: `/api/users/:handle/${what}`, tag, summary, auth: 'required', params: UserHandleParams, errors: [404, 422] });

const follow = personRoute('put', 'follow', 'Follow a person: their posts carry a "following" mark for you and can be filtered');
const unfollow = personRoute('delete', 'follow', 'Stop following a person');
const mute = personRoute('put', 'mute', 'Mute a person: their posts, comments and notifications disappear for you; they are not told');
const unmute = personRoute('delete', 'mute', 'Unmute a person');
const block = personRoute('put', 'block', 'Block a person: neither of you sees the other’s posts, comments or profile; ends following both ways');
const unblock = personRoute('delete', 'block', 'Lift a block you made');

const followShop = defineRoute({
  method: 'put',
  path: '/api/merchants/:id/follow',
  tag,
  summary: 'Follow a shop: its offers carry a "following" mark for you',
  auth: 'required',
  params: ShopIdParams,
  errors: [404],
});
const unfollowShop = defineRoute({
  method: 'delete',
  path: '/api/merchants/:id/follow',
  tag,
  summary: 'Stop following a shop',
  auth: 'required',
  params: ShopIdParams,
  errors: [404],
});
const shopFollowers = defineRoute({
  method: 'get',
  path: '/api/merchants/:id/followers',
  tag,
  summary: 'How many follow a shop, and whether you do (who follows is never listed)',
  params: ShopIdParams,
  response: ShopFollowers,
  errors: [404],
});
const mine = defineRoute({
  method: 'get',
  path: '/api/me/social',
  tag,
  summary: 'Whom I follow, muted and blocked',
  auth: 'required',
  response: MySocial,
});

export function socialRoutes(social: SocialService): Router {
  const r = Router();
  r.put(
    follow.path,
    handle(follow, async ({ params, viewer }) => social.follow(params.handle, viewer)),
  );
  r.delete(
    unfollow.path,
    handle(unfollow, async ({ params, viewer }) => social.unfollow(params.handle, viewer)),
  );
  r.put(
    mute.path,
    handle(mute, async ({ params, viewer }) => social.mute(params.handle, viewer)),
  );
  r.delete(
    unmute.path,
    handle(unmute, async ({ params, viewer }) => social.unmute(params.handle, viewer)),
  );
  r.put(
    block.path,
    handle(block, async ({ params, viewer }) => social.block(params.handle, viewer)),
  );
  r.delete(
    unblock.path,
    handle(unblock, async ({ params, viewer }) => social.unblock(params.handle, viewer)),
  );
  r.put(
    followShop.path,
    handle(followShop, async ({ params, viewer }) => social.followShop(params.id, viewer)),
  );
  r.delete(
    unfollowShop.path,
    handle(unfollowShop, async ({ params, viewer }) => social.unfollowShop(params.id, viewer)),
  );
  r.get(
    shopFollowers.path,
    handle(shopFollowers, async ({ params, viewer }) => social.shopFollowers(params.id, viewer)),
  );
  r.get(
    mine.path,
    handle(mine, async ({ viewer }) => social.mine(viewer)),
  );
  return r;
}
