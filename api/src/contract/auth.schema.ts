import { z } from 'zod';
import { Cell, Handle, LatLon, Lat, Lon, Precision, text } from './common.schema.ts';
import { DISPLAY_NAME_MAX, PASSWORD_MIN, WHO_CAN_REPLY } from './limits.ts';
import { registry } from './registry.ts';

export const WhoCanReply = z.enum(WHO_CAN_REPLY);

export const UserSettings = registry.register(
  'UserSettings',
  z.object({
    defaultPrecision: Precision,
    whoCanReply: WhoCanReply,
    // issue 13: email
    dailyDigest: z
      .boolean()
      .openapi({ description: 'A daily mail with the most active new public posts around home (needs a home and a confirmed address)' }),
  }),
);

export const Me = registry.register(
  'Me',
  z.object({
    id: z.string(),
    handle: z.string(),
    displayName: z.string(),
    email: z.string(),
    emailVerified: z.boolean().openapi({ description: 'Whether the address was confirmed with the mailed link (issue 13)' }),
    homeCell: Cell.nullable().openapi({ description: 'Home as a res-9 cell; the exact point is never stored' }),
    homeCentroid: z.union([LatLon, z.null()]),
    audienceHomeCell: Cell.nullable().openapi({
      description: 'The home that counts for neighbours and district audiences now: after a move, the previous home until the new one counts',
    }),
    homeCountsFrom: z
      .string()
      .nullable()
      .openapi({ description: 'When homeCell counts (or counted) for neighbours and district audiences; in the future while a move is waiting' }),
    settings: UserSettings,
    isAdmin: z.boolean(),
    createdAt: z.string(),
  }),
);

export const MeResponse = registry.register('MeResponse', z.object({ user: Me }));

const Password = text({ min: PASSWORD_MIN, max: 256, trim: false });

export const RegisterBody = registry.register(
  'RegisterBody',
  z.strictObject({
    handle: Handle,
    displayName: text({ min: 1, max: DISPLAY_NAME_MAX }),
    email: text({ max: 254 }).pipe(z.email()),
    password: Password,
  }),
);

export const LoginBody = registry.register(
  'LoginBody',
  z.strictObject({
    login: text({ min: 1, max: 254 }).openapi({ description: 'handle or email' }),
    password: text({ min: 1, max: 256, trim: false }),
  }),
);

export const UpdateMeBody = registry.register(
  'UpdateMeBody',
  z.strictObject({
    displayName: text({ min: 1, max: DISPLAY_NAME_MAX }).optional(),
    settings: z
      .strictObject({
        defaultPrecision: z.union([z.literal(7), z.literal(8), z.literal(9)]).optional(),
        whoCanReply: WhoCanReply.optional(),
        dailyDigest: z.boolean().optional(), // issue 13: email
      })
      .optional(),
  }),
);

export const SetHomeBody = registry.register('SetHomeBody', z.strictObject({ lat: Lat, lon: Lon }));
