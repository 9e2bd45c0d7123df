import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { shopperId } from '../../shared/context';
import { stmt } from '../../shared/db';
import { AppError, conflict, forbidden } from '../../shared/errors';
import { assertMediaKeys } from '../media/media.service';
import { rememberFingerprint } from '../screening/fingerprint.service';
import type { AppendReviewInput, ReportReviewInput, ReviewDto } from './dto';
import { decide } from './policy';
import { reviewReports, reviews, reviewVotes } from './schema';
import { fingerprintId, getPublishedRow, getReviewRow, screenReviewText, toDtos } from './reviews.service';

/** Reports (since an operator last cleared it) that send a published review back to moderation. */
export const REPORTS_TO_HOLD = 3;
/** A follow-up (追评) is accepted this long after the first review. */
export const APPEND_WINDOW_DAYS = 180;
const DAY = 86_400_000;

/** 400 reviews.text_refused: the text has terms nobody would approve; the matches say where and why. */
export const textRefused = (matches: unknown) =>
  new AppError('reviews.text_refused', 400, '评价内容含有违规词语，请修改后再提交', { matches });

/**
 * appendReview (追评): one follow-up by the review's author, screened like the first. Once: the
 * guarded UPDATE (append_text IS NULL) decides, so a double tap or a burst adds one.
 * @throws 403 not the author, 409 reviews.already_appended / reviews.append_closed / reviews.review_rejected
 */
export async function appendReview(ctx: Ctx, reviewId: string, input: AppendReviewInput): Promise<ReviewDto> {
  const userId = shopperId(ctx, 'only the shopper who wrote the review can add to it');
  const r = await getReviewRow(ctx, reviewId);
  if (r.userId !== userId) throw forbidden('only the author of a review can add a follow-up');
  if (r.appendText != null) throw conflict('reviews.already_appended', 'a review takes one follow-up (追评) only');
  if (r.status === 'rejected') throw conflict('reviews.review_rejected', 'a rejected review cannot take a follow-up');
  if (ctx.now > r.createdAt + APPEND_WINDOW_DAYS * DAY)
    throw conflict('reviews.append_closed', `follow-ups are accepted for ${APPEND_WINDOW_DAYS} days after the review`);
  await assertMediaKeys(ctx, input.photoKeys, { shopperPurpose: 'review' });
  const fp = fingerprintId(reviewId, 'append');
  const screening = await screenReviewText(ctx, input.text, fp);
  const d = decide(screening);
  if (d.outcome === 'refuse') throw textRefused(d.matches);
  const published = d.outcome === 'publish';
  const res = await ctx.db
    .update(reviews)
    .set({
      appendText: input.text,
      appendPhotoKeys: input.photoKeys,
      appendStatus: published ? 'published' : 'pending',
      appendHoldReason: d.outcome === 'hold' ? d.reason : null,
      appendScreening: screening,
      appendedAt: ctx.now,
      // photos in a public follow-up put the review among those "with photos"
      ...(published && input.photoKeys.length ? { hasMedia: 1 } : {}),
      updatedAt: ctx.now,
    })
    .where(and(eq(reviews.id, reviewId), isNull(reviews.appendText), ne(reviews.status, 'rejected')))
    .run();
  if ((res.meta?.changes ?? 0) === 0) throw conflict('reviews.already_appended', 'a review takes one follow-up (追评) only');
  await rememberFingerprint(ctx, 'review', fp, input.text);
  return (await toDtos(ctx, [await getReviewRow(ctx, reviewId)], 'author'))[0]!;
}

/**
 * 有用: a shopper marks (or unmarks) a published review helpful. One vote per shopper (the primary
 * key), and the count is recomputed from the votes in the same batch, so a burst of taps from many
 * shoppers counts each once and never drifts. Repeating either call changes nothing.
 */
export async function setHelpful(ctx: Ctx, reviewId: string, helpful: boolean) {
  const userId = shopperId(ctx, 'shoppers vote on reviews');
  const r = await getPublishedRow(ctx, reviewId);
  if (r.userId === userId) throw forbidden('you cannot vote for your own review');
  const d1 = ctx.env.DB;
  const change = helpful
    ? stmt(d1, ctx.db.insert(reviewVotes).values({ reviewId, userId, createdAt: ctx.now }).onConflictDoNothing())
    : stmt(d1, ctx.db.delete(reviewVotes).where(and(eq(reviewVotes.reviewId, reviewId), eq(reviewVotes.userId, userId))));
  const recount = stmt(
    d1,
    ctx.db
      .update(reviews)
      .set({ helpfulCount: sql`(SELECT count(*) FROM review_votes WHERE review_id = ${reviewId})` })
      .where(eq(reviews.id, reviewId)),
  );
  await d1.batch([change, recount]);
  const after = await getReviewRow(ctx, reviewId);
  return { reviewId, votedHelpful: helpful, helpfulCount: after.helpfulCount };
}

/**
 * 举报: one report per shopper per review. When REPORTS_TO_HOLD reports have come in since an
 * operator last cleared the review, it goes back to moderation (hold reason 'reported') in the
 * same statement that counts them, so concurrent reports cannot miss the threshold.
 */
export async function reportReview(ctx: Ctx, reviewId: string, input: ReportReviewInput) {
  const userId = shopperId(ctx, 'shoppers report reviews');
  const r = await getPublishedRow(ctx, reviewId);
  if (r.userId === userId) throw forbidden('you cannot report your own review');
  const d1 = ctx.env.DB;
  const count = sql`(SELECT count(*) FROM review_reports WHERE review_id = ${reviewId})`;
  const over = sql`(${count} - ${reviews.reportBaseline} >= ${REPORTS_TO_HOLD} AND ${reviews.status} = 'published')`;
  await d1.batch([
    stmt(
      d1,
      ctx.db
        .insert(reviewReports)
        .values({ reviewId, userId, reason: input.reason, note: input.note, createdAt: ctx.now })
        .onConflictDoNothing(),
    ),
    stmt(
      d1,
      ctx.db
        .update(reviews)
        .set({
          reportCount: count,
          // SQLite evaluates every SET expression against the row as it was, so both see the old status
          status: sql`CASE WHEN ${over} THEN 'pending' ELSE ${reviews.status} END`,
          holdReason: sql`CASE WHEN ${over} THEN 'reported' ELSE ${reviews.holdReason} END`,
          updatedAt: ctx.now,
        })
        .where(eq(reviews.id, reviewId)),
    ),
  ]);
  return { reviewId, reported: true as const };
}
