import sharp from 'sharp';
import { PHOTO_MAX_EDGE, PHOTO_UPLOAD_MAX_BYTES } from '../contract/limits.ts';

export interface EncodedPhoto {
  bytes: Buffer;
  width: number;
  height: number;
}

export class UnacceptablePhotoError extends Error {}

/** Raster formats people take and share photos in; SVG (scripts, external references) and everything else is refused. */
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'gif', 'heif', 'avif', 'tiff']);
/** ~40 megapixels decoded (a 50-MP phone photo is refused, a decompression bomb long before it is decoded) */
const MAX_INPUT_PIXELS = 40_000_000;

/**
 * Re-encodes an upload into a WebP we are willing to serve: orientation applied (then the EXIF tag is gone with the
 * rest), every metadata block dropped (EXIF incl. GPS, XMP, IPTC, ICC — sharp writes none unless asked with
 * withMetadata/keepMetadata, which we never do), longest edge bounded, first frame only.
 */
export async function encodePhoto(input: Buffer): Promise<EncodedPhoto> {
  if (input.length === 0) throw new UnacceptablePhotoError('The file is empty.');
  if (input.length > PHOTO_UPLOAD_MAX_BYTES) throw new UnacceptablePhotoError(`Photos may be at most ${PHOTO_UPLOAD_MAX_BYTES / 1024 / 1024} MB.`);
  const options = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' as const, animated: false };
  let format: string | undefined;
  try {
    format = (await sharp(input, options).metadata()).format;
  } catch {
    throw new UnacceptablePhotoError('This is not an image we can read.');
  }
  if (!format || !ACCEPTED_FORMATS.has(format)) throw new UnacceptablePhotoError('Send a JPEG, PNG, WebP, GIF, HEIF or AVIF photo.');
  try {
    const { data, info } = await sharp(input, options)
      .rotate()
      .resize({ width: PHOTO_MAX_EDGE, height: PHOTO_MAX_EDGE, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return { bytes: data, width: info.width, height: info.height };
  } catch (e) {
    // pixel limit exceeded, truncated or corrupt data: the upload's fault, not ours
    throw new UnacceptablePhotoError(`This image cannot be processed (${(e as Error).message.slice(0, 120)}).`);
  }
}
