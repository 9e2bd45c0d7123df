import { and, asc, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { DAY_MS, shanghaiDateStart, shanghaiDay } from '../../shared/calendar';
import type { Ctx } from '../../shared/context';
import { iso } from '../../shared/db';
import { badRequest } from '../../shared/errors';
import type { CalendarSchema } from './dto';
import { isLive, metricTotals, ZERO_METRICS, type ContentRow } from './rows';
import { contentItems, contentMetricsDaily } from './schema';

/** A content is judged only after this many views in the last 30 days. */
export const LOW_PERFORMER_MIN_VIEWS = 100;
/** Low performer: CTR below this share of the median CTR of the last 30 days. */
export const LOW_PERFORMER_FACTOR = 0.5;
const MAX_MONTHS = 3;

type Calendar = z.infer<typeof CalendarSchema>;

const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const monthOf = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;

/**
 * Views and clicks of the last 30 days per content with enough views to judge, the median of
 * their CTRs, and which of them are low performers (CTR well below that median).
 */
export async function lowPerformers(ctx: Ctx): Promise<{ medianCtr: number | null; low: Set<string> }> {
  const m = contentMetricsDaily;
  const since = shanghaiDay(ctx.now - 30 * DAY_MS);
  const rows = await ctx.db
    .select({ contentId: m.contentId, views: sql<number>`sum(${m.views})`, clicks: sql<number>`sum(${m.clicks})` })
    .from(m)
    .where(gte(m.day, since))
    .groupBy(m.contentId)
    .having(sql`sum(${m.views}) >= ${LOW_PERFORMER_MIN_VIEWS}`);
  if (!rows.length) return { medianCtr: null, low: new Set() };
  const ctrs = rows.map((r) => r.clicks / r.views).sort((a, b) => a - b);
  const mid = ctrs.length >> 1;
  const median = ctrs.length % 2 ? ctrs[mid]! : (ctrs[mid - 1]! + ctrs[mid]!) / 2;
  const low = new Set(rows.filter((r) => r.clicks / r.views < median * LOW_PERFORMER_FACTOR).map((r) => r.contentId));
  return { medianCtr: Math.round(median * 10_000) / 10_000, low };
}

/**
 * 内容日历: what is scheduled or published on each Beijing day of the months asked (at most 3),
 * taken-down items included (marked by status), with lifetime metrics and low performers flagged;
 * and what is prepared without a publish time yet.
 */
export async function contentCalendar(ctx: Ctx, q: { from: string; to?: string }): Promise<Calendar> {
  const to = q.to ?? q.from;
  const span = monthIndex(to) - monthIndex(q.from);
  const monthOk = (s: string) => Number(s.slice(5, 7)) >= 1 && Number(s.slice(5, 7)) <= 12;
  if (!monthOk(q.from) || !monthOk(to) || span < 0 || span >= MAX_MONTHS)
    throw badRequest('validation.failed', `from..to must be 1 to ${MAX_MONTHS} months, from first`, { path: 'to' });
  const start = shanghaiDateStart(`${q.from}-01`);
  const end = shanghaiDateStart(`${monthOf(monthIndex(to) + 1)}-01`);
  const c = contentItems;
  const [scheduled, unscheduled, perf] = await Promise.all([
    ctx.db
      .select()
      .from(c)
      .where(and(gte(c.publishAt, start), lt(c.publishAt, end)))
      .orderBy(asc(c.publishAt)),
    ctx.db
      .select()
      .from(c)
      .where(and(isNull(c.publishAt), inArray(c.status, ['draft', 'review', 'approved'])))
      .orderBy(asc(c.createdAt))
      .limit(100),
    lowPerformers(ctx),
  ]);
  const metrics = await metricTotals(
    ctx,
    [...scheduled, ...unscheduled].map((r) => r.id),
  );
  const item = (r: ContentRow) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    status: r.status,
    live: isLive(r, ctx.now),
    seasonTag: r.seasonTag,
    flagState: r.flagState,
    lowPerformer: perf.low.has(r.id),
    metrics: metrics.get(r.id) ?? ZERO_METRICS,
  });
  const days = new Map<string, Calendar['days'][number]['items']>();
  for (const r of scheduled) {
    const day = shanghaiDay(r.publishAt!);
    days.set(day, [...(days.get(day) ?? []), { ...item(r), publishAt: iso(r.publishAt)! }]);
  }
  return {
    from: q.from,
    to,
    medianCtr: perf.medianCtr,
    days: [...days.entries()].map(([day, items]) => ({ day, items })),
    unscheduled: unscheduled.map((r) => ({ ...item(r), publishAt: null })),
  };
}
