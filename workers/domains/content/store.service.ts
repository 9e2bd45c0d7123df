import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { shopperIdOrNull, type Ctx } from '../../shared/context';
import { iso } from '../../shared/db';
import { notFound } from '../../shared/errors';
import { decodeCursor, olderThanCursor, toPage, type Page } from '../../shared/pagination';
import { mediaUrl } from '../media/media.service';
import { productCards } from './cards';
import type { ListArticlesQuery, StoreArticleDto, StoreArticleSummaryDto } from './dto';
import { isLive, liveCondition, parseList, type ContentRow } from './rows';
import { contentItems, contentReactions, contentReports } from './schema';

function summaryOf(ctx: Ctx, r: ContentRow): StoreArticleSummaryDto {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    summary: r.summary,
    coverUrl: r.coverMediaKey ? mediaUrl(ctx.env, r.coverMediaKey) : null,
    tags: parseList(r.tags),
    seasonTag: r.seasonTag,
    publishedAt: iso(r.publishAt)!,
    likes: r.likes,
  };
}

/**
 * 内容列表: content whose publish time has come (scheduled items appear at their time, before the
 * cron marks them published), newest first, by kind and/or tag (a tag or the season tag).
 */
export async function listArticles(ctx: Ctx, q: ListArticlesQuery): Promise<Page<StoreArticleSummaryDto>> {
  const conds: (SQL | undefined)[] = [liveCondition(ctx.now)];
  if (q.kind) conds.push(eq(contentItems.kind, q.kind));
  if (q.tag)
    conds.push(
      sql`(${contentItems.seasonTag} = ${q.tag} OR EXISTS (SELECT 1 FROM json_each(${contentItems.tags}) WHERE value = ${q.tag}))`,
    );
  conds.push(olderThanCursor({ createdAt: contentItems.publishAt, id: contentItems.id }, decodeCursor(q.cursor)));
  const rows = await ctx.db
    .select()
    .from(contentItems)
    .where(and(...conds))
    .orderBy(desc(contentItems.publishAt), desc(contentItems.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.publishAt, id: r.id }));
  return { items: page.items.map((r) => summaryOf(ctx, r)), nextCursor: page.nextCursor };
}

/** A content shoppers can see now, or 404 content.not_found (drafts, future, taken down alike). */
export async function liveContentRow(ctx: Ctx, id: string): Promise<ContentRow> {
  const [row] = await ctx.db.select().from(contentItems).where(eq(contentItems.id, id)).limit(1);
  if (!row || !isLive(row, ctx.now)) throw notFound('content.not_found', `content ${id}`);
  return row;
}

/** One article with its product cards (live price and stock; off-sale ones marked 已下架) and the shopper's own rating. */
export async function getArticle(ctx: Ctx, id: string): Promise<StoreArticleDto> {
  const row = await liveContentRow(ctx, id);
  const userId = shopperIdOrNull(ctx);
  const [products, mine, reported] = await Promise.all([
    productCards(ctx, parseList(row.productIds)),
    userId
      ? ctx.db
          .select({ value: contentReactions.value })
          .from(contentReactions)
          .where(and(eq(contentReactions.contentId, id), eq(contentReactions.userId, userId)))
      : [],
    userId
      ? ctx.db
          .select({ at: contentReports.createdAt })
          .from(contentReports)
          .where(and(eq(contentReports.contentId, id), eq(contentReports.userId, userId)))
      : [],
  ]);
  return {
    ...summaryOf(ctx, row),
    body: row.body,
    products,
    dislikes: row.dislikes,
    myReaction: mine[0]?.value ?? null,
    reportedByMe: reported.length > 0,
  };
}
