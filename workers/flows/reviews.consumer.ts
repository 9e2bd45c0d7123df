import { on, type MessageHandler } from '../shared/events';
import type { Ctx } from '../shared/context';
import { batchFailure } from '../shared/db';
import { ReviewPublished } from '../domains/reviews/events';
import { pointsEntryStatement } from '../domains/members/points.service';
import { recordTaskEvent } from '../domains/members/tasks/events.service';

/** Points for a published review, and extra with photos or a video (env REVIEW_POINTS / REVIEW_MEDIA_POINTS). */
export function reviewPoints(env: Ctx['env'], withMedia: boolean): number {
  const n = (v: string | undefined, d: number) => (v != null && /^\d+$/.test(v) ? Number(v) : d);
  return n(env.REVIEW_POINTS, 10) + (withMedia ? n(env.REVIEW_MEDIA_POINTS, 10) : 0);
}

/**
 * `reviews.*` messages: what a published review earns in the members domain. Idempotent per
 * review — the ledger ref `review:<id>` is unique and the task event is keyed (user, kind, ref) —
 * so a redelivery, or a review published again after a report was cleared, grants nothing more.
 */
export const reviewsConsumer: MessageHandler[] = [
  on(ReviewPublished, async (ctx, { reviewId, userId, withMedia }) => {
    await recordTaskEvent(ctx, userId, 'write_review', `review:${reviewId}`);
    const points = reviewPoints(ctx.env, withMedia);
    if (points <= 0) return;
    try {
      await ctx.env.DB.batch([
        pointsEntryStatement(ctx, {
          userId,
          delta: points,
          reason: 'review',
          ref: `review:${reviewId}`,
          note: withMedia ? '评价晒单（含图）' : '评价',
        }),
      ]);
    } catch (e) {
      if (batchFailure(e) !== 'unique') throw e; // granted already: a redelivery
    }
  }),
];
