import { describe, expect, it } from 'vitest';
import { env } from '../../test/helpers';
import { systemCtx } from '../../test/ctx';
import { ReviewPublished } from '../domains/reviews/events';
import { envelope } from '../shared/events';
import { reviewsConsumer } from './reviews.consumer';

const handler = reviewsConsumer.find((h) => h.type === ReviewPublished.type)!;

describe('reviews.published → members', () => {
  it('grants the review points and counts the 评价晒单 task once, however often it is delivered', async () => {
    const userId = `usr_rv${crypto.randomUUID().slice(0, 8)}`;
    const reviewId = `rev_${crypto.randomUUID().slice(0, 8)}`;
    const msg = envelope(ReviewPublished, { reviewId, userId, withMedia: true }, `review-published:${reviewId}`, Date.now());
    await Promise.all([handler.handle(systemCtx(), msg), handler.handle(systemCtx(), msg)]);
    await handler.handle(systemCtx(), msg);
    const pts = await env.DB.prepare('SELECT delta FROM points_ledger WHERE user_id = ?').bind(userId).all<{ delta: number }>();
    expect(pts.results.map((r) => r.delta)).toEqual([20]);
    const tasks = await env.DB.prepare("SELECT ref FROM member_task_events WHERE user_id = ? AND kind = 'write_review'")
      .bind(userId)
      .all<{ ref: string }>();
    expect(tasks.results.map((r) => r.ref)).toEqual([`review:${reviewId}`]);

    // without photos: the base amount; configurable
    const plain = `rev_${crypto.randomUUID().slice(0, 8)}`;
    await handler.handle(
      systemCtx(Date.now(), { REVIEW_POINTS: '5' }),
      envelope(ReviewPublished, { reviewId: plain, userId, withMedia: false }, `review-published:${plain}`, Date.now()),
    );
    const ref = await env.DB.prepare('SELECT delta FROM points_ledger WHERE ref = ?').bind(`review:${plain}`).first<{ delta: number }>();
    expect(ref!.delta).toBe(5);
  });
});
