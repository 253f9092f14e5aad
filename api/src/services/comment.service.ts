import { ForbiddenError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import type { CommentRepository, CommentRow } from '../repositories/comment.repository.ts';
import type { WithTransaction } from '../repositories/repositories.ts';
import type { UserRepository } from '../repositories/user.repository.ts';
import type { AudienceService } from './audience.service.ts';
import { settingsOf } from './auth.service.ts';
import type { CursorCodec } from './cursor.ts';
import type { ModerationGate } from './moderation-gate.service.ts';
import type { PostService } from './post.service.ts';

export interface CommentDeps {
  comments: CommentRepository;
  withTransaction: WithTransaction;
  posts: PostService;
  users: UserRepository;
  audience: AudienceService;
  cursors: CursorCodec;
  /** moderation (issue 11): locked comments, suspensions */
  gate?: ModerationGate;
}

function present(row: CommentRow, viewer: Viewer | undefined) {
  return {
    id: row.id,
    postId: row.post_id,
    body: row.body,
    author: { handle: row.author_handle, displayName: row.author_display_name },
    createdAt: row.created_at.toISOString(),
    isAuthor: viewer?.id === row.author_id,
  };
}

export function createCommentService({ comments, withTransaction, posts, users, audience, cursors, gate }: CommentDeps) {
  return {
    async list(postId: string, viewer: Viewer | undefined, cursor: string | undefined, limit: number) {
      await posts.loadVisible(postId, viewer);
      const scope = `comments:${postId}`;
      const rows = await comments.page(postId, cursors.decode(scope, cursor), limit, await audience.scopeFor(viewer));
      const last = rows[rows.length - 1];
      return {
        items: rows.map((r) => present(r, viewer)),
        nextCursor: rows.length === limit && last ? cursors.encode(scope, { createdAt: last.created_key, id: last.id }) : null,
      };
    },

    async create(postId: string, viewer: Viewer, body: string) {
      const post = await posts.loadVisible(postId, viewer);
      await gate?.assertMayComment(viewer.id, post);
      if (post.author_id !== viewer.id) {
        const author = await users.findById(post.author_id);
        if (author && settingsOf(author).whoCanReply === 'neighbors' && !audience.isNeighborOf(viewer, post.h3_7)) {
          throw new ForbiddenError('The author takes replies from neighbours only.');
        }
      }
      const id = await withTransaction(async (tx) => {
        const commentId = await tx.comments.insert(postId, viewer.id, body);
        await tx.posts.incrementCommentCount(postId, 1);
        // last: its id is drawn under a lock held until commit (live streams read events in commit order)
        await tx.events.append('comment', postId, viewer.id, commentId);
        return commentId;
      });
      return present((await comments.findById(id))!, viewer);
    },
  };
}

export type CommentService = ReturnType<typeof createCommentService>;
