import { Router } from 'express';
import { PHOTO_UPLOAD_MAX_BYTES } from '../contract/limits.ts';
import { PhotoAltBody, PhotoFileParams, PhotoParams, PhotoUploadQuery, Post, PostIdParams, RsvpBody, VoteBody } from '../contract/post.schema.ts';
import { Profile, ProfileParams } from '../contract/profile.schema.ts';
import { defineRoute } from '../contract/registry.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import { handle } from '../http/route.ts';
import type { EventService } from '../services/event.service.ts';
import type { PhotoService } from '../services/photo.service.ts';
import type { PollService } from '../services/poll.service.ts';
import type { ProfileService } from '../services/profile.service.ts';
import type { Request } from 'express';

// Polls, RSVPs, photos and profiles (issue 12): what posts are used for, and the people behind them.

const vote = defineRoute({
  method: 'put',
  path: '/api/posts/:id/vote',
  tag: 'posts',
  summary: 'Vote in a poll, or change your vote while it is open',
  auth: 'required',
  params: PostIdParams,
  body: VoteBody,
  response: Post,
  errors: [404, 409],
});
const retractVote = defineRoute({
  method: 'delete',
  path: '/api/posts/:id/vote',
  tag: 'posts',
  summary: 'Take your vote back while the poll is open',
  auth: 'required',
  params: PostIdParams,
  response: Post,
  errors: [404, 409],
});
const rsvp = defineRoute({
  method: 'put',
  path: '/api/posts/:id/rsvp',
  tag: 'posts',
  summary: 'RSVP to an event (going / maybe); going is refused with 409 once the event is full',
  auth: 'required',
  params: PostIdParams,
  body: RsvpBody,
  response: Post,
  errors: [404, 409],
});
const cancelRsvp = defineRoute({
  method: 'delete',
  path: '/api/posts/:id/rsvp',
  tag: 'posts',
  summary: 'Withdraw your RSVP',
  auth: 'required',
  params: PostIdParams,
  response: Post,
  errors: [404],
});
const eventIcs = defineRoute({
  method: 'get',
  path: '/api/posts/:id/event.ics',
  tag: 'posts',
  summary: 'The event as an iCalendar file (text/calendar)',
  params: PostIdParams,
  errors: [404],
});
const addPhoto = defineRoute({
  method: 'post',
  path: '/api/posts/:id/photos',
  tag: 'posts',
  summary: 'Add a photo (raw image bytes as the body, e.g. Content-Type: image/jpeg); re-encoded to WebP without metadata',
  auth: 'required',
  params: PostIdParams,
  query: PhotoUploadQuery,
  status: 201,
  response: Post,
  errors: [403, 404],
});
const setPhotoAlt = defineRoute({
  method: 'patch',
  path: '/api/posts/:id/photos/:photoId',
  tag: 'posts',
  summary: 'Change a photo’s alt text',
  auth: 'required',
  params: PhotoParams,
  body: PhotoAltBody,
  response: Post,
  errors: [403, 404],
});
const removePhoto = defineRoute({
  method: 'delete',
  path: '/api/posts/:id/photos/:photoId',
  tag: 'posts',
  summary: 'Remove a photo',
  auth: 'required',
  params: PhotoParams,
  response: Post,
  errors: [403, 404],
});
const photoFile = defineRoute({
  method: 'get',
  path: '/api/photos/:photoId/:file',
  tag: 'posts',
  summary: 'A photo (image/webp), for whoever may see its post',
  params: PhotoFileParams,
  errors: [404],
});
const profile = defineRoute({
  method: 'get',
  path: '/api/users/:handle',
  tag: 'users',
  summary: 'A person’s profile: name, neighbourhood (res 7), member since, recent public posts',
  params: ProfileParams,
  response: Profile,
  errors: [404],
});

/** Reads a raw upload up to the limit; a larger one is a 422 like any other unacceptable photo. */
async function readUpload(req: Request): Promise<Buffer> {
  const declared = Number(req.get('content-length') ?? 0);
  const tooLarge = () =>
    new ValidationError([{ field: 'body', message: `photos may be at most ${PHOTO_UPLOAD_MAX_BYTES / 1024 / 1024} MB` }], 'The photo is too large.');
  if (declared > PHOTO_UPLOAD_MAX_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > PHOTO_UPLOAD_MAX_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export interface ParticipationRouteDeps {
  polls: PollService;
  events: EventService;
  photos: PhotoService;
  profiles: ProfileService;
}

export function participationRoutes({ polls, events, photos, profiles }: ParticipationRouteDeps): Router {
  const r = Router();
  r.put(
    vote.path,
    handle(vote, async ({ params, body, viewer }) => polls.vote(params.id, viewer, body.option)),
  );
  r.delete(
    retractVote.path,
    handle(retractVote, async ({ params, viewer }) => polls.retract(params.id, viewer)),
  );
  r.put(
    rsvp.path,
    handle(rsvp, async ({ params, body, viewer }) => events.rsvp(params.id, viewer, body.status)),
  );
  r.delete(
    cancelRsvp.path,
    handle(cancelRsvp, async ({ params, viewer }) => events.cancel(params.id, viewer)),
  );
  r.get(eventIcs.path, async (req, res) => {
    const parsed = PostIdParams.safeParse(req.params);
    if (!parsed.success) throw new NotFoundError('Event');
    const origin = `${req.protocol}://${req.host}`;
    const file = await events.ics(parsed.data.id, req.viewer, origin);
    res.type('text/calendar; charset=utf-8').attachment(file.filename).send(file.body);
  });
  r.post(
    addPhoto.path,
    handle(addPhoto, async ({ params, query, viewer, req }) => photos.add(params.id, viewer, await readUpload(req), query.alt)),
  );
  r.patch(
    setPhotoAlt.path,
    handle(setPhotoAlt, async ({ params, body, viewer }) => photos.setAlt(params.id, params.photoId, viewer, body.alt)),
  );
  r.delete(
    removePhoto.path,
    handle(removePhoto, async ({ params, viewer }) => photos.remove(params.id, params.photoId, viewer)),
  );
  r.get(photoFile.path, async (req, res) => {
    const parsed = PhotoFileParams.safeParse(req.params);
    if (!parsed.success) throw new NotFoundError('Photo');
    const file = await photos.file(parsed.data.photoId, parsed.data.file, req.viewer);
    // The file under a key never changes (a new photo gets a new key). Photos of public posts may sit in shared
    // caches; others only in the viewer's own, and for a day, so a post narrowed or removed stops being served.
    res.setHeader('Cache-Control', file.shareable ? 'public, max-age=86400' : 'private, max-age=86400');
    res.setHeader('ETag', file.etag);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (req.get('if-none-match') === file.etag) {
      res.status(304).end();
      return;
    }
    res.type('image/webp').send(file.bytes);
  });
  r.get(
    profile.path,
    handle(profile, async ({ params, viewer }) => profiles.get(params.handle, viewer)),
  );
  return r;
}
