import { and, asc, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { shopperId } from '../../shared/context';
import { badRequest } from '../../shared/errors';
import { decodeCursor, olderThanCursor, toPage, type Page } from '../../shared/pagination';
import type { AdminReviewDto, AdminReviewsQuery, ProductReviewsQuery, RatingSummaryDto, ReviewDto } from './dto';
import { reviews } from './schema';
import { toAdminDtos, toDtos } from './reviews.service';
import { merchantScope } from './access';

/** A product's rating summary over its published reviews: stars, good rate, media and 追评 counts, tag counts. */
export async function reviewSummary(ctx: Ctx, productId: string): Promise<RatingSummaryDto> {
  const published = and(eq(reviews.productId, productId), eq(reviews.status, 'published'));
  const [agg] = await ctx.db
    .select({
      count: sql<number>`count(*)`,
      total: sql<number>`coalesce(sum(${reviews.rating}), 0)`,
      s1: sql<number>`coalesce(sum(${reviews.rating} = 1), 0)`,
      s2: sql<number>`coalesce(sum(${reviews.rating} = 2), 0)`,
      s3: sql<number>`coalesce(sum(${reviews.rating} = 3), 0)`,
      s4: sql<number>`coalesce(sum(${reviews.rating} = 4), 0)`,
      s5: sql<number>`coalesce(sum(${reviews.rating} = 5), 0)`,
      withMedia: sql<number>`coalesce(sum(${reviews.hasMedia}), 0)`,
      withAppend: sql<number>`coalesce(sum(${reviews.appendStatus} = 'published'), 0)`,
    })
    .from(reviews)
    .where(published);
  const tags = await ctx.db.all<{ tag: string; count: number }>(
    sql`SELECT j.value AS tag, count(*) AS count FROM reviews r, json_each(r.tags) j
        WHERE r.product_id = ${productId} AND r.status = 'published' GROUP BY j.value ORDER BY count DESC, tag ASC`,
  );
  const count = Number(agg?.count ?? 0);
  const good = Number(agg?.s4 ?? 0) + Number(agg?.s5 ?? 0);
  return {
    count,
    average: count ? Math.round((Number(agg!.total) / count) * 10) / 10 : 0,
    stars: { 1: Number(agg?.s1 ?? 0), 2: Number(agg?.s2 ?? 0), 3: Number(agg?.s3 ?? 0), 4: Number(agg?.s4 ?? 0), 5: Number(agg?.s5 ?? 0) },
    goodRate: count ? Math.round((good / count) * 1000) / 1000 : 1,
    withMedia: Number(agg?.withMedia ?? 0),
    withAppend: Number(agg?.withAppend ?? 0),
    tags: tags.map((t) => ({ tag: t.tag, count: Number(t.count) })),
  };
}

/**
 * listProductReviews: a product's published reviews, those with photos or a video first, then
 * newest first, keyset-paginated on (has_media, created_at, id) — the order of its index.
 */
export async function listProductReviews(
  ctx: Ctx,
  productId: string,
  q: ProductReviewsQuery,
): Promise<{ summary: RatingSummaryDto; items: ReviewDto[]; nextCursor: string | null }> {
  const cur = decodeCursor(q.cursor);
  const where: (SQL | undefined)[] = [eq(reviews.productId, productId), eq(reviews.status, 'published')];
  if (q.filter === 'media') where.push(eq(reviews.hasMedia, 1));
  if (q.filter === 'good') where.push(gte(reviews.rating, 4));
  if (q.filter === 'medium') where.push(eq(reviews.rating, 3));
  if (q.filter === 'bad') where.push(lte(reviews.rating, 2));
  if (q.filter === 'append') where.push(eq(reviews.appendStatus, 'published'));
  if (q.star) where.push(eq(reviews.rating, q.star));
  if (q.tag) where.push(sql`EXISTS (SELECT 1 FROM json_each(${reviews.tags}) WHERE value = ${q.tag})`);
  if (cur) {
    const [m, at] = String(cur.v).split(':').map(Number);
    if (!Number.isInteger(m) || !Number.isInteger(at))
      throw badRequest('validation.bad_cursor', 'cursor is not valid; start again without it');
    where.push(sql`(${reviews.hasMedia}, ${reviews.createdAt}, ${reviews.id}) < (${m}, ${at}, ${cur.id})`);
  }
  const rows = await ctx.db
    .select()
    .from(reviews)
    .where(and(...where))
    .orderBy(desc(reviews.hasMedia), desc(reviews.createdAt), desc(reviews.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: `${r.hasMedia}:${r.createdAt}`, id: r.id }));
  const [summary, items] = await Promise.all([reviewSummary(ctx, productId), toDtos(ctx, page.items, 'public')]);
  return { summary, items, nextCursor: page.nextCursor };
}

/** My reviews (我的评价), newest first, with each part's status and any reject reason. */
export async function listMyReviews(ctx: Ctx, q: { limit: number; cursor?: string }): Promise<Page<ReviewDto>> {
  const userId = shopperId(ctx, 'this is for shoppers');
  const rows = await ctx.db
    .select()
    .from(reviews)
    .where(and(eq(reviews.userId, userId), olderThanCursor(reviews, decodeCursor(q.cursor))))
    .orderBy(desc(reviews.createdAt), desc(reviews.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  return { items: await toDtos(ctx, page.items, 'author'), nextCursor: page.nextCursor };
}

/** 评价管理: reviews for staff, newest first; a merchant sees only reviews of its own products. */
export async function listAdminReviews(ctx: Ctx, q: AdminReviewsQuery): Promise<Page<AdminReviewDto>> {
  const scope = merchantScope(ctx);
  const merchantId = scope ?? q.merchantId;
  const rows = await ctx.db
    .select()
    .from(reviews)
    .where(
      and(
        merchantId ? eq(reviews.merchantId, merchantId) : undefined,
        q.productId ? eq(reviews.productId, q.productId) : undefined,
        q.status ? eq(reviews.status, q.status) : undefined,
        q.replied === 'true'
          ? sql`${reviews.replyText} IS NOT NULL`
          : q.replied === 'false'
            ? sql`${reviews.replyText} IS NULL`
            : undefined,
        olderThanCursor(reviews, decodeCursor(q.cursor)),
      ),
    )
    .orderBy(desc(reviews.createdAt), desc(reviews.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  return { items: await toAdminDtos(ctx, page.items), nextCursor: page.nextCursor };
}

/** listModerationQueue: reviews or follow-ups waiting for a person, oldest first, with their screening matches. */
export async function listModerationQueue(ctx: Ctx, q: { limit: number; cursor?: string }): Promise<Page<AdminReviewDto>> {
  const cur = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(reviews)
    .where(
      and(
        // literal, as in the partial index's WHERE, so SQLite can use reviews_pending_idx (a bound ? would not prove it)
        sql`(${reviews.status} = 'pending' OR ${reviews.appendStatus} = 'pending')`,
        cur ? sql`(${reviews.createdAt}, ${reviews.id}) > (${Number(cur.v)}, ${cur.id})` : undefined,
      ),
    )
    .orderBy(asc(reviews.createdAt), asc(reviews.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  return { items: await toAdminDtos(ctx, page.items), nextCursor: page.nextCursor };
}
