import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { gpsTags, phoneJpeg } from '../fixtures/exif.ts';
import { makeTestApp, postBody, randomPlace, signUp } from '../helpers.ts';

const photoDir = mkdtempSync(join(tmpdir(), 'hexhood-photos-'));
const t = makeTestApp({ PHOTO_DIR: photoDir });
afterAll(async () => {
  await t.close();
  rmSync(photoDir, { recursive: true, force: true });
});

function storedFiles(): string[] {
  return readdirSync(photoDir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A real decompression bomb: a valid 1-bit 8000×8000 PNG (64 megapixels decoded) in a few kilobytes. */
function pngBomb(): Buffer {
  const size = 8000;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const raw = Buffer.alloc((size / 8 + 1) * size); // every row: filter byte 0 + zero bits
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

async function postWithPhoto(audience = 'public') {
  const author = await signUp(t.app);
  const post = await author.agent
    .post('/api/posts')
    .send(postBody(randomPlace(), { kind: 'lost_found', audience }))
    .expect(201);
  const jpeg = await phoneJpeg();
  const added = await author.agent
    .post(`/api/posts/${post.body.id}/photos?alt=${encodeURIComponent('Grey cat with a red collar')}`)
    .set('Content-Type', 'image/jpeg')
    .send(jpeg)
    .expect(201);
  return { author, post: added.body, jpeg };
}

describe('photos', () => {
  it('re-encodes a phone JPEG to WebP: GPS and all EXIF gone, orientation applied, alt text kept', async () => {
    const { post, jpeg } = await postWithPhoto();
    // the fixture really carries what must go
    const original = await sharp(jpeg).metadata();
    expect([...gpsTags(original.exif).keys()]).toEqual(expect.arrayContaining([1, 2, 3, 4]));
    expect(original.orientation).toBe(6);

    expect(post.photos).toHaveLength(1);
    const photo = post.photos[0];
    expect(photo).toMatchObject({ alt: 'Grey cat with a red collar', width: 32, height: 64 });
    const res = await request(t.app)
      .get(photo.url)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/webp');
    expect(res.headers['cache-control']).toBe('public, max-age=86400');
    const bytes = res.body as Buffer;
    const served = await sharp(bytes).metadata();
    expect(served).toMatchObject({ format: 'webp', width: 32, height: 64 });
    expect(served.exif).toBeUndefined();
    expect(served.xmp).toBeUndefined();
    expect(served.orientation).toBeUndefined();
    expect(gpsTags(served.exif).size).toBe(0);
    expect(bytes.includes(Buffer.from('TestCam'))).toBe(false);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');

    const again = await request(t.app).get(photo.url).set('If-None-Match', res.headers.etag!);
    expect(again.status).toBe(304);
  });

  it('refuses what is not a photo with 422: text, SVG, 30 MB, a decompression bomb', async () => {
    const author = await signUp(t.app);
    const post = await author.agent.post('/api/posts').send(postBody(randomPlace())).expect(201);
    const before = storedFiles().length;
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>',
    );
    const cases: [string, string, Buffer][] = [
      ['text', 'text/plain', Buffer.from('this is not an image')],
      ['svg', 'image/svg+xml', svg],
      ['30 MB', 'image/jpeg', Buffer.concat([await phoneJpeg(), Buffer.alloc(30 * 1024 * 1024)])],
      ['bomb', 'image/png', pngBomb()],
      ['empty', 'image/jpeg', Buffer.alloc(0)],
    ];
    for (const [name, type, body] of cases) {
      const res = await author.agent.post(`/api/posts/${post.body.id}/photos`).set('Content-Type', type).send(body);
      expect(res.status, name).toBe(422);
      expect(res.headers['content-type'], name).toMatch(/application\/problem\+json/);
    }
    expect(storedFiles().length).toBe(before);
    const after = await request(t.app).get(`/api/posts/${post.body.id}`).expect(200);
    expect(after.body.photos).toEqual([]);
  });

  it('allows four photos per post, only for its author, and removes them with their files', async () => {
    const { author, post } = await postWithPhoto();
    const other = await signUp(t.app);
    const jpeg = await phoneJpeg();
    await other.agent.post(`/api/posts/${post.id}/photos`).set('Content-Type', 'image/jpeg').send(jpeg).expect(403);
    for (let i = 0; i < 3; i++) await author.agent.post(`/api/posts/${post.id}/photos`).set('Content-Type', 'image/jpeg').send(jpeg).expect(201);
    const fifth = await author.agent.post(`/api/posts/${post.id}/photos`).set('Content-Type', 'image/jpeg').send(jpeg);
    expect(fifth.status).toBe(422);
    const full = await request(t.app).get(`/api/posts/${post.id}`).expect(200);
    expect(full.body.photos).toHaveLength(4);

    const first = full.body.photos[0];
    const relabelled = await author.agent.patch(`/api/posts/${post.id}/photos/${first.id}`).send({ alt: 'Found near the playground' }).expect(200);
    expect(relabelled.body.photos[0].alt).toBe('Found near the playground');
    await other.agent.delete(`/api/posts/${post.id}/photos/${first.id}`).expect(403);
    const removed = await author.agent.delete(`/api/posts/${post.id}/photos/${first.id}`).expect(200);
    expect(removed.body.photos).toHaveLength(3);
    await request(t.app).get(first.url).expect(404);
    expect(storedFiles()).not.toContain(first.url.split('/').pop());
  });

  it('serves photos of a restricted post only to who may see it, never from shared caches', async () => {
    const { author, post } = await postWithPhoto('neighbors');
    const stranger = await signUp(t.app);
    const url = post.photos[0].url;
    const own = await author.agent.get(url).expect(200);
    expect(own.headers['cache-control']).toBe('private, max-age=86400');
    const denied = await stranger.agent.get(url);
    const missing = await stranger.agent.get(url.replace(/\/[a-f0-9]{32}\.webp$/, `/${'0'.repeat(32)}.webp`));
    expect(denied.status).toBe(404);
    expect(missing.status).toBe(404);
    expect([denied.body.title, denied.body.detail]).toEqual([missing.body.title, missing.body.detail]);
    await request(t.app).get(url).expect(404);
    await request(t.app).get('/api/photos/1/..%2F..%2Fetc%2Fpasswd').expect(404);
  });
});
