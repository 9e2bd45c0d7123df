import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, adminToken, env, shopperToken, staffToken } from '../../../test/helpers';
import type { Actor, Ctx } from '../../shared/context';
import { getDb } from '../../shared/db';
import { toHex } from '../../shared/crypto';
import { createLogger } from '../../shared/log';
import { encodePng } from '../../dev/png';
import { assertMediaKeys, imageSize, MAX_MEDIA_BYTES, sniffImageType, uploadMedia } from './media.service';

const KEY = /^img\/\d{6}\/med_[0-9a-z]{16}\.png$/;
const CACHE = 'public, max-age=31536000, immutable';

const gradient = (w: number, h: number) => encodePng(w, h, (x, y) => [x * 7, y * 5, (x + y) * 3]);

const upload = (token: string | undefined, raw: BodyInit, contentType?: string, query = '') =>
  api('POST', `/admin/v1/media${query}`, { token, raw, headers: contentType ? { 'content-type': contentType } : {} });

/** multipart/form-data with one `file` part; fetch writes the boundary. */
function form(bytes: Uint8Array, type: string, name = 'photo.png'): FormData {
  const fd = new FormData();
  fd.append('file', new File([bytes], name, { type }));
  return fd;
}

/** The served bytes themselves (api() would decode them as text). */
const fetchMedia = (key: string, headers: Record<string, string> = {}) => SELF.fetch(`http://edgemall.test/media/${key}`, { headers });

function ctxAs(actor: Actor, over: Partial<Ctx> = {}): Ctx {
  return { db: getDb(env.DB), env, actor, now: Date.now(), requestId: 'req_test', log: createLogger({ test: 'media' }), ...over };
}
const merchantActor = (merchantId: string): Actor => ({
  kind: 'staff',
  staffId: `stf_${merchantId}`,
  role: 'merchant',
  merchantId,
  sessionId: 'ses_test',
});
const operatorActor: Actor = { kind: 'staff', staffId: 'stf_operator', role: 'operator', merchantId: null, sessionId: 'ses_test' };

async function addMerchant(id: string): Promise<void> {
  await env.DB.prepare("INSERT INTO merchants (id, name, status, commission_bps, created_at) VALUES (?, ?, 'active', 0, ?)")
    .bind(id, id, Date.now())
    .run();
}

async function storedKeys(): Promise<string[]> {
  return (await env.MEDIA.list({ prefix: 'img/' })).objects.map((o) => o.key);
}

let admin: string;
beforeAll(async () => {
  admin = await adminToken();
});

describe('encodePng', () => {
  it('writes a PNG whose chunks, CRCs and pixels decode', async () => {
    const png = await encodePng(3, 2, (x, y) => [x * 100, y * 200, 7]);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset);
    expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
    expect([view.getUint32(16), view.getUint32(20), png[24], png[25]]).toEqual([3, 2, 8, 2]);
    // CRC-32 of "IEND" with no data is the well-known AE 42 60 82
    expect(toHex(png.subarray(png.length - 4))).toBe('ae426082');
    expect(new TextDecoder().decode(png.subarray(png.length - 8, png.length - 4))).toBe('IEND');

    const idatLen = view.getUint32(33);
    expect(new TextDecoder().decode(png.subarray(37, 41))).toBe('IDAT');
    const inflated = new Uint8Array(
      await new Response(new Blob([png.subarray(41, 41 + idatLen)]).stream().pipeThrough(new DecompressionStream('deflate'))).arrayBuffer(),
    );
    // each scanline: filter byte 0, then r,g,b per pixel
    expect([...inflated]).toEqual([0, 0, 0, 7, 100, 0, 7, 200, 0, 7, 0, 0, 200, 7, 100, 200, 7, 200, 200, 7]);
  });
});

describe('image headers', () => {
  it('reads width and height from GIF, JPEG and all three WebP flavours', () => {
    const gif = new Uint8Array([...new TextEncoder().encode('GIF89a'), 0x40, 0x01, 0xf0, 0x00, 0, 0, 0]);
    expect(sniffImageType(gif)).toBe('image/gif');
    expect(imageSize('image/gif', gif)).toEqual({ width: 320, height: 240 });

    // SOI, APP0 (16 bytes), a padding fill byte, then SOF2 (progressive) 600×800
    const jpeg = new Uint8Array([
      0xff,
      0xd8,
      0xff,
      0xe0,
      0x00,
      0x10,
      ...new Array(14).fill(0),
      0xff,
      0xff,
      0xc2,
      0x00,
      0x11,
      0x08,
      0x03,
      0x20,
      0x02,
      0x58,
      0x03,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
    ]);
    expect(sniffImageType(jpeg)).toBe('image/jpeg');
    expect(imageSize('image/jpeg', jpeg)).toEqual({ width: 600, height: 800 });
    // DHT (C4) sits in the SOF range but carries no size; SOS before any frame means none can be read
    const noFrame = new Uint8Array([0xff, 0xd8, 0xff, 0xc4, 0x00, 0x04, 0, 0, 0xff, 0xda, 0x00, 0x02, 0, 0]);
    expect(imageSize('image/jpeg', noFrame)).toBeNull();

    const riff = (fourcc: string, payload: number[]) =>
      new Uint8Array([
        ...new TextEncoder().encode('RIFF'),
        0,
        0,
        0,
        0,
        ...new TextEncoder().encode(`WEBP${fourcc}`),
        0,
        0,
        0,
        0,
        ...payload,
        ...new Array(16).fill(0),
      ]);
    const vp8 = riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x90, 0x01, 0x2c, 0x01]); // 400×300
    const w = 1023,
      h = 767; // VP8L stores width-1 and height-1 in 14-bit fields
    const bits = (w - 1) | ((h - 1) << 14);
    const vp8l = riff('VP8L', [0x2f, bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, (bits >>> 24) & 0xff]);
    const vp8x = riff('VP8X', [0, 0, 0, 0, 0x7f, 0x0c, 0x00, 0x37, 0x09, 0x00]); // 3200×2360
    expect([vp8, vp8l, vp8x].map((b) => sniffImageType(b))).toEqual(['image/webp', 'image/webp', 'image/webp']);
    expect(imageSize('image/webp', vp8)).toEqual({ width: 400, height: 300 });
    expect(imageSize('image/webp', vp8l)).toEqual({ width: w, height: h });
    expect(imageSize('image/webp', vp8x)).toEqual({ width: 3200, height: 2360 });
  });
});

describe('uploadMedia and getMedia', () => {
  it('stores a PNG (201, size from IHDR) and serves the identical bytes with immutable caching', async () => {
    const png = await gradient(37, 21);
    const r = await upload(admin, png, 'image/png');
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ contentType: 'image/png', size: png.length, width: 37, height: 21, purpose: 'product' });
    expect(r.body.key).toMatch(KEY);
    expect(r.body.key.slice(4, 10)).toBe(new Date().toISOString().slice(0, 7).replace('-', ''));
    expect(r.body.url).toBe(`${env.PUBLIC_BASE_URL}/media/${r.body.key}`);
    expect(r.body.url).toMatch(/^https?:\/\//);
    expect(new Date(r.body.createdAt).toISOString()).toBe(r.body.createdAt);

    const sha = toHex(await crypto.subtle.digest('SHA-256', png));
    const row = await env.DB.prepare('SELECT * FROM media_objects WHERE key = ?').bind(r.body.key).first<Record<string, unknown>>();
    expect(row).toMatchObject({ sha256: sha, owner_merchant_id: null, size: png.length, width: 37, height: 21 });
    expect(row?.uploaded_by).toMatch(/^stf_/);
    const head = await env.MEDIA.head(r.body.key);
    expect(head?.customMetadata?.sha256).toBe(sha);

    const served = await fetchMedia(r.body.key);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toBe(CACHE);
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(served.headers.get('etag')).toBe(head?.httpEtag);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
  });

  it('answers If-None-Match with the current ETag by 304 and no body; a stale ETag gets the bytes', async () => {
    const png = await gradient(4, 4);
    const { body } = await upload(admin, png, 'image/png');
    const etag = (await fetchMedia(body.key).then(async (res) => (await res.arrayBuffer(), res.headers.get('etag'))))!;
    expect(etag).toMatch(/^".+"$/);

    const cached = await fetchMedia(body.key, { 'if-none-match': etag });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('etag')).toBe(etag);
    expect(cached.headers.get('cache-control')).toBe(CACHE);
    expect((await cached.arrayBuffer()).byteLength).toBe(0);

    const stale = await fetchMedia(body.key, { 'if-none-match': '"not-the-etag"' });
    expect(stale.status).toBe(200);
    expect(new Uint8Array(await stale.arrayBuffer())).toEqual(png);
  });

  it('an unknown key, or a path outside the media key space, is 404 media.not_found', async () => {
    const missing = await api('GET', '/media/img/202611/med_0000000000000000.png');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('media.not_found');

    // Something else in the bucket (not minted by uploadMedia) is not served even though it exists.
    await env.MEDIA.put('exports/secret.csv', 'a,b');
    const other = await api('GET', '/media/exports/secret.csv');
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('media.not_found');
  });

  it('accepts multipart/form-data with a file part, and a query purpose', async () => {
    const png = await gradient(9, 5);
    const r = await upload(admin, form(png, 'image/png'), undefined, '?purpose=banner');
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ width: 9, height: 5, purpose: 'banner', size: png.length });
    const served = await fetchMedia(r.body.key);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);

    const banners = await api('GET', '/admin/v1/media?purpose=banner', { token: admin });
    expect(banners.body.items.map((m: { key: string }) => m.key)).toContain(r.body.key);
    expect(banners.body.items.every((m: { purpose: string }) => m.purpose === 'banner')).toBe(true);

    // An unlabelled part (as some uploaders send) is typed by its magic number.
    const unlabelled = await upload(admin, form(png, 'application/octet-stream', 'blob'));
    expect(unlabelled.status).toBe(201);
    expect(unlabelled.body.contentType).toBe('image/png');

    const noFile = new FormData();
    noFile.append('other', 'x');
    const bad = await upload(admin, noFile);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].path).toBe('file');
  });

  it('stores a GIF with its logical screen size and a .gif key', async () => {
    const gif = new Uint8Array([
      ...new TextEncoder().encode('GIF89a'),
      0x0a,
      0x00,
      0x14,
      0x00,
      0x80,
      0,
      0,
      0,
      0,
      0,
      0xff,
      0xff,
      0xff,
      0x3b,
    ]);
    const r = await upload(admin, gif, 'image/gif');
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ contentType: 'image/gif', width: 10, height: 20 });
    expect(r.body.key).toMatch(/\.gif$/);
  });

  it('rejects bytes that are not the declared image with 400 media.content_mismatch, storing nothing', async () => {
    const before = await storedKeys();
    const text = await upload(admin, 'hello, I am not a picture', 'image/png');
    expect(text.status).toBe(400);
    expect(text.body.error.code).toBe('media.content_mismatch');

    // GIF's header is just two numbers at fixed offsets, so only the magic number can tell text from a GIF.
    const textAsGif = await upload(admin, 'hello, I am not a picture', 'image/gif');
    expect(textAsGif.status).toBe(400);
    expect(textAsGif.body.error.code).toBe('media.content_mismatch');

    const png = await gradient(2, 2);
    const wrongLabel = await upload(admin, png, 'image/jpeg');
    expect(wrongLabel.status).toBe(400);
    expect(wrongLabel.body.error.code).toBe('media.content_mismatch');

    // The right magic number but no readable header is not an image we can describe.
    const truncated = await upload(admin, png.subarray(0, 12), 'image/png');
    expect(truncated.status).toBe(400);
    expect(truncated.body.error.code).toBe('media.content_mismatch');

    expect(await storedKeys()).toEqual(before);
  });

  it('rejects types other than JPEG/PNG/WebP/GIF with 415 and empty bodies with 400', async () => {
    const pdf = await upload(admin, '%PDF-1.7\n%âãÏÓ\n', 'application/pdf');
    expect(pdf.status).toBe(415);
    expect(pdf.body.error.code).toBe('media.unsupported_type');
    const svg = await upload(admin, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'image/svg+xml');
    expect(svg.status).toBe(415);
    expect(svg.body.error.code).toBe('media.unsupported_type');
    const empty = await upload(admin, new Uint8Array(0), 'image/png');
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('media.empty');
  });

  it('accepts exactly 5 MiB and rejects one byte more with 413, with or without Content-Length', async () => {
    const png = await gradient(3, 3);
    const atLimit = new Uint8Array(MAX_MEDIA_BYTES);
    atLimit.set(png); // trailing bytes after IEND are ignored by decoders; only the size matters here
    const ok = await upload(admin, atLimit, 'image/png');
    expect(ok.status).toBe(201);
    expect(ok.body.size).toBe(MAX_MEDIA_BYTES);

    const over = new Uint8Array(MAX_MEDIA_BYTES + 1);
    over.set(png);
    const big = await upload(admin, over, 'image/png');
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('media.too_large');

    const bigForm = await upload(admin, form(over, 'image/png'));
    expect(bigForm.status).toBe(413);
    expect(bigForm.body.error.code).toBe('media.too_large');

    // A streamed body has no Content-Length: the read itself must stop at the cap.
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= MAX_MEDIA_BYTES + 1024 * 1024) return controller.close();
        const chunk = new Uint8Array(256 * 1024);
        if (sent === 0) chunk.set(png);
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const streamed = await upload(admin, stream, 'image/png');
    expect(streamed.status).toBe(413);
    expect(streamed.body.error.code).toBe('media.too_large');
  });

  it('refuses a declared oversized Content-Length without waiting for the body', async () => {
    // The body never finishes: only an answer decided from the header alone can arrive.
    const endless = new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new Uint8Array(1024)) });
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000));
    const res = await Promise.race([
      SELF.fetch('http://edgemall.test/admin/v1/media', {
        method: 'POST',
        body: endless,
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'image/png', 'content-length': String(MAX_MEDIA_BYTES + 1) },
      }),
      timeout,
    ]);
    expect(res).not.toBe('timeout');
    const r = res as Response;
    expect(r.status).toBe(413);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('media.too_large');
  });

  it('needs a staff token with media.write: none → 401, shopper → 403, support → 403', async () => {
    const png = await gradient(2, 2);
    const anon = await upload(undefined, png, 'image/png');
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('auth.unauthorized');
    const shopper = await upload(await shopperToken('media-shopper'), png, 'image/png');
    expect(shopper.status).toBe(403);
    expect(shopper.body.error.code).toBe('auth.forbidden');
    const support = await upload(await staffToken('support'), png, 'image/png');
    expect(support.status).toBe(403);
    expect((await api('GET', '/admin/v1/media', { token: await shopperToken('media-shopper') })).status).toBe(403);
  });

  it('removes the R2 object when the D1 insert fails, so no orphan remains', async () => {
    const puts: string[] = [];
    const bucket = env.MEDIA;
    const media = {
      put: (key: string, value: Uint8Array, opts?: R2PutOptions) => (puts.push(key), bucket.put(key, value, opts)),
      delete: (key: string) => bucket.delete(key),
    } as unknown as R2Bucket;
    const brokenD1 = {
      prepare: () => {
        throw new Error('D1_ERROR: simulated outage');
      },
    } as unknown as D1Database;
    const ctx = ctxAs(operatorActor, { env: { ...env, MEDIA: media }, db: getDb(brokenD1) });
    await expect(uploadMedia(ctx, { bytes: await gradient(2, 2), contentType: 'image/png', purpose: 'product' })).rejects.toThrow(
      /simulated outage/,
    );
    expect(puts).toHaveLength(1);
    expect(await env.MEDIA.head(puts[0]!)).toBeNull();
  });
});

describe('assertMediaKeys and merchant ownership', () => {
  it('rejects keys that were never uploaded with 400 media.not_found listing them; known keys and [] pass', async () => {
    const { body } = await upload(admin, await gradient(2, 2), 'image/png');
    const ctx = ctxAs(operatorActor);
    await expect(assertMediaKeys(ctx, [])).resolves.toBeUndefined();
    await expect(assertMediaKeys(ctx, [body.key, body.key])).resolves.toBeUndefined();
    const err = await assertMediaKeys(ctx, [body.key, 'img/202611/med_nope0000nope0000.png', 'https://evil.example/x.png']).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({
      code: 'media.not_found',
      status: 400,
      details: { missing: ['img/202611/med_nope0000nope0000.png', 'https://evil.example/x.png'] },
    });
  });

  it("a merchant may use its own and the platform's media, never another merchant's (403 media.forbidden)", async () => {
    await addMerchant('mch_media_a');
    await addMerchant('mch_media_b');
    const tokenA = await staffToken('merchant', 'mch_media_a');
    const ofA = await upload(tokenA, await gradient(3, 3), 'image/png');
    expect(ofA.status).toBe(201);
    const row = await env.DB.prepare('SELECT owner_merchant_id FROM media_objects WHERE key = ?')
      .bind(ofA.body.key)
      .first<{ owner_merchant_id: string }>();
    expect(row?.owner_merchant_id).toBe('mch_media_a');
    const platform = await upload(admin, await gradient(3, 3), 'image/png');

    await expect(assertMediaKeys(ctxAs(merchantActor('mch_media_a')), [ofA.body.key, platform.body.key])).resolves.toBeUndefined();
    const err = await assertMediaKeys(ctxAs(merchantActor('mch_media_b')), [platform.body.key, ofA.body.key]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'media.forbidden', status: 403, details: { keys: [ofA.body.key] } });
    // Platform staff curate every merchant's listings, so they may reference any media.
    await expect(assertMediaKeys(ctxAs(operatorActor), [ofA.body.key])).resolves.toBeUndefined();
  });

  it('listMedia shows a merchant only its own uploads, newest first, page by page', async () => {
    await addMerchant('mch_list_a');
    await addMerchant('mch_list_b');
    const t0 = Date.UTC(2026, 10, 11);
    const keysA: string[] = [];
    for (let i = 0; i < 3; i++) {
      const m = await uploadMedia(ctxAs(merchantActor('mch_list_a'), { now: t0 + i * 1000 }), {
        bytes: await gradient(2, 2),
        contentType: 'image/png',
        purpose: 'product',
      });
      keysA.push(m.key);
    }
    expect(keysA[0]!.startsWith('img/202611/')).toBe(true);
    const ofB = await uploadMedia(ctxAs(merchantActor('mch_list_b'), { now: t0 + 5000 }), {
      bytes: await gradient(2, 2),
      contentType: 'image/png',
      purpose: 'product',
    });

    const tokenA = await staffToken('merchant', 'mch_list_a');
    const first = await api('GET', '/admin/v1/media?limit=2', { token: tokenA });
    expect(first.status).toBe(200);
    expect(first.body.items.map((m: { key: string }) => m.key)).toEqual([keysA[2], keysA[1]]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api('GET', `/admin/v1/media?limit=2&cursor=${first.body.nextCursor}`, { token: tokenA });
    expect(second.body.items.map((m: { key: string }) => m.key)).toEqual([keysA[0]]);
    expect(second.body.nextCursor).toBeNull();

    const all = await api('GET', '/admin/v1/media?limit=100', { token: admin });
    const allKeys = all.body.items.map((m: { key: string }) => m.key);
    expect(allKeys).toEqual(expect.arrayContaining([...keysA, ofB.key]));
    const times = all.body.items.map((m: { createdAt: string }) => Date.parse(m.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});

describe('OpenAPI', () => {
  it('documents uploadMedia (image bodies and multipart), listMedia and getMedia', async () => {
    const doc = (await api('GET', '/openapi.json')).body;
    const post = doc.paths['/admin/v1/media'].post;
    expect(post.operationId).toBe('uploadMedia');
    expect(Object.keys(post.requestBody.content)).toEqual(expect.arrayContaining(['image/png', 'image/jpeg', 'multipart/form-data']));
    expect(doc.paths['/admin/v1/media'].get.operationId).toBe('listMedia');
    expect(doc.paths['/media/{key}'].get.operationId).toBe('getMedia');
  });
});
