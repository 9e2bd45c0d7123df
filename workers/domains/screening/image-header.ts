/**
 * Image checks from the file header alone (no decoding): the type from the magic bytes and the
 * size from where each format keeps it. Pure, so an upload can be refused before it is stored.
 * Give it the first 64 KB: a JPEG's size sits after its EXIF/ICC segments, which can be long.
 */

export type ImageType = 'jpeg' | 'png' | 'webp' | 'gif';
export interface ImageInfo {
  type: ImageType;
  width: number;
  height: number;
}
export type ImageCheck =
  | ({ ok: true } & ImageInfo)
  | { ok: false; reason: 'unknown_type' | 'unreadable'; type: ImageType | null }
  | ({ ok: false; reason: 'too_small' } & ImageInfo);

/** Review photos and product images smaller than this are refused unless a caller says otherwise. */
export const DEFAULT_MIN_SIDE = 200;

const ascii = (b: Uint8Array, at: number, s: string) => b.length >= at + s.length && [...s].every((c, i) => b[at + i] === c.charCodeAt(0));
const be16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const le16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const le24 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const be32 = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;

export function imageType(b: Uint8Array): ImageType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v)) return 'png';
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return 'gif';
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'webp';
  return null;
}

function jpegSize(b: Uint8Array): [number, number] | null {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null; // not at a marker: corrupt
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image / scan data before any frame header
    const len = be16(b, at + 2);
    if (len < 2) return null;
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > b.length) return null;
      return [be16(b, at + 7), be16(b, at + 5)];
    }
    at += 2 + len;
  }
  return null;
}

function webpSize(b: Uint8Array): [number, number] | null {
  if (ascii(b, 12, 'VP8 ')) {
    // lossy: a key frame's start code 9d 01 2a, then 14-bit width and height
    if (b.length < 30 || b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return [le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff];
  }
  if (ascii(b, 12, 'VP8L')) {
    if (b.length < 25 || b[20] !== 0x2f) return null;
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
  }
  if (ascii(b, 12, 'VP8X')) {
    if (b.length < 30) return null;
    return [le24(b, 24) + 1, le24(b, 27) + 1];
  }
  return null;
}

/** Type and size from the header, or null when the type is unknown or the header unreadable. */
export function probeImage(b: Uint8Array): ImageInfo | null {
  const check = checkImage(b, { minWidth: 1, minHeight: 1 });
  return check.ok ? { type: check.type, width: check.width, height: check.height } : null;
}

export function checkImage(
  b: Uint8Array,
  { minWidth = DEFAULT_MIN_SIDE, minHeight = DEFAULT_MIN_SIDE }: { minWidth?: number; minHeight?: number } = {},
): ImageCheck {
  const type = imageType(b);
  if (!type) return { ok: false, reason: 'unknown_type', type: null };
  let size: [number, number] | null = null;
  if (type === 'png') size = ascii(b, 12, 'IHDR') && b.length >= 24 ? [be32(b, 16), be32(b, 20)] : null;
  else if (type === 'gif') size = b.length >= 10 ? [le16(b, 6), le16(b, 8)] : null;
  else if (type === 'jpeg') size = jpegSize(b);
  else size = webpSize(b);
  if (!size || size[0] === 0 || size[1] === 0) return { ok: false, reason: 'unreadable', type };
  const [width, height] = size;
  if (width < minWidth || height < minHeight) return { ok: false, reason: 'too_small', type, width, height };
  return { ok: true, type, width, height };
}
