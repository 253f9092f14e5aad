import type { Db } from '../db/knex.ts';

export interface PhotoRow {
  id: string;
  post_id: string;
  storage_key: string;
  width: number;
  height: number;
  bytes: number;
  alt: string;
}

export function createPhotoRepository(db: Db) {
  return {
    /**
     * Adds a photo unless the post already has `max`. Call inside a transaction after locking the post row, so two
     * uploads at once cannot both pass the count.
     */
    async insert(photo: Omit<PhotoRow, 'id'>, max: number): Promise<PhotoRow | undefined> {
      const res = await db.raw<{ rows: PhotoRow[] }>(
        `INSERT INTO post_photos (post_id, storage_key, width, height, bytes, alt)
         SELECT ?, ?, ?, ?, ?, ? WHERE (SELECT count(*) FROM post_photos WHERE post_id = ?) < ?
         RETURNING id, post_id, storage_key, width, height, bytes, alt`,
        [photo.post_id, photo.storage_key, photo.width, photo.height, photo.bytes, photo.alt, photo.post_id, max],
      );
      return res.rows[0];
    },

    async find(postId: string, photoId: string): Promise<PhotoRow | undefined> {
      return db<PhotoRow>('post_photos')
        .where({ id: photoId, post_id: postId })
        .first('id', 'post_id', 'storage_key', 'width', 'height', 'bytes', 'alt');
    },

    async findById(photoId: string): Promise<PhotoRow | undefined> {
      return db<PhotoRow>('post_photos').where({ id: photoId }).first('id', 'post_id', 'storage_key', 'width', 'height', 'bytes', 'alt');
    },

    async setAlt(photoId: string, alt: string): Promise<void> {
      await db('post_photos').where({ id: photoId }).update({ alt });
    },

    async remove(photoId: string): Promise<void> {
      await db('post_photos').where({ id: photoId }).delete();
    },
  };
}

export type PhotoRepository = ReturnType<typeof createPhotoRepository>;
