import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * Where re-encoded photos live. Keys are random hex names made by the photo service, never user input, so a key can
 * be used as a file name as is. Another backend (S3-compatible object storage) implements the same three calls.
 */
export interface PhotoStorage {
  put(key: string, bytes: Buffer): Promise<void>;
  /** undefined when there is no such photo */
  get(key: string): Promise<Buffer | undefined>;
  delete(key: string): Promise<void>;
}

const KEY = /^[a-f0-9]{32}$/;

function checkKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`invalid photo storage key: ${key}`);
  return key;
}

/** The default: files under a directory (`.data/photos`), sharded by the key's first two characters. */
export function createLocalPhotoStorage(dir: string): PhotoStorage {
  const root = resolve(dir);
  const pathOf = (key: string) => join(root, checkKey(key).slice(0, 2), `${key}.webp`);
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(join(root, key.slice(0, 2)), { recursive: true });
      // write then rename: a reader never sees half a file
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, path);
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async delete(key) {
      await unlink(pathOf(key)).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'ENOENT') throw e;
      });
    },
  };
}
