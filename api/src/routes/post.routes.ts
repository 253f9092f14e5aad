import { Router } from 'express';
import {
  CellPage,
  CellParams,
  CellPostsQuery,
  Comment,
  CommentPage,
  CreateCommentBody,
  CreatePostBody,
  FeedPage,
  FeedQuery,
  PageQuery,
  Post,
  PostIdParams,
  ReactionParams,
  ReactionState,
  UpdatePostBody,
} from '../contract/post.schema.ts';
import { defineRoute } from '../contract/registry.ts';
import { handle } from '../http/route.ts';
import type { AuthService } from '../services/auth.service.ts';
import type { CommentService } from '../services/comment.service.ts';
import type { FeedService } from '../services/feed.service.ts';
import type { PostService } from '../services/post.service.ts';
import type { ReactionService } from '../services/reaction.service.ts';

const feed = defineRoute({
  method: 'get',
  path: '/api/feed',
  tag: 'feed',
  summary: 'Newest posts whose display cell lies within the radius of the (snapped) origin',
  auth: 'optional',
  query: FeedQuery,
  response: FeedPage,
  errors: [429],
});
const cellPosts = defineRoute({
  method: 'get',
  path: '/api/cells/:cell/posts',
  tag: 'feed',
  summary: 'Board of one H3 cell (res 7-9)',
  query: CellPostsQuery,
  params: CellParams,
  response: CellPage,
});
const createPost = defineRoute({
  method: 'post',
  path: '/api/posts',
  tag: 'posts',
  summary: 'Write a post anchored to a place',
  auth: 'required',
  body: CreatePostBody,
  status: 201,
  response: Post,
});
const getPost = defineRoute({
  method: 'get',
  path: '/api/posts/:id',
  tag: 'posts',
  summary: 'One post',
  params: PostIdParams,
  response: Post,
  errors: [404],
});
const updatePost = defineRoute({
  method: 'patch',
  path: '/api/posts/:id',
  tag: 'posts',
  summary: 'Edit your post',
  auth: 'required',
  params: PostIdParams,
  body: UpdatePostBody,
  response: Post,
  errors: [403, 404],
});
const deletePost = defineRoute({
  method: 'delete',
  path: '/api/posts/:id',
  tag: 'posts',
  summary: 'Delete your post',
  auth: 'required',
  params: PostIdParams,
  errors: [403, 404],
});
const listComments = defineRoute({
  method: 'get',
  path: '/api/posts/:id/comments',
  tag: 'posts',
  summary: 'Comments, oldest first',
  params: PostIdParams,
  query: PageQuery,
  response: CommentPage,
  errors: [404],
});
const addComment = defineRoute({
  method: 'post',
  path: '/api/posts/:id/comments',
  tag: 'posts',
  summary: 'Comment on a post',
  auth: 'required',
  params: PostIdParams,
  body: CreateCommentBody,
  status: 201,
  response: Comment,
  errors: [403, 404],
});
const addReaction = defineRoute({
  method: 'put',
  path: '/api/posts/:id/reactions/:kind',
  tag: 'posts',
  summary: 'React (+1, me too, thanks); idempotent',
  auth: 'required',
  params: ReactionParams,
  response: ReactionState,
  errors: [404],
});
const removeReaction = defineRoute({
  method: 'delete',
  path: '/api/posts/:id/reactions/:kind',
  tag: 'posts',
  summary: 'Take a reaction back',
  auth: 'required',
  params: ReactionParams,
  response: ReactionState,
  errors: [404],
});

export interface PostRouteDeps {
  posts: PostService;
  feed: FeedService;
  comments: CommentService;
  reactions: ReactionService;
  auth: AuthService;
}

export function postRoutes({ posts, feed: feedService, comments, reactions, auth }: PostRouteDeps): Router {
  const r = Router();
  r.get(
    feed.path,
    handle(feed, async ({ query, viewer, req }) => feedService.feed(query, viewer, req.ip ?? 'unknown')),
  );
  r.get(
    cellPosts.path,
    handle(cellPosts, async ({ params, query, viewer }) => feedService.cellBoard(params.cell, query, viewer)),
  );
  r.post(
    createPost.path,
    handle(createPost, async ({ body, viewer }) => posts.create(viewer, body, (await auth.settingsFor(viewer)).defaultPrecision)),
  );
  r.get(
    getPost.path,
    handle(getPost, async ({ params, viewer }) => posts.get(params.id, viewer)),
  );
  r.patch(
    updatePost.path,
    handle(updatePost, async ({ params, body, viewer }) => posts.update(params.id, viewer, body)),
  );
  r.delete(
    deletePost.path,
    handle(deletePost, async ({ params, viewer }) => {
      await posts.remove(params.id, viewer);
      return undefined;
    }),
  );
  r.get(
    listComments.path,
    handle(listComments, async ({ params, query, viewer }) => comments.list(params.id, viewer, query.cursor, query.limit)),
  );
  r.post(
    addComment.path,
    handle(addComment, async ({ params, body, viewer }) => comments.create(params.id, viewer, body.body)),
  );
  r.put(
    addReaction.path,
    handle(addReaction, async ({ params, viewer }) => reactions.add(params.id, viewer, params.kind)),
  );
  r.delete(
    removeReaction.path,
    handle(removeReaction, async ({ params, viewer }) => reactions.remove(params.id, viewer, params.kind)),
  );
  return r;
}
