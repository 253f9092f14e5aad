import {
  NEW_ACCOUNT_DAYS,
  NEW_ACCOUNT_LINKS_MAX,
  SLOW_MODE_AUTO_HOURS,
  SLOW_MODE_AUTO_MINUTES,
  SLOW_MODE_FACTOR,
  SLOW_MODE_MIN_POSTS,
} from '../contract/limits.ts';
import { ForbiddenError, TooManyRequestsError, ValidationError } from '../http/errors.ts';
import type { ModerationRepository } from '../repositories/moderation.repository.ts';
import type { SlowModeRepository } from '../repositories/slow-mode.repository.ts';

const LINK = /\bhttps?:\/\/|\bwww\./gi;

/** Accounts younger than NEW_ACCOUNT_DAYS. */
export const isNewAccount = (joinedAt: Date, now = Date.now()): boolean => now - joinedAt.getTime() < NEW_ACCOUNT_DAYS * 86_400_000;

/** New accounts may put at most NEW_ACCOUNT_LINKS_MAX links in what they write (posts, messages): 422 on `body.body`. */
export function assertNewAccountLinks(isNew: boolean, text: string): void {
  const links = text.match(LINK)?.length ?? 0;
  if (isNew && links > NEW_ACCOUNT_LINKS_MAX) {
    throw new ValidationError([{ field: 'body.body', message: `new accounts may include at most ${NEW_ACCOUNT_LINKS_MAX} links` }]);
  }
}

interface Placed {
  h3_8: string;
  h3_7: string;
  precision: number;
}

/**
 * What moderation means for writers: no comments on a locked post; no posts or comments where the writer is suspended
 * (until it ends or an appeal lifts it); in a cell in slow mode one post per person per N minutes (429 with
 * Retry-After); new accounts may not fill a post with links.
 */
export function createModerationGate(deps: {
  moderation: Pick<ModerationRepository, 'suspendedAtCell' | 'commentsLocked'>;
  slowMode?: Pick<SlowModeRepository, 'writeGate'>;
}) {
  const { moderation, slowMode } = deps;

  async function assertNotSuspended(userId: string, cell: Placed): Promise<void> {
    if (await moderation.suspendedAtCell(userId, cell)) throw new ForbiddenError('You are suspended from writing in this region for now.');
  }

  return {
    async assertMayPost(userId: string, post: Placed & { title?: string; body?: string }): Promise<void> {
      await assertNotSuspended(userId, post);
      if (!slowMode) return;
      const gate = await slowMode.writeGate(userId, post.h3_7, {
        factor: SLOW_MODE_FACTOR,
        minPosts: SLOW_MODE_MIN_POSTS,
        minutes: SLOW_MODE_AUTO_MINUTES,
        hours: SLOW_MODE_AUTO_HOURS,
      });
      if (gate.minutes !== null && gate.last_post_at) {
        const waitMs = gate.last_post_at.getTime() + gate.minutes * 60_000 - Date.now();
        if (waitMs > 0) throw new TooManyRequestsError(waitMs / 1000, `This area is in slow mode: one post every ${gate.minutes} minutes.`);
      }
      assertNewAccountLinks(isNewAccount(gate.joined_at), `${post.title ?? ''} ${post.body ?? ''}`);
    },

    async assertMayComment(userId: string, post: Placed & { id: string }): Promise<void> {
      if (await moderation.commentsLocked(post.id)) throw new ForbiddenError('Comments on this post are locked.');
      await assertNotSuspended(userId, post);
    },
  };
}

export type ModerationGate = ReturnType<typeof createModerationGate>;
