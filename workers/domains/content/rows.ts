import { sql, inArray } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { D1_IN_CHUNK, inChunks, iso } from '../../shared/db';
import { mediaUrl } from '../media/media.service';
import type { AdminContentDto, ContentMetricsDto } from './dto';
import { contentItems, contentMetricsDaily } from './schema';

export type ContentRow = typeof contentItems.$inferSelect;

/** Shoppers see a content when it is scheduled or published and its time has come (SQL, for lists). */
export const liveCondition = (now: number) =>
  sql`${contentItems.status} IN ('scheduled', 'published') AND ${contentItems.publishAt} <= ${now}`;

/** The same rule as liveCondition, for a row in hand. */
export const isLive = (r: Pick<ContentRow, 'status' | 'publishAt'>, now: number): boolean =>
  (r.status === 'scheduled' || r.status === 'published') && r.publishAt !== null && r.publishAt <= now;

export const parseList = (json: string): string[] => JSON.parse(json) as string[];

export interface StoredScreening {
  matches: AdminContentDto['screenMatches'];
  duplicates: { sourceId: string; distance: number }[];
}
export const parseScreening = (json: string | null): StoredScreening =>
  json ? (JSON.parse(json) as StoredScreening) : { matches: [], duplicates: [] };

export const ZERO_METRICS: ContentMetricsDto = { views: 0, dwellSeconds: 0, avgDwellSeconds: 0, clicks: 0, shares: 0, orders: 0, ctr: 0 };

/** Totals → the metrics shape (averages and rates rounded for display). */
export function metricsOf(t: { views: number; dwellSeconds: number; clicks: number; shares: number; orders: number }): ContentMetricsDto {
  return {
    ...t,
    avgDwellSeconds: t.views ? Math.round((t.dwellSeconds / t.views) * 10) / 10 : 0,
    ctr: t.views ? Math.round((t.clicks / t.views) * 10_000) / 10_000 : 0,
  };
}

/** Lifetime metric totals of the given contents (absent ids have none). */
export async function metricTotals(ctx: Ctx, ids: string[]): Promise<Map<string, ContentMetricsDto>> {
  const m = contentMetricsDaily;
  const rows = await inChunks(ids, D1_IN_CHUNK, (part) =>
    ctx.db
      .select({
        contentId: m.contentId,
        views: sql<number>`sum(${m.views})`,
        dwellSeconds: sql<number>`sum(${m.dwellSeconds})`,
        clicks: sql<number>`sum(${m.clicks})`,
        shares: sql<number>`sum(${m.shares})`,
        orders: sql<number>`sum(${m.orders})`,
      })
      .from(m)
      .where(inArray(m.contentId, part))
      .groupBy(m.contentId),
  );
  return new Map(rows.map((r) => [r.contentId, metricsOf(r)]));
}

export function toAdminDto(ctx: Ctx, r: ContentRow, metrics: ContentMetricsDto = ZERO_METRICS): AdminContentDto {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    summary: r.summary,
    coverMediaKey: r.coverMediaKey,
    coverUrl: r.coverMediaKey ? mediaUrl(ctx.env, r.coverMediaKey) : null,
    body: r.body,
    productIds: parseList(r.productIds),
    tags: parseList(r.tags),
    seasonTag: r.seasonTag,
    status: r.status,
    live: isLive(r, ctx.now),
    publishAt: iso(r.publishAt),
    screenVerdict: (r.screenVerdict as AdminContentDto['screenVerdict']) ?? null,
    screenMatches: parseScreening(r.screenMatches).matches,
    rejectReason: r.rejectReason,
    takedownReason: r.takedownReason,
    flagState: r.flagState,
    flagReason: r.flagReason,
    likes: r.likes,
    dislikes: r.dislikes,
    reports: r.reports,
    metrics,
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
  };
}
