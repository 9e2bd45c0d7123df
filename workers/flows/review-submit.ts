import type { Ctx } from '../shared/context';
import { shopperId } from '../shared/context';
import { AppError, badRequest, conflict } from '../shared/errors';
import { enforceRateLimit } from '../shared/rate-limit';
import { assertMediaKeys, mediaTypesOf, mediaUrl, uploadMedia, uploadVideo } from '../domains/media/media.service';
import { receivedAt, receivedLinesSince, RECEIVED_STATUSES, shopperLineWithOrder } from '../domains/orders/review-lines';
import { checkImage, DEFAULT_MIN_SIDE } from '../domains/screening/image-header';
import type { CreateReviewInput, ReviewDto } from '../domains/reviews/dto';
import { decide } from '../domains/reviews/policy';
import { insertReview, reviewedLineIds, reviewForKey, screenReviewText, toDtos } from '../domains/reviews/reviews.service';
import { textRefused } from '../domains/reviews/actions.service';

/**
 * Reviews that need the orders domain (is this the shopper's delivered line?), media (their own
 * uploads) and screening together, so they live here rather than in domains/reviews.
 */

const DAY = 86_400_000;
/** A line may be reviewed for this many days after its goods arrived (delivered, or receipt confirmed). */
export const REVIEW_WINDOW_DAYS = 30;

/**
 * createReview: the buyer of a delivered (or completed) order line reviews it, once, within
 * REVIEW_WINDOW_DAYS of delivery. The text is screened: clean → published at once (and the points
 * event sent); flagged → held for moderation; abusive/illegal → 400 reviews.text_refused with the
 * matches. The unique index on the line decides a burst; an Idempotency-Key retry answers the same review.
 * @throws 404 orders.line_not_found (not theirs), 409 reviews.not_delivered / reviews.window_closed / reviews.already_reviewed
 */
export async function createReview(
  ctx: Ctx,
  input: CreateReviewInput,
  idempotencyKey?: string,
): Promise<{ review: ReviewDto; replayed: boolean }> {
  const userId = shopperId(ctx, 'only the buyer can review an order line');
  if (idempotencyKey) {
    const prev = await reviewForKey(ctx, userId, idempotencyKey, input.orderLineId);
    if (prev) return { review: (await toDtos(ctx, [prev], 'author'))[0]!, replayed: true };
  }
  const { line, order } = await shopperLineWithOrder(ctx, userId, input.orderLineId);
  if (!(RECEIVED_STATUSES as readonly string[]).includes(order.status))
    throw conflict('reviews.not_delivered', `a ${order.status} order cannot be reviewed yet: wait until it is delivered`);
  const arrived = receivedAt(order) ?? ctx.now;
  if (ctx.now > arrived + REVIEW_WINDOW_DAYS * DAY)
    throw conflict('reviews.window_closed', `reviews are accepted for ${REVIEW_WINDOW_DAYS} days after delivery`);
  if (line.refundedQuantity >= line.quantity) throw conflict('reviews.line_refunded', 'a fully refunded line cannot be reviewed');

  const keys = [...input.photoKeys, ...(input.videoKey ? [input.videoKey] : [])];
  await assertMediaKeys(ctx, keys, { shopperPurpose: 'review' });
  await assertMediaKinds(ctx, input.photoKeys, input.videoKey);

  const screening = await screenReviewText(ctx, input.text);
  const d = decide(screening);
  if (d.outcome === 'refuse') throw textRefused(d.matches);
  const { row, replayed } = await insertReview(
    ctx,
    {
      orderLineId: line.id,
      orderId: order.id,
      userId,
      merchantId: order.merchantId,
      productId: line.productId,
      skuId: line.skuId,
      productTitle: line.title,
      specKey: line.specKey,
      rating: input.rating,
      text: input.text,
      photoKeys: input.photoKeys,
      videoKey: input.videoKey ?? null,
      tags: input.tags,
      anonymous: input.anonymous,
      status: d.outcome === 'publish' ? 'published' : 'pending',
      holdReason: d.outcome === 'hold' ? d.reason : null,
      screening,
    },
    idempotencyKey,
  );
  return { review: (await toDtos(ctx, [row], 'author'))[0]!, replayed };
}

/** Photos must be images and the video a video (both were the shopper's own review uploads). */
async function assertMediaKinds(ctx: Ctx, photoKeys: string[], videoKey?: string): Promise<void> {
  const types = await mediaTypesOf(ctx, [...photoKeys, ...(videoKey ? [videoKey] : [])]);
  const notPhotos = photoKeys.filter((k) => !types.get(k)?.startsWith('image/'));
  if (notPhotos.length) throw badRequest('reviews.not_a_photo', 'these keys are not photos', { keys: notPhotos });
  if (videoKey && !types.get(videoKey)?.startsWith('video/')) throw badRequest('reviews.not_a_video', 'videoKey is not a video');
}

/**
 * uploadReviewMedia: a shopper's review photo or video. Photos are checked from their header
 * (type and at least DEFAULT_MIN_SIDE px on each side: a thumbnail says nothing about the goods)
 * before anything is stored; videos by container type and size. Rate-limited per shopper.
 */
export async function uploadReviewMedia(ctx: Ctx, upload: { bytes: Uint8Array; contentType: string }) {
  const userId = shopperId(ctx, 'shoppers upload review photos');
  await enforceRateLimit(ctx.env.REVIEW_UPLOAD_LIMITER, `u:${userId}`, 'reviews.upload_rate_limited', 'too many uploads; slow down');
  const declared = upload.contentType.split(';')[0]!.trim().toLowerCase();
  if (declared.startsWith('video/')) {
    const m = await uploadVideo(ctx, { ...upload, purpose: 'review' });
    return { key: m.key, url: m.url, kind: 'video' as const, width: null, height: null };
  }
  const check = checkImage(upload.bytes);
  if (!check.ok) {
    if (check.reason === 'too_small')
      throw new AppError('reviews.photo_too_small', 400, `photos must be at least ${DEFAULT_MIN_SIDE}×${DEFAULT_MIN_SIDE} pixels`, {
        width: check.width,
        height: check.height,
        minSide: DEFAULT_MIN_SIDE,
      });
    // not an image we know: maybe a video sent without its type (wx.uploadFile does that)
    if (check.reason === 'unknown_type' && !declared.startsWith('image/')) {
      const m = await uploadVideo(ctx, { ...upload, purpose: 'review' });
      return { key: m.key, url: m.url, kind: 'video' as const, width: null, height: null };
    }
  }
  // uploadMedia refuses unknown types (415) and unreadable headers (400) with its own codes
  const m = await uploadMedia(ctx, { ...upload, purpose: 'review' });
  return { key: m.key, url: m.url, kind: 'photo' as const, width: m.width, height: m.height };
}

/** 待评价: the shopper's delivered lines still open for review and not reviewed yet, newest first. */
export async function listReviewableLines(ctx: Ctx) {
  const userId = shopperId(ctx, 'this is for shoppers');
  const since = ctx.now - REVIEW_WINDOW_DAYS * DAY;
  const rows = await receivedLinesSince(ctx, userId, since, 200);
  const done = await reviewedLineIds(
    ctx,
    rows.map((r) => r.line.id),
  );
  return {
    items: rows
      .filter((r) => !done.has(r.line.id) && r.line.refundedQuantity < r.line.quantity)
      .map(({ line, order }) => {
        const arrived = receivedAt(order)!;
        return {
          orderId: order.id,
          orderNo: order.orderNo,
          orderLineId: line.id,
          productId: line.productId,
          title: line.title,
          specKey: line.specKey,
          imageUrl: line.mediaKey ? mediaUrl(ctx.env, line.mediaKey) : null,
          deliveredAt: new Date(arrived).toISOString(),
          reviewBy: new Date(arrived + REVIEW_WINDOW_DAYS * DAY).toISOString(),
        };
      }),
  };
}
