import { and, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { batchFailure, D1_IN_CHUNK, inChunks, iso } from '../../shared/db';
import { conflict, notFound } from '../../shared/errors';
import { emit } from '../../shared/events';
import { newId } from '../../shared/ids';
import { sha256Hex } from '../../shared/crypto';
import { mediaUrl } from '../media/media.service';
import { findNearDuplicates, rememberFingerprint } from '../screening/fingerprint.service';
import { screen } from '../screening/screen.service';
import { getNicknames } from '../users/users.service';
import type { AdminReviewDto, ReviewDto } from './dto';
import { ReviewPublished } from './events';
import { DUPLICATE_DISTANCE, DUPLICATE_MIN_CHARS, maskName } from './policy';
import { reviews, reviewVotes, type HoldReason, type ReviewStatus, type StoredScreening } from './schema';

export type ReviewRow = typeof reviews.$inferSelect;
export type Viewer = 'public' | 'author' | 'staff';

const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** The review id a shopper's Idempotency-Key stands for: a retry lands on the same id. */
async function reviewIdFor(userId: string, key: string): Promise<string> {
  const hex = await sha256Hex(`review:${userId}:${key}`);
  let out = '';
  for (let i = 0; i < 16; i++) out += ID_ALPHABET[parseInt(hex.slice(i * 2, i * 2 + 2), 16) & 31];
  return `rev_${out}`;
}

/** The fingerprint source of a review's first text and of its follow-up. */
export const fingerprintId = (reviewId: string, part: 'review' | 'append') => (part === 'review' ? reviewId : `${reviewId}#append`);

/**
 * Screens a review text: dictionary matches (with positions, for the console) and near-duplicate
 * reviews (copy-paste spam). Texts under DUPLICATE_MIN_CHARS are not compared.
 */
export async function screenReviewText(ctx: Ctx, text: string, self?: string): Promise<StoredScreening> {
  const r = await screen(ctx, text);
  const dups =
    [...text].length >= DUPLICATE_MIN_CHARS
      ? await findNearDuplicates(ctx, text, DUPLICATE_DISTANCE, {
          kind: 'review',
          exclude: self ? { kind: 'review', sourceId: self } : undefined,
        })
      : [];
  return {
    verdict: r.verdict,
    matches: r.matches.map((m) => ({ term: m.term, category: m.category, severity: m.severity, start: m.start, end: m.end, hint: m.hint })),
    // a follow-up is compared with other reviews, not with its own first text
    duplicates: dups
      .map((d) => ({ reviewId: d.sourceId.split('#')[0]!, distance: d.distance }))
      .filter((d) => !self || d.reviewId !== self.split('#')[0]),
  };
}

export async function getReviewRow(ctx: Ctx, reviewId: string): Promise<ReviewRow> {
  const [r] = await ctx.db.select().from(reviews).where(eq(reviews.id, reviewId)).limit(1);
  if (!r) throw notFound('reviews.not_found', `review ${reviewId}`);
  return r;
}

/** A published review anyone may act on (vote, report); held or rejected ones are not found. */
export async function getPublishedRow(ctx: Ctx, reviewId: string): Promise<ReviewRow> {
  const r = await getReviewRow(ctx, reviewId);
  if (r.status !== 'published') throw notFound('reviews.not_found', `review ${reviewId}`);
  return r;
}

export interface ReviewDraft {
  orderLineId: string;
  orderId: string;
  userId: string;
  merchantId: string;
  productId: string;
  skuId: string;
  productTitle: string;
  specKey: string;
  rating: number;
  text: string;
  photoKeys: string[];
  videoKey: string | null;
  tags: string[];
  anonymous: boolean;
  status: Extract<ReviewStatus, 'published' | 'pending'>;
  holdReason: HoldReason | null;
  screening: StoredScreening;
}

/**
 * The review an Idempotency-Key already created, or null. A key reused for another order line is
 * 409 reviews.idempotency_key_reused.
 */
export async function reviewForKey(ctx: Ctx, userId: string, key: string, orderLineId: string): Promise<ReviewRow | null> {
  const id = await reviewIdFor(userId, key);
  const [prev] = await ctx.db
    .select()
    .from(reviews)
    // the id the key stands for, or a rejected review this key rewrote (it keeps its first id)
    .where(or(eq(reviews.id, id), and(eq(reviews.orderLineId, orderLineId), eq(reviews.userId, userId), eq(reviews.idempotencyKey, key))))
    .limit(1);
  if (!prev) return null;
  if (prev.orderLineId !== orderLineId || prev.userId !== userId)
    throw conflict('reviews.idempotency_key_reused', 'this Idempotency-Key was used for another review');
  return prev;
}

/**
 * Inserts a review. The unique index on the order line decides a race: of concurrent creates for
 * one line exactly one lands, the rest are 409 reviews.already_reviewed (or, for a retry of the
 * same Idempotency-Key, the review it created). A published review sends ReviewPublished.
 */
export async function insertReview(ctx: Ctx, d: ReviewDraft, idempotencyKey?: string): Promise<{ row: ReviewRow; replayed: boolean }> {
  const id = idempotencyKey ? await reviewIdFor(d.userId, idempotencyKey) : newId('rev');
  const row: ReviewRow = {
    ...d,
    id,
    hasMedia: d.photoKeys.length || d.videoKey ? 1 : 0,
    rejectReason: null,
    publishedAt: d.status === 'published' ? ctx.now : null,
    announcedAt: null,
    helpfulCount: 0,
    reportCount: 0,
    reportBaseline: 0,
    appendText: null,
    appendPhotoKeys: null,
    appendStatus: null,
    appendHoldReason: null,
    appendRejectReason: null,
    appendScreening: null,
    appendedAt: null,
    replyText: null,
    replyBy: null,
    repliedAt: null,
    idempotencyKey: idempotencyKey ?? null,
    moderatedBy: null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  try {
    await ctx.db.insert(reviews).values(row);
  } catch (e) {
    if (batchFailure(e) !== 'unique') throw e;
    if (idempotencyKey) {
      const prev = await reviewForKey(ctx, d.userId, idempotencyKey, d.orderLineId);
      if (prev) return { row: prev, replayed: true };
    }
    const rewritten = await rewriteRejected(ctx, d, idempotencyKey);
    if (rewritten) return { row: rewritten, replayed: false };
    if (idempotencyKey) {
      const prev = await reviewForKey(ctx, d.userId, idempotencyKey, d.orderLineId);
      if (prev) return { row: prev, replayed: true };
    }
    throw conflict('reviews.already_reviewed', 'this order line has been reviewed already; add a follow-up (追评) instead');
  }
  await rememberFingerprint(ctx, 'review', id, d.text);
  if (row.status === 'published') await announcePublished(ctx, row);
  return { row, replayed: false };
}

/**
 * A shopper whose review was rejected writes it again (the reject reason told them what to
 * change): the rejected row takes the new content and is screened anew. The guarded UPDATE
 * (status = 'rejected') lets one rewrite through; null when there is no rejected review of theirs.
 */
async function rewriteRejected(ctx: Ctx, d: ReviewDraft, idempotencyKey?: string): Promise<ReviewRow | null> {
  const res = await ctx.db
    .update(reviews)
    .set({
      rating: d.rating,
      text: d.text,
      photoKeys: d.photoKeys,
      videoKey: d.videoKey,
      hasMedia: d.photoKeys.length || d.videoKey ? 1 : 0,
      tags: d.tags,
      anonymous: d.anonymous,
      status: d.status,
      holdReason: d.holdReason,
      rejectReason: null,
      screening: d.screening,
      publishedAt: d.status === 'published' ? sql`coalesce(${reviews.publishedAt}, ${ctx.now})` : reviews.publishedAt,
      idempotencyKey: idempotencyKey ?? null,
      updatedAt: ctx.now,
    })
    .where(and(eq(reviews.orderLineId, d.orderLineId), eq(reviews.userId, d.userId), eq(reviews.status, 'rejected')))
    .run();
  if ((res.meta?.changes ?? 0) === 0) return null;
  const [row] = await ctx.db.select().from(reviews).where(eq(reviews.orderLineId, d.orderLineId)).limit(1);
  await rememberFingerprint(ctx, 'review', row!.id, d.text);
  if (row!.status === 'published') await announcePublished(ctx, row!);
  return row!;
}

/**
 * Tells the members side (through the queue) that a review went public: points and the 评价晒单
 * task. The review is already saved, so a failed send is logged, not thrown: the shopper's request
 * succeeds and announceMissedReviews sends it later. The consumer dedupes on the review id.
 */
export async function announcePublished(ctx: Ctx, r: Pick<ReviewRow, 'id' | 'userId' | 'photoKeys' | 'videoKey'>): Promise<void> {
  try {
    await emit(
      ctx,
      ReviewPublished,
      { reviewId: r.id, userId: r.userId, withMedia: r.photoKeys.length > 0 || !!r.videoKey },
      { id: `review-published:${r.id}` },
    );
  } catch (e) {
    ctx.log.warn('review announcement not sent; the cron sends it again', {
      reviewId: r.id,
      err: e instanceof Error ? e.message : String(e),
    });
    return;
  }
  await ctx.env.DB.prepare('UPDATE reviews SET announced_at = ? WHERE id = ? AND announced_at IS NULL').bind(ctx.now, r.id).run();
}

/** How long a published review may wait for its announcement before the cron sends it again. */
const ANNOUNCE_GRACE_MS = 60_000;

/**
 * Cron: published reviews whose ReviewPublished was never handed to the queue (a failed send)
 * are announced again, a hundred a minute. Sending twice is harmless — the consumer grants once.
 */
export async function announceMissedReviews(ctx: Ctx): Promise<{ announced: number }> {
  const rows = await ctx.db
    .select({ id: reviews.id, userId: reviews.userId, photoKeys: reviews.photoKeys, videoKey: reviews.videoKey })
    .from(reviews)
    .where(and(isNull(reviews.announcedAt), isNotNull(reviews.publishedAt), lt(reviews.publishedAt, ctx.now - ANNOUNCE_GRACE_MS)))
    .limit(100);
  for (const r of rows) await announcePublished(ctx, r);
  return { announced: rows.length };
}

const media = (ctx: Ctx, key: string) => ({ key, url: mediaUrl(ctx.env, key) });

/** The reviews the shopper marked helpful, of these. */
async function votedBy(ctx: Ctx, userId: string | null, ids: string[]): Promise<Set<string>> {
  if (!userId || !ids.length) return new Set();
  const rows = await inChunks(ids, D1_IN_CHUNK, (part) =>
    ctx.db
      .select({ id: reviewVotes.reviewId })
      .from(reviewVotes)
      .where(and(eq(reviewVotes.userId, userId), inArray(reviewVotes.reviewId, part))),
  );
  return new Set(rows.map((r) => r.id));
}

/**
 * Rows → what the viewer may see. The public sees names masked as their authors chose and only
 * published follow-ups; the author also sees the status of each part and why it was rejected.
 */
export async function toDtos(ctx: Ctx, rows: ReviewRow[], viewer: Viewer): Promise<ReviewDto[]> {
  const names = await getNicknames(ctx, [...new Set(rows.map((r) => r.userId))]);
  const voted = await votedBy(
    ctx,
    ctx.actor.kind === 'user' ? ctx.actor.userId : null,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const nickname = names.get(r.userId) ?? '用户';
    const showAppend = r.appendText != null && (viewer !== 'public' || r.appendStatus === 'published');
    const mine = viewer !== 'public';
    return {
      id: r.id,
      productId: r.productId,
      productTitle: r.productTitle,
      specKey: r.specKey,
      rating: r.rating,
      text: r.text,
      photos: r.photoKeys.map((k) => media(ctx, k)),
      video: r.videoKey ? media(ctx, r.videoKey) : null,
      tags: r.tags,
      anonymous: r.anonymous,
      author: { name: r.anonymous ? maskName(nickname) : nickname },
      helpfulCount: r.helpfulCount,
      votedHelpful: voted.has(r.id),
      append: showAppend
        ? {
            text: r.appendText!,
            photos: (r.appendPhotoKeys ?? []).map((k) => media(ctx, k)),
            createdAt: iso(r.appendedAt)!,
            ...(mine ? { status: r.appendStatus!, rejectReason: r.appendRejectReason } : {}),
          }
        : null,
      reply: r.replyText ? { text: r.replyText, repliedAt: iso(r.repliedAt)! } : null,
      createdAt: iso(r.createdAt)!,
      ...(mine ? { status: r.status, rejectReason: r.rejectReason, orderLineId: r.orderLineId } : {}),
    };
  });
}

/** Rows → the staff view: everything, with the screening results and the author's real nickname. */
export async function toAdminDtos(ctx: Ctx, rows: ReviewRow[]): Promise<AdminReviewDto[]> {
  const base = await toDtos(ctx, rows, 'staff');
  const names = await getNicknames(ctx, [...new Set(rows.map((r) => r.userId))]);
  return rows.map((r, i) => ({
    ...base[i]!,
    orderId: r.orderId,
    orderLineId: r.orderLineId,
    userId: r.userId,
    merchantId: r.merchantId,
    status: r.status,
    holdReason: r.holdReason,
    rejectReason: r.rejectReason,
    screening: r.screening,
    appendStatus: r.appendStatus,
    appendHoldReason: r.appendHoldReason,
    appendScreening: r.appendScreening,
    reportCount: r.reportCount,
    authorNickname: names.get(r.userId) ?? '',
    updatedAt: iso(r.updatedAt)!,
  }));
}

/** Which of these order lines have a review (any status): the 待评价 list leaves them out. */
export async function reviewedLineIds(ctx: Ctx, orderLineIds: string[]): Promise<Set<string>> {
  const rows = await inChunks(orderLineIds, D1_IN_CHUNK, (part) =>
    ctx.db.select({ id: reviews.orderLineId }).from(reviews).where(inArray(reviews.orderLineId, part)),
  );
  return new Set(rows.map((r) => r.id));
}
