import { and, eq } from 'drizzle-orm';
import { shopperId, type Ctx } from '../../shared/context';
import { liveContentRow } from './store.service';
import { homeChanged } from './home-cache';
import { contentItems, contentReactions, contentReports } from './schema';

/*
 * 内容评价. One rating (like or dislike; a second one replaces the first) and one report per
 * shopper per content: the primary keys decide, so a burst of taps counts once. The counters are
 * recomputed from the rows in the same batch, and the flag check runs there too, on the fresh counts.
 *
 * Flagging takes the content off the storefront (status review) and lists it for an operator;
 * approving it clears the flag for good (flag_state cleared), so the same reports do not flag it again.
 */

/** Reports that flag a content: at least REPORT_MIN, and at least REPORT_PCT % of its distinct viewers. */
export const REPORT_MIN = 5;
export const REPORT_PCT = 5;
/** Dislikes that flag a content: at least DISLIKE_MIN, and at least DISLIKE_PCT % of its ratings. */
export const DISLIKE_MIN = 10;
export const DISLIKE_PCT = 50;

function statements(ctx: Ctx, contentId: string, write: D1PreparedStatement): D1PreparedStatement[] {
  const db = ctx.env.DB;
  return [
    write,
    db
      .prepare(
        `UPDATE content_items SET
           likes = (SELECT count(*) FROM content_reactions WHERE content_id = ?1 AND value = 'like'),
           dislikes = (SELECT count(*) FROM content_reactions WHERE content_id = ?1 AND value = 'dislike'),
           reports = (SELECT count(*) FROM content_reports WHERE content_id = ?1)
         WHERE id = ?1`,
      )
      .bind(contentId),
    db
      .prepare(
        `UPDATE content_items SET flag_state = 'flagged', status = 'review', flagged_at = ?2, updated_at = ?2,
           flag_reason = CASE WHEN reports >= ?3 THEN '举报过多 (' || reports || ')' ELSE '差评过多 (' || dislikes || '/' || (likes + dislikes) || ')' END
         WHERE id = ?1 AND flag_state = 'none' AND status IN ('scheduled', 'published')
           AND ((reports >= ?3 AND reports * 100 >= ?4 * max(reports,
                  (SELECT count(DISTINCT subject) FROM content_events WHERE content_id = ?1 AND kind = 'view')))
             OR (dislikes >= ?5 AND dislikes * 100 >= ?6 * (likes + dislikes)))`,
      )
      .bind(contentId, ctx.now, REPORT_MIN, REPORT_PCT, DISLIKE_MIN, DISLIKE_PCT),
  ];
}

async function myRating(ctx: Ctx, contentId: string, userId: string) {
  const [[item], [mine], [reported]] = await Promise.all([
    ctx.db.select({ likes: contentItems.likes, dislikes: contentItems.dislikes }).from(contentItems).where(eq(contentItems.id, contentId)),
    ctx.db
      .select({ value: contentReactions.value })
      .from(contentReactions)
      .where(and(eq(contentReactions.contentId, contentId), eq(contentReactions.userId, userId))),
    ctx.db
      .select({ at: contentReports.createdAt })
      .from(contentReports)
      .where(and(eq(contentReports.contentId, contentId), eq(contentReports.userId, userId))),
  ]);
  return { likes: item!.likes, dislikes: item!.dislikes, myReaction: mine?.value ?? null, reportedByMe: !!reported };
}

async function run(ctx: Ctx, contentId: string, userId: string, write: D1PreparedStatement) {
  const results = await ctx.env.DB.batch(statements(ctx, contentId, write));
  if (results[2]!.meta.changes > 0) homeChanged();
  return myRating(ctx, contentId, userId);
}

/** Like or dislike a public content (a repeat, or a burst, counts once). */
export async function rateArticle(ctx: Ctx, contentId: string, value: 'like' | 'dislike') {
  const userId = shopperId(ctx);
  await liveContentRow(ctx, contentId);
  const write = ctx.env.DB.prepare(
    `INSERT INTO content_reactions (content_id, user_id, value, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
     ON CONFLICT (content_id, user_id) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at WHERE value <> excluded.value`,
  ).bind(contentId, userId, value, ctx.now);
  return run(ctx, contentId, userId, write);
}

/** Withdraws the shopper's rating. */
export async function unrateArticle(ctx: Ctx, contentId: string) {
  const userId = shopperId(ctx);
  await liveContentRow(ctx, contentId);
  const write = ctx.env.DB.prepare(`DELETE FROM content_reactions WHERE content_id = ?1 AND user_id = ?2`).bind(contentId, userId);
  return run(ctx, contentId, userId, write);
}

/** Report (举报) a public content: once per shopper; a repeat keeps the first report. */
export async function reportArticle(ctx: Ctx, contentId: string, input: { reason: string; note?: string }) {
  const userId = shopperId(ctx);
  await liveContentRow(ctx, contentId);
  const write = ctx.env.DB.prepare(
    `INSERT INTO content_reports (content_id, user_id, reason, note, created_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING`,
  ).bind(contentId, userId, input.reason, input.note ?? null, ctx.now);
  return run(ctx, contentId, userId, write);
}
