import type { Viewer } from '../http/route.ts';
import type { ReactionRepository } from '../repositories/reaction.repository.ts';
import type { PostService } from './post.service.ts';

export interface ReactionDeps {
  reactions: ReactionRepository;
  posts: PostService;
}

export function createReactionService({ reactions, posts }: ReactionDeps) {
  async function state(postId: string, viewer: Viewer) {
    const summary = (await reactions.summaries([postId], viewer.id)).get(postId);
    const counts = summary?.counts ?? {};
    return {
      reactionCounts: { plus_one: counts.plus_one ?? 0, me_too: counts.me_too ?? 0, thanks: counts.thanks ?? 0 },
      myReactions: (summary?.mine ?? []) as ('plus_one' | 'me_too' | 'thanks')[],
    };
  }

  /** Idempotent both ways: reacting twice or removing a missing reaction leaves the counts as they are. */
  async function set(postId: string, viewer: Viewer, kind: string, on: boolean) {
    await posts.loadVisible(postId, viewer);
    if (on) await reactions.add(postId, viewer.id, kind);
    else await reactions.remove(postId, viewer.id, kind);
    return state(postId, viewer);
  }

  return {
    add: (postId: string, viewer: Viewer, kind: string) => set(postId, viewer, kind, true),
    remove: (postId: string, viewer: Viewer, kind: string) => set(postId, viewer, kind, false),
  };
}

export type ReactionService = ReturnType<typeof createReactionService>;
