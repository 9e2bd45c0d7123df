import { describe, expect, it } from 'vitest';
import { checkImage, probeImage } from './image-header';

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
const be16 = (n: number) => [n >> 8, n & 255];
const be32 = (n: number) => [n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255];
const le16 = (n: number) => [n & 255, n >> 8];
const le24 = (n: number) => [n & 255, (n >> 8) & 255, n >> 16];

const png = (w: number, h: number) =>
  bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], be32(13), 'IHDR', be32(w), be32(h), [8, 6, 0, 0, 0]);
const gif = (w: number, h: number) => bytes('GIF89a', le16(w), le16(h), [0xf7, 0, 0]);
/** SOI, an APP0 (JFIF) segment, a DQT-ish filler segment, then a SOF marker with the size. */
const jpeg = (w: number, h: number, sof = 0xc0) =>
  bytes(
    [0xff, 0xd8],
    [0xff, 0xe0],
    be16(16),
    'JFIF',
    [0, 1, 1, 0, 0, 1, 0, 1, 0, 0],
    [0xff, 0xdb],
    be16(5),
    [0, 1, 2],
    [0xff, 0xff], // a fill byte before the next marker
    [sof],
    be16(17),
    [8],
    be16(h),
    be16(w),
    [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1],
  );
const riff = (chunk: string, body: number[]) => bytes('RIFF', [0, 0, 0, 0], 'WEBP', chunk, le24(body.length), [0], body);
const webpLossy = (w: number, h: number) => riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, ...le16(w), ...le16(h)]);
const webpLossless = (w: number, h: number) => {
  const bits = (w - 1) | ((h - 1) << 14);
  return riff('VP8L', [0x2f, bits & 255, (bits >> 8) & 255, (bits >> 16) & 255, (bits >>> 24) & 255]);
};
const webpExtended = (w: number, h: number) => riff('VP8X', [0x10, 0, 0, 0, ...le24(w - 1), ...le24(h - 1)]);

describe('image header checks', () => {
  it('reads type and size of each format', () => {
    expect(probeImage(png(800, 600))).toEqual({ type: 'png', width: 800, height: 600 });
    expect(probeImage(gif(320, 240))).toEqual({ type: 'gif', width: 320, height: 240 });
    expect(probeImage(jpeg(1080, 1920))).toEqual({ type: 'jpeg', width: 1080, height: 1920 });
    expect(probeImage(jpeg(640, 480, 0xc2))).toEqual({ type: 'jpeg', width: 640, height: 480 }); // progressive
    expect(probeImage(webpLossy(750, 1000))).toEqual({ type: 'webp', width: 750, height: 1000 });
    expect(probeImage(webpLossless(400, 300))).toEqual({ type: 'webp', width: 400, height: 300 });
    expect(probeImage(webpExtended(5000, 4000))).toEqual({ type: 'webp', width: 5000, height: 4000 });
  });

  it('refuses images below the minimum (200×200 by default, configurable)', () => {
    expect(checkImage(png(800, 600))).toEqual({ ok: true, type: 'png', width: 800, height: 600 });
    expect(checkImage(png(199, 600))).toEqual({ ok: false, reason: 'too_small', type: 'png', width: 199, height: 600 });
    expect(checkImage(jpeg(300, 120))).toMatchObject({ ok: false, reason: 'too_small' });
    expect(checkImage(gif(16, 16))).toMatchObject({ ok: false, reason: 'too_small', width: 16 });
    expect(checkImage(png(199, 600), { minWidth: 100, minHeight: 100 }).ok).toBe(true);
    expect(checkImage(webpLossy(750, 1000), { minWidth: 800 })).toMatchObject({ ok: false, reason: 'too_small' });
  });

  it('refuses unknown types and unreadable headers', () => {
    expect(checkImage(bytes('%PDF-1.7 hello'))).toEqual({ ok: false, reason: 'unknown_type', type: null });
    expect(checkImage(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toMatchObject({ reason: 'unknown_type' });
    expect(checkImage(new Uint8Array())).toMatchObject({ reason: 'unknown_type' });
    expect(checkImage(png(800, 600).slice(0, 20))).toEqual({ ok: false, reason: 'unreadable', type: 'png' }); // truncated
    expect(checkImage(png(0, 600))).toMatchObject({ reason: 'unreadable' });
    expect(checkImage(jpeg(800, 600).slice(0, 30))).toMatchObject({ reason: 'unreadable', type: 'jpeg' }); // no frame header yet
    expect(checkImage(bytes([0xff, 0xd8, 0xff, 0xda, 0, 8]))).toMatchObject({ reason: 'unreadable' }); // scan before a frame
    expect(checkImage(bytes([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0x12, 0x34]))).toMatchObject({ reason: 'unreadable' }); // garbage
    const badLossy = webpLossy(750, 1000);
    badLossy[23] = 0; // no key-frame start code
    expect(checkImage(badLossy)).toMatchObject({ reason: 'unreadable', type: 'webp' });
    expect(checkImage(riff('ABCD', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toMatchObject({ reason: 'unreadable' });
  });
});
