import { z } from 'zod';
import { defineMessage } from '../../shared/events';

/**
 * Messages about reviews. Handled in flows/reviews.consumer.ts, which grants the review's points and
 * counts the 评价晒单 task in the members domain — the reviews domain never imports members.
 */

/**
 * A review was published for the first time (at once, or when an operator approved it). Id
 * `review-published:<reviewId>`; the consumer dedupes on the review id, so a redelivery or a
 * second publication (after a report was cleared) grants nothing more. On the SETTLEMENT queue,
 * where the other growth hooks (points, tasks after a final order) travel.
 */
export const ReviewPublished = defineMessage(
  'reviews.published',
  'SETTLEMENT',
  z.object({ reviewId: z.string().min(1), userId: z.string().min(1), withMedia: z.boolean() }),
);
