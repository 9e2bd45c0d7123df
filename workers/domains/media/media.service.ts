import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { D1_IN_CHUNK, inChunks, iso } from '../../shared/db';
import type { Env } from '../../shared/env';
import { AppError, forbidden } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { toHex } from '../../shared/crypto';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import type { MediaDto, MediaPurpose } from './dto';
import { mediaObjects } from './schema';
import { DEFAULT_MIN_SIDE } from '../screening/image-header';

type MediaRow = typeof mediaObjects.$inferSelect;

/** Largest accepted upload: product photos from phones fit; anything bigger should be resized first. */
export const MAX_MEDIA_BYTES = 5 * 1024 * 1024;

/** Keys are random and never reused, so the bytes behind a URL never change: caches may keep them forever. */
export const MEDIA_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** Accepted types → file extension. No SVG: it can carry script and would run on our origin. */
const IMAGE_TYPES = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
} as const;
type ImageType = keyof typeof IMAGE_TYPES;

/** Largest accepted video (review videos: a short clip from a phone). */
export const MAX_VIDEO_BYTES = 20 * 1024 * 1024;

/** Accepted video types → file extension. */
const VIDEO_TYPES = {
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
} as const;
type VideoType = keyof typeof VIDEO_TYPES;

/** The only keys this domain creates (and so the only ones the public route serves). */
export const MEDIA_KEY_PATTERN = /^(?:img\/\d{6}\/med_[0-9a-z]{16}\.(?:jpg|png|webp|gif)|vid\/\d{6}\/med_[0-9a-z]{16}\.(?:mp4|mov|webm))$/;

/** Absolute URL of a media key; the mini-program cannot resolve relative image URLs. */
export function mediaUrl(env: Pick<Env, 'PUBLIC_BASE_URL'>, key: string): string {
  return `${(env.PUBLIC_BASE_URL ?? '').replace(/\/+$/, '')}/media/${key}`;
}

export const toMediaDto = (env: Pick<Env, 'PUBLIC_BASE_URL'>, r: MediaRow): MediaDto => ({
  key: r.key,
  url: mediaUrl(env, r.key),
  contentType: r.contentType,
  size: r.size,
  width: r.width,
  height: r.height,
  purpose: r.purpose,
  createdAt: iso(r.createdAt)!,
});

/** The media type of a Content-Type header value, lower-cased and without parameters. */
export const essenceOf = (contentType: string | undefined | null): string => (contentType ?? '').split(';')[0]!.trim().toLowerCase();

const isImageType = (t: string): t is ImageType => Object.hasOwn(IMAGE_TYPES, t);

/** 413 media.too_large; also thrown by the route before it reads an oversized body. */
export const mediaTooLarge = () =>
  new AppError('media.too_large', 413, `images may be at most ${MAX_MEDIA_BYTES / 1024 / 1024} MiB`, { maxBytes: MAX_MEDIA_BYTES });

// ---- image headers -------------------------------------------------------------------------

const ascii = (b: Uint8Array, at: number, text: string) => {
  if (b.length < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
};
const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;

/** Which accepted image type the bytes are, by magic number; null when none. */
export function sniffImageType(b: Uint8Array): ImageType | null {
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 'PNG\r\n\x1a\n')) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return 'image/gif';
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'image/webp';
  return null;
}

type Size = { width: number; height: number };

function pngSize(b: Uint8Array): Size | null {
  // IHDR must be the first chunk: length(4) "IHDR" width(4) height(4), big-endian.
  if (b.length < 24 || !ascii(b, 12, 'IHDR')) return null;
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

function gifSize(b: Uint8Array): Size | null {
  return b.length < 10 ? null : { width: u16le(b, 6), height: u16le(b, 8) };
}

// Start-of-frame markers carry the size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
const JPEG_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpegSize(b: Uint8Array): Size | null {
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte before a marker
      continue;
    }
    // Standalone markers have no length field.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2;
      continue;
    }
    // Entropy-coded data or the end came before any frame header: nothing to read a size from.
    if (marker === 0xd9 || marker === 0xda) return null;
    const len = u16be(b, at + 2);
    if (len < 2) return null;
    if (JPEG_SOF.has(marker)) {
      if (at + 9 > b.length) return null;
      return { height: u16be(b, at + 5), width: u16be(b, at + 7) };
    }
    at += 2 + len;
  }
  return null;
}

function webpSize(b: Uint8Array): Size | null {
  if (b.length < 30) return null;
  if (ascii(b, 12, 'VP8 ')) {
    // Lossy: frame tag (3) then start code 9d 01 2a, then 14-bit width and height.
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  }
  if (ascii(b, 12, 'VP8L')) {
    // Lossless: signature 0x2f, then width-1 and height-1 as two 14-bit little-endian bit fields.
    if (b[20] !== 0x2f) return null;
    const b1 = b[21]!,
      b2 = b[22]!,
      b3 = b[23]!,
      b4 = b[24]!;
    return { width: 1 + (((b2 & 0x3f) << 8) | b1), height: 1 + (((b4 & 0x0f) << 10) | (b3 << 2) | ((b2 & 0xc0) >> 6)) };
  }
  if (ascii(b, 12, 'VP8X')) {
    // Extended: canvas width-1 and height-1 as 24-bit little-endian after 4 bytes of flags.
    return { width: 1 + u24le(b, 24), height: 1 + u24le(b, 27) };
  }
  return null;
}

/** Width and height from the image header of `type`; null when the header cannot be read. */
export function imageSize(type: ImageType, b: Uint8Array): Size | null {
  const size = type === 'image/png' ? pngSize(b) : type === 'image/gif' ? gifSize(b) : type === 'image/jpeg' ? jpegSize(b) : webpSize(b);
  return size && size.width > 0 && size.height > 0 ? size : null;
}

/** The smallest side of a product image (screening's default unless the environment says otherwise). */
const productMinSide = (env: Pick<Env, 'MEDIA_MIN_PRODUCT_SIDE'>): number => {
  const n = Number(env.MEDIA_MIN_PRODUCT_SIDE);
  return Number.isInteger(n) && n >= 1 ? n : DEFAULT_MIN_SIDE;
};

// ---- upload --------------------------------------------------------------------------------

/** What a shopper may upload. */
const SHOPPER_PURPOSES = new Set<MediaPurpose>(['aftersale', 'avatar', 'review']);

export interface UploadMediaInput {
  bytes: ArrayBuffer | Uint8Array;
  /** As declared by the client; empty or application/octet-stream means "not declared" and the bytes decide. */
  contentType: string;
  purpose: MediaPurpose;
}

/**
 * Stores an image in R2 and records it in `media_objects`.
 * Staff uploads belong to the uploader's merchant (merchant staff) or the platform (others);
 * system uploads (seed) belong to the platform.
 * @throws 415 media.unsupported_type, 400 media.content_mismatch, 400 media.empty, 413 media.too_large
 */
export async function uploadMedia(ctx: Ctx, input: UploadMediaInput): Promise<MediaDto> {
  const actor = ctx.actor;
  // Shoppers upload after-sale photos and their avatar only; those rows carry the shopper as uploader (see assertMediaKeys).
  if (actor.kind === 'user') {
    if (!SHOPPER_PURPOSES.has(input.purpose)) throw forbidden('shoppers can only upload after-sale and review photos and avatars');
  } else if (actor.kind !== 'staff' && actor.kind !== 'system') throw forbidden('only staff can upload media');

  const bytes = input.bytes instanceof Uint8Array ? input.bytes : new Uint8Array(input.bytes);
  const declared = essenceOf(input.contentType);
  const sniffed = sniffImageType(bytes);
  const undeclared = declared === '' || declared === 'application/octet-stream';
  // wx.uploadFile and some form posts do not label the part; then the magic number is the declaration.
  const type = undeclared ? sniffed : declared;
  if (bytes.length === 0) throw new AppError('media.empty', 400, 'the upload is empty');
  if (!type || !isImageType(type))
    throw new AppError('media.unsupported_type', 415, `only ${Object.keys(IMAGE_TYPES).join(', ')} can be uploaded`, {
      contentType: declared || null,
      allowed: Object.keys(IMAGE_TYPES),
    });
  if (bytes.length > MAX_MEDIA_BYTES) throw mediaTooLarge();
  if (sniffed !== type)
    throw new AppError('media.content_mismatch', 400, `the bytes are not a ${type} image`, { declared: type, detected: sniffed });
  const size = imageSize(type, bytes);
  if (!size)
    throw new AppError('media.content_mismatch', 400, `the ${type} header is damaged: no image size could be read`, { declared: type });
  // Product photos are shown large on the detail page: a thumbnail or a tracking pixel is refused (合规筛查's minimum).
  const minSide = input.purpose === 'product' ? productMinSide(ctx.env) : 1;
  if (size.width < minSide || size.height < minSide)
    throw new AppError('media.image_too_small', 400, `product images must be at least ${minSide}×${minSide} pixels`, {
      width: size.width,
      height: size.height,
      minWidth: minSide,
      minHeight: minSide,
    });

  const month = new Date(ctx.now).toISOString().slice(0, 7).replace('-', ''); // yyyymm, UTC
  const key = `img/${month}/${newId('med')}.${IMAGE_TYPES[type]}`;
  const sha256 = toHex(await crypto.subtle.digest('SHA-256', bytes));
  const row: MediaRow = {
    key,
    contentType: type,
    size: bytes.length,
    width: size.width,
    height: size.height,
    sha256,
    ownerMerchantId: actor.kind === 'staff' && actor.role === 'merchant' ? actor.merchantId : null,
    uploadedBy: actor.kind === 'staff' ? actor.staffId : actor.kind === 'user' ? actor.userId : null,
    purpose: input.purpose,
    createdAt: ctx.now,
  };

  // R2 first: a row must never point at bytes that are not there. The sha256 option makes R2 verify the bytes it stored.
  await ctx.env.MEDIA.put(key, bytes, {
    httpMetadata: { contentType: type, cacheControl: MEDIA_CACHE_CONTROL },
    customMetadata: { sha256 },
    sha256,
  });
  try {
    await ctx.db.insert(mediaObjects).values(row);
  } catch (err) {
    // Without the row nothing can reference the object, so it would only cost storage forever.
    await ctx.env.MEDIA.delete(key).catch((e: unknown) => ctx.log.error('media orphan not deleted', { key, err: String(e) }));
    throw err;
  }
  ctx.log.info('media uploaded', { key, size: row.size, type, purpose: row.purpose, owner: row.ownerMerchantId });
  return toMediaDto(ctx.env, row);
}

/** Which accepted video type the bytes are, by their container signature; null when none. */
export function sniffVideoType(b: Uint8Array): VideoType | null {
  // ISO base media (MP4 / QuickTime): a box size, then "ftyp" and the brand
  if (ascii(b, 4, 'ftyp')) return ascii(b, 8, 'qt  ') ? 'video/quicktime' : 'video/mp4';
  // Matroska/WebM: the EBML magic
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return 'video/webm';
  return null;
}

/**
 * Stores a short video (a shopper's review video) in R2 and records it. The type comes from the
 * container signature, the size is capped at MAX_VIDEO_BYTES; duration is not read (it would need
 * parsing the whole container) — the size cap bounds it in practice.
 * @throws 415 media.unsupported_type, 400 media.empty, 413 media.too_large
 */
export async function uploadVideo(ctx: Ctx, input: UploadMediaInput): Promise<MediaDto> {
  const actor = ctx.actor;
  if (actor.kind === 'user' && input.purpose !== 'review') throw forbidden('shoppers upload videos for reviews only');
  if (actor.kind !== 'user' && actor.kind !== 'staff' && actor.kind !== 'system') throw forbidden('sign in to upload');
  const bytes = input.bytes instanceof Uint8Array ? input.bytes : new Uint8Array(input.bytes);
  if (bytes.length === 0) throw new AppError('media.empty', 400, 'the upload is empty');
  const type = sniffVideoType(bytes);
  if (!type)
    throw new AppError('media.unsupported_type', 415, `only ${Object.keys(VIDEO_TYPES).join(', ')} videos can be uploaded`, {
      contentType: essenceOf(input.contentType) || null,
      allowed: Object.keys(VIDEO_TYPES),
    });
  if (bytes.length > MAX_VIDEO_BYTES)
    throw new AppError('media.too_large', 413, `videos may be at most ${MAX_VIDEO_BYTES / 1024 / 1024} MiB`, { maxBytes: MAX_VIDEO_BYTES });
  const month = new Date(ctx.now).toISOString().slice(0, 7).replace('-', '');
  const key = `vid/${month}/${newId('med')}.${VIDEO_TYPES[type]}`;
  const sha256 = toHex(await crypto.subtle.digest('SHA-256', bytes));
  const row: MediaRow = {
    key,
    contentType: type,
    size: bytes.length,
    width: null,
    height: null,
    sha256,
    ownerMerchantId: actor.kind === 'staff' && actor.role === 'merchant' ? actor.merchantId : null,
    uploadedBy: actor.kind === 'staff' ? actor.staffId : actor.kind === 'user' ? actor.userId : null,
    purpose: input.purpose,
    createdAt: ctx.now,
  };
  await ctx.env.MEDIA.put(key, bytes, {
    httpMetadata: { contentType: type, cacheControl: MEDIA_CACHE_CONTROL },
    customMetadata: { sha256 },
    sha256,
  });
  try {
    await ctx.db.insert(mediaObjects).values(row);
  } catch (err) {
    await ctx.env.MEDIA.delete(key).catch((e: unknown) => ctx.log.error('media orphan not deleted', { key, err: String(e) }));
    throw err;
  }
  return toMediaDto(ctx.env, row);
}

/** The content type of each uploaded key (unknown keys are absent): photo or video. */
export async function mediaTypesOf(ctx: Ctx, keys: string[]): Promise<Map<string, string>> {
  const rows = await inChunks([...new Set(keys)], D1_IN_CHUNK, (part) =>
    ctx.db
      .select({ key: mediaObjects.key, contentType: mediaObjects.contentType })
      .from(mediaObjects)
      .where(inArray(mediaObjects.key, part)),
  );
  return new Map(rows.map((r) => [r.key, r.contentType]));
}

// ---- references ----------------------------------------------------------------------------

/**
 * Checks that every key is an uploaded media object the actor may use (catalog calls this before
 * saving product image keys). Merchant staff may use their own media and the platform's, no one else's;
 * shoppers only after-sale photos they uploaded themselves.
 * @throws 400 media.not_found with details { missing }, 403 media.forbidden with details { keys }
 */
export async function assertMediaKeys(ctx: Ctx, keys: string[], opts: { shopperPurpose?: MediaPurpose } = {}): Promise<void> {
  const shopperPurpose = opts.shopperPurpose ?? 'aftersale';
  const unique = [...new Set(keys)];
  if (unique.length === 0) return;
  const rows = await inChunks(unique, D1_IN_CHUNK, (part) =>
    ctx.db
      .select({
        key: mediaObjects.key,
        ownerMerchantId: mediaObjects.ownerMerchantId,
        uploadedBy: mediaObjects.uploadedBy,
        purpose: mediaObjects.purpose,
      })
      .from(mediaObjects)
      .where(inArray(mediaObjects.key, part)),
  );
  const found = new Set(rows.map((r) => r.key));
  const missing = unique.filter((k) => !found.has(k));
  if (missing.length) throw new AppError('media.not_found', 400, `${missing.length} media key(s) were never uploaded`, { missing });

  const actor = ctx.actor;
  if (actor.kind === 'user') {
    // A shopper may attach only what they uploaded themselves, for this purpose (after-sale or review photos).
    const foreign = rows.filter((r) => r.uploadedBy !== actor.userId || r.purpose !== shopperPurpose).map((r) => r.key);
    if (foreign.length)
      throw new AppError('media.forbidden', 403, `these media were not uploaded by you as ${shopperPurpose} media`, { keys: foreign });
  }
  if (actor.kind === 'staff' && actor.role === 'merchant') {
    const foreign = rows.filter((r) => r.ownerMerchantId !== null && r.ownerMerchantId !== actor.merchantId).map((r) => r.key);
    if (foreign.length) throw new AppError('media.forbidden', 403, 'these media belong to another merchant', { keys: foreign });
  }
}

/**
 * Checks that `key` was uploaded with the given purpose (merchant onboarding: the licence image),
 * and, with `uploadedBy`, by that uploader (a shopper's avatar).
 * @throws 400 media.not_found when there is no such upload or it was uploaded for something else
 */
export async function assertMediaPurpose(ctx: Ctx, key: string, purpose: MediaPurpose, uploadedBy?: string): Promise<void> {
  const [row] = await ctx.db
    .select({ purpose: mediaObjects.purpose, uploadedBy: mediaObjects.uploadedBy })
    .from(mediaObjects)
    .where(eq(mediaObjects.key, key))
    .limit(1);
  if (!row || row.purpose !== purpose || (uploadedBy !== undefined && row.uploadedBy !== uploadedBy))
    throw new AppError('media.not_found', 400, `no ${purpose} image was uploaded with this key`, { missing: [key], purpose });
}

// ---- listing and serving -------------------------------------------------------------------

/**
 * Uploaded media, newest first, keyset-paginated on (createdAt, key).
 * Merchant staff see only their merchant's uploads.
 */
export async function listMedia(ctx: Ctx, q: { limit: number; cursor?: string; purpose?: MediaPurpose }): Promise<Page<MediaDto>> {
  const cursor = decodeCursor(q.cursor);
  const where: SQL[] = [];
  const actor = ctx.actor;
  if (actor.kind === 'staff' && actor.role === 'merchant') {
    // A merchant actor without a merchant id would otherwise see platform media; show nothing instead.
    if (!actor.merchantId) return { items: [], nextCursor: null };
    where.push(eq(mediaObjects.ownerMerchantId, actor.merchantId));
  }
  if (q.purpose) where.push(eq(mediaObjects.purpose, q.purpose));
  if (cursor) {
    const v = Number(cursor.v);
    where.push(or(lt(mediaObjects.createdAt, v), and(eq(mediaObjects.createdAt, v), lt(mediaObjects.key, cursor.id)))!);
  }
  const rows = await ctx.db
    .select()
    .from(mediaObjects)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(mediaObjects.createdAt), desc(mediaObjects.key))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.key }));
  return { items: page.items.map((r) => toMediaDto(ctx.env, r)), nextCursor: page.nextCursor };
}

/**
 * The stored object for serving. With `ifNoneMatch`, R2 skips the body when the ETag matches:
 * the result then has no `body` and the caller answers 304.
 * @throws 404 media.not_found
 */
export async function getMediaObject(ctx: Ctx, key: string, opts: { ifNoneMatch?: string | null } = {}): Promise<R2Object | R2ObjectBody> {
  // Only keys this domain minted are public; anything else in the bucket is not ours to serve.
  const obj = MEDIA_KEY_PATTERN.test(key)
    ? await ctx.env.MEDIA.get(key, opts.ifNoneMatch ? { onlyIf: new Headers({ 'if-none-match': opts.ifNoneMatch }) } : undefined)
    : null;
  if (!obj) throw new AppError('media.not_found', 404, 'media not found');
  return obj;
}
