import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import type { PollRepository } from '../repositories/poll.repository.ts';
import type { PostDto } from './post.presenter.ts';
import type { PostService } from './post.service.ts';

export interface PollDeps {
  polls: PollRepository;
  posts: PostService;
}

/** Vote once per poll; change or take back the vote until the poll closes. */
export function createPollService({ polls, posts }: PollDeps) {
  async function loadOpenPoll(postId: string, viewer: Viewer) {
    const row = await posts.loadVisible(postId, viewer);
    if (row.kind !== 'poll' || !row.poll_options) throw new NotFoundError('Poll');
    if (row.poll_closes_at && row.poll_closes_at <= new Date()) throw new ConflictError('This poll has closed.');
    return row;
  }

  return {
    async vote(postId: string, viewer: Viewer, option: number): Promise<PostDto> {
      const row = await loadOpenPoll(postId, viewer);
      if (option >= row.poll_options!.length)
        throw new ValidationError([{ field: 'body.option', message: `choose 0-${row.poll_options!.length - 1}` }]);
      // the statement re-checks the closing time itself: a poll closing between the check above and the write wins
      if (!(await polls.vote(postId, viewer.id, option))) throw new ConflictError('This poll has closed.');
      return posts.present(row, viewer);
    },

    async retract(postId: string, viewer: Viewer): Promise<PostDto> {
      const row = await loadOpenPoll(postId, viewer);
      await polls.retract(postId, viewer.id);
      return posts.present(row, viewer);
    },
  };
}

export type PollService = ReturnType<typeof createPollService>;
