import { z } from 'zod';
import { Cell, Handle } from './common.schema.ts';
import { Post } from './post.schema.ts';
import { registry } from './registry.ts';

export const ProfileParams = z.strictObject({ handle: Handle });

export const Profile = registry.register(
  'Profile',
  z.object({
    handle: z.string(),
    displayName: z.string(),
    memberSince: z.string(),
    neighborhood: z.object({ cell: Cell.openapi({ description: 'The home’s res-7 cell — never finer' }), name: z.string().nullable() }).nullable(),
    isMe: z.boolean(),
    // issue 13: follow, mute, block
    followerCount: z.number().int().openapi({ description: 'How many people follow them (a public count; who they are is never listed)' }),
    relation: z
      .object({ following: z.boolean(), muted: z.boolean() })
      .nullable()
      .openapi({ description: 'What the signed-in viewer has chosen about this person; null on your own profile or signed out' }),
    posts: z.array(Post).openapi({ description: 'Recent public posts; on your own profile, all of yours' }),
  }),
);
