import { z } from 'zod';
import { text } from './common.schema.ts';
import { PASSWORD_MIN } from './limits.ts';
import { registry } from './registry.ts';

// issue 13: email — address verification, password reset, changing the address.

/** A mailed token: 32 random bytes, base64url. */
export const EmailToken = z
  .string()
  .regex(/^[A-Za-z0-9_-]{20,100}$/, 'not a valid link token')
  .openapi({ description: 'the token from the mailed link' });

const Email = text({ max: 254 }).pipe(z.email());

export const VerifyEmailBody = registry.register('VerifyEmailBody', z.strictObject({ token: EmailToken }));

export const VerifyEmailResponse = registry.register(
  'VerifyEmailResponse',
  z.object({ status: z.enum(['verified', 'already']).openapi({ description: 'verified now, or it was already' }) }),
);

export const PasswordResetRequestBody = registry.register('PasswordResetRequestBody', z.strictObject({ email: Email }));

export const PasswordResetRequestResponse = registry.register(
  'PasswordResetRequestResponse',
  z.object({ message: z.string().openapi({ description: 'the same whether or not an account uses the address' }) }),
);

export const PasswordResetBody = registry.register(
  'PasswordResetBody',
  z.strictObject({ token: EmailToken, password: text({ min: PASSWORD_MIN, max: 256, trim: false }) }),
);

export const ChangeEmailBody = registry.register(
  'ChangeEmailBody',
  z.strictObject({ email: Email, password: text({ min: 1, max: 256, trim: false }).openapi({ description: 'the current password' }) }),
);
