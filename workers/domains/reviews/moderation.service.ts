import { and, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { badRequest, conflict, forbidden } from '../../shared/errors';
import { screen } from '../screening/screen.service';
import type { AdminReviewDto } from './dto';
import { assertReviewMerchant } from './access';
import { reviews } from './schema';
import { announcePublished, getReviewRow, toAdminDtos } from './reviews.service';

const staffId = (ctx: Ctx) => {
  if (ctx.actor.kind !== 'staff') throw forbidden('this is for staff');
  return ctx.actor.staffId;
};

const notPending = (part: 'review' | 'append') =>
  conflict(
    'reviews.not_pending',
    part === 'review' ? 'the review is not waiting for moderation' : 'the follow-up is not waiting for moderation',
  );

/**
 * Approves a held review (or its follow-up): it becomes public. The guarded UPDATE (… = 'pending')
 * decides between two operators acting at once. The first publication sends ReviewPublished
 * (points); the consumer dedupes, so re-approving after reports grants nothing more.
 */
export async function approveReview(ctx: Ctx, reviewId: string, part: 'review' | 'append'): Promise<AdminReviewDto> {
  const by = staffId(ctx);
  const before = await getReviewRow(ctx, reviewId);
  const res =
    part === 'review'
      ? await ctx.db
          .update(reviews)
          .set({
            status: 'published',
            holdReason: null,
            rejectReason: null,
            // reports so far were looked at: only new ones count towards another hold
            reportBaseline: sql`${reviews.reportCount}`,
            publishedAt: sql`coalesce(${reviews.publishedAt}, ${ctx.now})`,
            moderatedBy: by,
            updatedAt: ctx.now,
          })
          .where(and(eq(reviews.id, reviewId), eq(reviews.status, 'pending')))
          .run()
      : await ctx.db
          .update(reviews)
          .set({
            appendStatus: 'published',
            appendHoldReason: null,
            appendRejectReason: null,
            hasMedia: sql`CASE WHEN json_array_length(coalesce(${reviews.appendPhotoKeys}, '[]')) > 0 THEN 1 ELSE ${reviews.hasMedia} END`,
            moderatedBy: by,
            updatedAt: ctx.now,
          })
          .where(and(eq(reviews.id, reviewId), eq(reviews.appendStatus, 'pending')))
          .run();
  if ((res.meta?.changes ?? 0) === 0) throw notPending(part);
  if (part === 'review' && before.publishedAt == null) await announcePublished(ctx, before);
  return (await toAdminDtos(ctx, [await getReviewRow(ctx, reviewId)]))[0]!;
}

/** Rejects a held review (or follow-up) with a reason its author sees; it stays off the product page. */
export async function rejectReview(ctx: Ctx, reviewId: string, part: 'review' | 'append', reason: string): Promise<AdminReviewDto> {
  const by = staffId(ctx);
  await getReviewRow(ctx, reviewId);
  const res =
    part === 'review'
      ? await ctx.db
          .update(reviews)
          .set({ status: 'rejected', rejectReason: reason, moderatedBy: by, updatedAt: ctx.now })
          .where(and(eq(reviews.id, reviewId), eq(reviews.status, 'pending')))
          .run()
      : await ctx.db
          .update(reviews)
          .set({ appendStatus: 'rejected', appendRejectReason: reason, moderatedBy: by, updatedAt: ctx.now })
          .where(and(eq(reviews.id, reviewId), eq(reviews.appendStatus, 'pending')))
          .run();
  if ((res.meta?.changes ?? 0) === 0) throw notPending(part);
  return (await toAdminDtos(ctx, [await getReviewRow(ctx, reviewId)]))[0]!;
}

/**
 * replyReview: the merchant of the product (its own products only) or an operator replies once;
 * replying again edits the reply. The reply is screened: a blocked term is 400
 * reviews.reply_refused with the matches (a reply is the seller speaking, so 广告法 applies).
 */
export async function replyReview(ctx: Ctx, reviewId: string, text: string): Promise<AdminReviewDto> {
  const by = staffId(ctx);
  const r = await getReviewRow(ctx, reviewId);
  assertReviewMerchant(ctx, r.merchantId);
  if (r.status === 'rejected') throw conflict('reviews.review_rejected', 'a rejected review cannot be replied to');
  const s = await screen(ctx, text);
  if (s.verdict === 'block')
    throw badRequest('reviews.reply_refused', '回复含有违规用语，请修改', {
      matches: s.matches.map((m) => ({
        term: m.term,
        category: m.category,
        severity: m.severity,
        start: m.start,
        end: m.end,
        hint: m.hint,
      })),
    });
  await ctx.db
    .update(reviews)
    .set({ replyText: text, replyBy: by, repliedAt: ctx.now, updatedAt: ctx.now })
    .where(eq(reviews.id, reviewId));
  return (await toAdminDtos(ctx, [await getReviewRow(ctx, reviewId)]))[0]!;
}

/** One review for staff (a merchant: its own products' only). */
export async function getAdminReview(ctx: Ctx, reviewId: string): Promise<AdminReviewDto> {
  const r = await getReviewRow(ctx, reviewId);
  assertReviewMerchant(ctx, r.merchantId);
  return (await toAdminDtos(ctx, [r]))[0]!;
}
