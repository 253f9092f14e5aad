import { randomBytes } from 'node:crypto';
import { PHOTOS_PER_POST } from '../contract/limits.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Viewer } from '../http/route.ts';
import { encodePhoto, UnacceptablePhotoError } from '../media/photo-encoder.ts';
import type { PhotoStorage } from '../media/photo-storage.ts';
import type { PhotoRepository } from '../repositories/photo.repository.ts';
import type { WithTransaction } from '../repositories/repositories.ts';
import type { PostDto } from './post.presenter.ts';
import type { PostService } from './post.service.ts';

export interface PhotoDeps {
  photos: PhotoRepository;
  posts: PostService;
  storage: PhotoStorage;
  withTransaction: WithTransaction;
}

export interface PhotoFile {
  bytes: Buffer;
  etag: string;
  /** whether shared caches may keep it: only photos of public, visible posts */
  shareable: boolean;
}

export function createPhotoService({ photos, posts, storage, withTransaction }: PhotoDeps) {
  async function loadOwnPost(postId: string, viewer: Viewer) {
    const row = await posts.loadVisible(postId, viewer);
    if (row.author_id !== viewer.id) throw new ForbiddenError('Only the author can change the photos of this post.');
    return row;
  }

  return {
    /** Re-encodes and stores one photo; at most PHOTOS_PER_POST per post (checked under the post's row lock). */
    async add(postId: string, viewer: Viewer, upload: Buffer, alt: string): Promise<PostDto> {
      await loadOwnPost(postId, viewer);
      let encoded;
      try {
        encoded = await encodePhoto(upload);
      } catch (e) {
        if (e instanceof UnacceptablePhotoError) throw new ValidationError([{ field: 'body', message: e.message }], e.message);
        throw e;
      }
      const key = randomBytes(16).toString('hex');
      await storage.put(key, encoded.bytes);
      const added = await withTransaction(async (tx) => {
        const locked = await tx.posts.lockForUpdate(postId);
        if (!locked || locked.deleted_at) throw new NotFoundError('Post');
        return tx.photos.insert(
          { post_id: postId, storage_key: key, width: encoded.width, height: encoded.height, bytes: encoded.bytes.length, alt },
          PHOTOS_PER_POST,
        );
      }).catch(async (e: unknown) => {
        await storage.delete(key);
        throw e;
      });
      if (!added) {
        await storage.delete(key);
        throw new ValidationError([{ field: 'body', message: `a post has at most ${PHOTOS_PER_POST} photos` }]);
      }
      return posts.get(postId, viewer);
    },

    async setAlt(postId: string, photoId: string, viewer: Viewer, alt: string): Promise<PostDto> {
      await loadOwnPost(postId, viewer);
      if (!(await photos.find(postId, photoId))) throw new NotFoundError('Photo');
      await photos.setAlt(photoId, alt);
      return posts.get(postId, viewer);
    },

    async remove(postId: string, photoId: string, viewer: Viewer): Promise<PostDto> {
      await loadOwnPost(postId, viewer);
      const photo = await photos.find(postId, photoId);
      if (!photo) throw new NotFoundError('Photo');
      await photos.remove(photoId);
      await storage.delete(photo.storage_key);
      return posts.get(postId, viewer);
    },

    /** The stored bytes, for whoever may see the post (anyone else gets the same 404 as for a missing photo). */
    async file(photoId: string, fileName: string, viewer: Viewer | undefined): Promise<PhotoFile> {
      const photo = await photos.findById(photoId);
      if (!photo || `${photo.storage_key}.webp` !== fileName) throw new NotFoundError('Photo');
      // a photo of a post you may not see answers exactly like a photo that does not exist
      const row = await posts.loadVisible(photo.post_id, viewer).catch((e: unknown) => {
        throw e instanceof NotFoundError ? new NotFoundError('Photo') : e;
      });
      const bytes = await storage.get(photo.storage_key);
      if (!bytes) throw new NotFoundError('Photo');
      return { bytes, etag: `"${photo.storage_key}"`, shareable: row.audience === 'public' && row.status === 'visible' };
    },
  };
}

export type PhotoService = ReturnType<typeof createPhotoService>;
