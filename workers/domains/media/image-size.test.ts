import { describe, expect, it } from 'vitest';
import { systemCtx } from '../../../test/ctx';
import { encodePng } from '../../dev/png';
import { uploadMedia } from './media.service';

// The suite runs with MEDIA_MIN_PRODUCT_SIDE=1 (its fixtures are tiny); here the production default applies.
const ctx = () => systemCtx(Date.now(), { MEDIA_MIN_PRODUCT_SIDE: undefined });
const png = (w: number, h: number) => encodePng(w, h, (x, y) => [x % 256, y % 256, 90]);

describe('product image size (合规筛查: tiny images are refused)', () => {
  it('refuses a product image under 200×200 with its size, and nothing is stored', async () => {
    const err = await uploadMedia(ctx(), { bytes: await png(199, 400), contentType: 'image/png', purpose: 'product' }).catch((e) => e);
    expect(err).toMatchObject({ code: 'media.image_too_small', status: 400, details: { width: 199, height: 400, minWidth: 200 } });
  });

  it('accepts 200×200 for a product, and small images for other purposes (licences, banners, after-sale photos)', async () => {
    const ok = await uploadMedia(ctx(), { bytes: await png(200, 200), contentType: 'image/png', purpose: 'product' });
    expect(ok).toMatchObject({ width: 200, height: 200 });
    const banner = await uploadMedia(ctx(), { bytes: await png(40, 20), contentType: 'image/png', purpose: 'banner' });
    expect(banner.width).toBe(40);
  });

  it('an unreadable header is still refused as before', async () => {
    const bytes = await png(300, 300);
    const broken = bytes.slice(0, 12); // signature, no IHDR
    const err = await uploadMedia(ctx(), { bytes: broken, contentType: 'image/png', purpose: 'product' }).catch((e) => e);
    expect(err.code).toBe('media.content_mismatch');
  });
});
