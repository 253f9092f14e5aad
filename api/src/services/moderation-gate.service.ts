import { ForbiddenError } from '../http/errors.ts';
import type { ModerationRepository } from '../repositories/moderation.repository.ts';

/**
 * What moderation decisions mean for writers: no comments on a locked post, no posts or comments in a region where the
 * writer is suspended (until the suspension ends or an appeal lifts it).
 */
export function createModerationGate({ moderation }: { moderation: Pick<ModerationRepository, 'suspendedAtCell' | 'commentsLocked'> }) {
  return {
    async assertMayPost(userId: string, cell: { h3_8: string; h3_7: string; precision: number }): Promise<void> {
      if (await moderation.suspendedAtCell(userId, cell)) throw new ForbiddenError('You are suspended from posting in this region for now.');
    },

    async assertMayComment(userId: string, post: { id: string; h3_8: string; h3_7: string; precision: number }): Promise<void> {
      if (await moderation.commentsLocked(post.id)) throw new ForbiddenError('Comments on this post are locked.');
      await this.assertMayPost(userId, post);
    },
  };
}

export type ModerationGate = ReturnType<typeof createModerationGate>;
