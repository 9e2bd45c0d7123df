// 专属回归礼包: the pack a shopper gets once on entering 沉睡, the notice that goes with it, and
// the report on who came back. Grants are written by the nightly run (nightly.ts) in the same
// batch as the layer change; this file issues them and reports on them.
import { and, count, desc, eq, gte, inArray, isNotNull } from 'drizzle-orm';
import { type Ctx, shopperId } from '../../../shared/context';
import { addDays, DAY_MS, shanghaiDateStart, shanghaiDay, shanghaiWeekday } from '../../../shared/calendar';
import { iso } from '../../../shared/db';
import { newId } from '../../../shared/ids';
import { couponsByIds, grantTargetedPack, packTemplateInfo } from '../../promotions/coupons/targeted-pack';
import { paidOrdersOfUsersSince } from '../../orders/member-stats';
import { getNicknames } from '../../users/users.service';
import { sendMarketingMessage, sendStatusCounts } from '../../notifications/marketing/send.service';
import type { WinBackReportDto } from './dto';
import { winBackGrants } from './schema';
import type { SegmentSettings } from './settings';

type GrantRow = typeof winBackGrants.$inferSelect;

export interface WinBackPack {
  grantId: string;
  coupons: { couponId: string; name: string; label: string }[];
  /** when the earliest coupon of the pack expires (epoch ms) */
  validTo: number | null;
}

/** "2026年11月30日" (Beijing), as the message templates show dates. */
const chineseDate = (ms: number) => {
  const [y, m, d] = shanghaiDay(ms).split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
};

/**
 * Sends the win-back notice through the messages feature (trigger 回归礼包 'win_back': subscribe
 * message or SMS, within the caps, quiet hours and the shopper's opt-outs), once per grant (ref
 * `winback:<grantId>`). A notice it skips or caps is no error: the coupons are in the shopper's
 * account and the home page greets them with 欢迎回来 either way.
 */
export async function notifyWinBack(ctx: Ctx, userId: string, pack: WinBackPack): Promise<void> {
  await sendMarketingMessage(ctx, {
    userId,
    templateKey: 'win_back',
    ref: `winback:${pack.grantId}`,
    vars: {
      packName: '专属回归礼包',
      couponCount: String(pack.coupons.length),
      expireDate: pack.validTo ? chineseDate(pack.validTo) : '长期有效',
    },
  });
}

/**
 * Issues up to `limit` pending packs (the configured templates, one coupon of each, grant key
 * `winback:<grantId>` so a retry finds what an earlier attempt issued) and notifies each shopper.
 * Returns how many were pending when it started less those it settled: 0 means none are left.
 */
export async function issuePendingWinBack(ctx: Ctx, s: SegmentSettings, limit: number): Promise<number> {
  const pending = await ctx.db
    .select()
    .from(winBackGrants)
    .where(eq(winBackGrants.status, 'pending'))
    .orderBy(winBackGrants.createdAt)
    .limit(limit + 1);
  const infos = s.winBackTemplateIds.length ? await packTemplateInfo(ctx, s.winBackTemplateIds) : [];
  for (const g of pending.slice(0, limit)) await issueOne(ctx, g, s, infos);
  return pending.length > limit ? 1 : 0;
}

async function issueOne(ctx: Ctx, g: GrantRow, s: SegmentSettings, infos: Awaited<ReturnType<typeof packTemplateInfo>>): Promise<void> {
  if (!s.winBackEnabled || s.winBackTemplateIds.length === 0) {
    await settle(ctx, g, [], 'the pack was switched off before it was issued');
    return;
  }
  const r = await grantTargetedPack(ctx, g.userId, s.winBackTemplateIds, `winback:${g.id}`);
  if (r.couponIds.length === 0) {
    await settle(ctx, g, [], `no coupon could be issued: ${r.refused.map((x) => `${x.templateId} ${x.reason}`).join(', ')}`);
    return;
  }
  if (r.refused.length) ctx.log.warn('win-back pack partly issued', { grantId: g.id, refused: r.refused });
  const issued = await couponsByIds(ctx, r.couponIds);
  const coupons = issued.map((c) => ({ couponId: c.id, name: c.name, label: infos.find((i) => i.id === c.templateId)?.label ?? c.name }));
  const validTo = issued.length ? Math.min(...issued.map((c) => c.validTo)) : null;
  // The notice first: if we crash before settling, the retry finds the coupons and the notice (both idempotent).
  await notifyWinBack(ctx, g.userId, { grantId: g.id, coupons, validTo });
  await settle(ctx, g, r.couponIds, null);
}

async function settle(ctx: Ctx, g: GrantRow, couponIds: string[], failure: string | null): Promise<void> {
  await ctx.db
    .update(winBackGrants)
    .set({ status: failure ? 'failed' : 'issued', couponIds, failure, issuedAt: ctx.now })
    .where(and(eq(winBackGrants.id, g.id), eq(winBackGrants.status, 'pending')));
  if (failure) ctx.log.warn('win-back pack not issued', { grantId: g.id, userId: g.userId, failure });
}

/** The Monday (Beijing date) of the week an instant falls in. */
export function weekOf(ms: number): string {
  return addDays(shanghaiDay(ms), -((shanghaiWeekday(ms) + 6) % 7));
}

/**
 * getWinBackReport: per week of issue (Monday first, oldest first) — packs issued, coupons used
 * on a paid order, shoppers who paid an order within `returnDays` of their pack, the return
 * rate, their GMV in that window (paid less refunded) and the cost (the pack coupons' discounts).
 */
export async function getWinBackReport(ctx: Ctx, q: { weeks: number }, returnDays: number): Promise<WinBackReportDto> {
  const firstWeek = addDays(weekOf(ctx.now), -7 * (q.weeks - 1));
  const since = shanghaiDateStart(firstWeek);
  const grants = await ctx.db
    .select()
    .from(winBackGrants)
    .where(and(eq(winBackGrants.status, 'issued'), isNotNull(winBackGrants.issuedAt), gte(winBackGrants.issuedAt, since)))
    .orderBy(winBackGrants.issuedAt);
  const orders = await paidOrdersOfUsersSince(ctx, [...new Set(grants.map((g) => g.userId))], since);
  const byUser = new Map<string, typeof orders>();
  for (const o of orders) byUser.set(o.userId, [...(byUser.get(o.userId) ?? []), o]);

  type Week = WinBackReportDto['weeks'][number];
  const weeks = new Map<string, Week>();
  for (let i = 0; i < q.weeks; i++) {
    const week = addDays(firstWeek, 7 * i);
    weeks.set(week, { week, packsIssued: 0, couponsIssued: 0, couponsUsed: 0, returned: 0, returnRate: 0, gmv: 0, cost: 0 });
  }
  const outcome = new Map<string, { couponsUsed: number; returnedAt: number | null; gmv: number }>();
  for (const g of grants) {
    const w = weeks.get(weekOf(g.issuedAt!));
    if (!w) continue;
    const mine = new Set(g.couponIds);
    const end = g.issuedAt! + returnDays * DAY_MS;
    const after = (byUser.get(g.userId) ?? []).filter((o) => o.paidAt >= g.issuedAt!);
    const inWindow = after.filter((o) => o.paidAt < end);
    let used = 0;
    let cost = 0;
    for (const o of after)
      for (const [couponId, amount] of Object.entries(o.couponDiscounts))
        if (mine.has(couponId)) {
          used++;
          cost += amount;
        }
    const gmv = inWindow.reduce((n, o) => n + o.netPaid, 0);
    w.packsIssued++;
    w.couponsIssued += g.couponIds.length;
    w.couponsUsed += used;
    w.cost += cost;
    if (inWindow.length) {
      w.returned++;
      w.gmv += gmv;
    }
    outcome.set(g.id, { couponsUsed: used, returnedAt: inWindow[0]?.paidAt ?? null, gmv: inWindow.length ? gmv : 0 });
  }
  const list = [...weeks.values()].map((w) => ({ ...w, returnRate: w.packsIssued ? w.returned / w.packsIssued : 0 }));
  const sum = (k: keyof Omit<Week, 'week' | 'returnRate'>) => list.reduce((n, w) => n + w[k], 0);
  const totals = {
    packsIssued: sum('packsIssued'),
    couponsIssued: sum('couponsIssued'),
    couponsUsed: sum('couponsUsed'),
    returned: sum('returned'),
    returnRate: 0,
    gmv: sum('gmv'),
    cost: sum('cost'),
  };
  totals.returnRate = totals.packsIssued ? totals.returned / totals.packsIssued : 0;

  // Who came back is what the report is for: the latest returns first, then the latest packs.
  const back = grants.filter((g) => outcome.get(g.id)?.returnedAt != null);
  back.sort((a, b) => outcome.get(b.id)!.returnedAt! - outcome.get(a.id)!.returnedAt!);
  const notBack = grants.filter((g) => outcome.get(g.id)?.returnedAt == null).reverse();
  const latest = [...back, ...notBack].slice(0, 20);
  const names = await getNicknames(
    ctx,
    latest.map((g) => g.userId),
  );
  const recent = latest.map((g) => {
    const o = outcome.get(g.id) ?? { couponsUsed: 0, returnedAt: null, gmv: 0 };
    return {
      userId: g.userId,
      nickname: names.get(g.userId) ?? '',
      issuedAt: iso(g.issuedAt)!,
      couponsUsed: o.couponsUsed,
      returnedAt: iso(o.returnedAt),
      gmv: o.gmv,
    };
  });
  const m = await sendStatusCounts(ctx, 'win_back');
  const messages = { pending: m.scheduled + m.queued + m.sending, sent: m.sent, failed: m.failed, skipped: m.skipped + m.capped };
  return { returnDays, totals, weeks: list, recent, messages };
}

/** getMyWinBack: the signed-in shopper's unused, unexpired pack coupons (the home page's 欢迎回来). */
export async function getMyWinBack(ctx: Ctx) {
  const userId = shopperId(ctx, 'this is for shoppers');
  const grants = await ctx.db
    .select({ couponIds: winBackGrants.couponIds })
    .from(winBackGrants)
    .where(and(eq(winBackGrants.userId, userId), eq(winBackGrants.status, 'issued')))
    .orderBy(desc(winBackGrants.createdAt))
    .limit(3);
  const ids = grants.flatMap((g) => g.couponIds);
  const coupons = ids.length ? (await couponsByIds(ctx, ids)).filter((c) => c.status === 'available' && c.userId === userId) : [];
  return {
    active: coupons.length > 0,
    coupons: coupons.map((c) => ({ couponId: c.id, name: c.name, validTo: iso(c.validTo)! })),
  };
}

/** Grants of the given shoppers (tests, the console's member view). */
export async function winBackGrantsOf(ctx: Ctx, userIds: string[]) {
  return ctx.db.select().from(winBackGrants).where(inArray(winBackGrants.userId, userIds)).orderBy(winBackGrants.createdAt);
}
