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
    posts: z.array(Post).openapi({ description: 'Recent public posts; on your own profile, all of yours' }),
  }),
);
