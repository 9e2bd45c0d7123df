import { and, asc, desc, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { type Ctx, shopperId, shopperIdOrNull } from '../../../shared/context';
import { guard, iso, stmt } from '../../../shared/db';
import { AppError, badRequest, forbidden, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { decodeCursor, toPage, type Page, olderThanCursor } from '../../../shared/pagination';
import { scheduleState } from '../../../shared/schedule';
import { getSkuSnapshots } from '../../catalog/sku-snapshots.service';
import { pointsBalance } from '../../members/points.service';
import { couponFaceValue } from '../coupons/issue';
import { campaigns, couponTemplates, lotteries, lotteryChances, lotteryDraws, lotteryPrizes } from '../schema';
import type {
  CreateLotteryInput,
  ListLotteriesQuery,
  ListLotteryDrawsQuery,
  ListMyDrawsQuery,
  LotteryAdminSchema,
  LotteryDrawAdminSchema,
  LotterySchema,
  LotterySummarySchema,
  MarkPrizeShippedInput,
  MyDrawSchema,
  UpdateLotteryInput,
} from './dto';

export type LotteryRow = typeof lotteries.$inferSelect;
export type PrizeRow = typeof lotteryPrizes.$inferSelect;
export type DrawRow = typeof lotteryDraws.$inferSelect;
export type TemplateRow = typeof couponTemplates.$inferSelect;
type CampaignRow = typeof campaigns.$inferSelect;

/** What a draw that wins nothing is called when the lottery has no 'none' prize of its own. */
export const NOTHING_PRIZE_NAME = '谢谢参与';

import { shanghaiDay } from '../../../shared/calendar';
export { shanghaiDay };

const staffOnly = (ctx: Ctx) => {
  if (ctx.actor.kind !== 'staff') throw forbidden('this is for staff');
  return ctx.actor;
};

/** The lottery row, or null when there is none with this id. */
export async function lotteryRow(ctx: Ctx, lotteryId: string): Promise<LotteryRow | null> {
  const [row] = await ctx.db.select().from(lotteries).where(eq(lotteries.id, lotteryId)).limit(1);
  return row ?? null;
}

/** Everything that decides which prizes can be awarded right now. */
export interface PrizePool {
  lottery: LotteryRow;
  prizes: PrizeRow[];
  templates: Map<string, TemplateRow>;
  campaigns: Map<string, CampaignRow>;
}

/** Reads the prizes of a lottery with the coupon templates and campaigns whose limits bound them. */
export async function loadPool(ctx: Ctx, lottery: LotteryRow): Promise<PrizePool> {
  const prizes = await ctx.db
    .select()
    .from(lotteryPrizes)
    .where(eq(lotteryPrizes.lotteryId, lottery.id))
    .orderBy(asc(lotteryPrizes.sortOrder), asc(lotteryPrizes.id));
  const templateIds = [...new Set(prizes.flatMap((p) => (p.couponTemplateId ? [p.couponTemplateId] : [])))];
  const templates = templateIds.length ? await ctx.db.select().from(couponTemplates).where(inArray(couponTemplates.id, templateIds)) : [];
  const campaignIds = [...new Set([lottery.campaignId, ...templates.map((t) => t.campaignId)].filter((c): c is string => !!c))];
  const camps = campaignIds.length ? await ctx.db.select().from(campaigns).where(inArray(campaigns.id, campaignIds)) : [];
  return { lottery, prizes, templates: new Map(templates.map((t) => [t.id, t])), campaigns: new Map(camps.map((c) => [c.id, c])) };
}

/**
 * Fen a prize charges to the lottery's campaign. A coupon from a template of the same campaign
 * is already charged its face value by the coupon issue itself, so it is not charged twice.
 */
export function campaignCharge(p: PrizeRow, pool: PrizePool): number {
  if (!pool.lottery.campaignId) return 0;
  if (p.kind === 'coupon' && pool.templates.get(p.couponTemplateId ?? '')?.campaignId === pool.lottery.campaignId) return 0;
  return p.value;
}

const campaignHas = (pool: PrizePool, campaignId: string | null | undefined, amount: number) => {
  if (!campaignId || amount <= 0) return true;
  const c = pool.campaigns.get(campaignId);
  return !c || c.budgetUsed + amount <= c.budget;
};

/**
 * Whether a prize could be awarded now: 'none' always; others need stock left, the value within
 * the lottery's remaining budget and the campaigns' budgets, and for coupons a live template with
 * coupons left. The draw's batch re-checks all of it in SQL; this only keeps the pick honest.
 */
export function prizeAvailable(p: PrizeRow, pool: PrizePool, now: number): boolean {
  if (p.kind === 'none') return true;
  if (p.awarded >= p.stock) return false;
  const l = pool.lottery;
  if (p.value > l.budget - l.budgetUsed) return false;
  if (!campaignHas(pool, l.campaignId, campaignCharge(p, pool))) return false;
  if (p.kind === 'coupon') {
    const t = pool.templates.get(p.couponTemplateId ?? '');
    if (!t || t.status !== 'active' || t.issuedCount >= t.totalQuantity) return false;
    if (t.validDays == null && t.validTo != null && t.validTo <= now) return false;
    if (!campaignHas(pool, t.campaignId, couponFaceValue(t))) return false;
  }
  return true;
}

export interface Allowance {
  total: number;
  today: number;
  freeUsedToday: number;
  /** free draws left today, within the total limit */
  drawsLeftToday: number;
  totalDrawsLeft: number | null;
  /** points the next draw costs (0 = free); null = no draw possible */
  nextDrawCost: number | null;
  /** the refusal when nextDrawCost is null */
  refusal: AppError | null;
  /** extra chances (lottery_chances) not used yet */
  chancesLeft: number;
  /** the next draw uses an extra chance (free, beyond the daily and total limits) */
  useChance: boolean;
  pointsBalance: number | null;
}

/**
 * This shopper's draws of a lottery: in all and today's free ones (neither counts draws made with
 * an extra chance), today's draws of any kind, and the extra chances granted and used.
 */
async function drawCounts(ctx: Ctx, lotteryId: string, userId: string, day: string) {
  const [[row], [granted]] = await Promise.all([
    ctx.db
      .select({
        total: sql<number>`coalesce(sum(${lotteryDraws.bonus} = 0), 0)`,
        today: sql<number>`coalesce(sum(${lotteryDraws.day} = ${day}), 0)`,
        freeToday: sql<number>`coalesce(sum(${lotteryDraws.day} = ${day} AND ${lotteryDraws.pointsSpent} = 0 AND ${lotteryDraws.bonus} = 0), 0)`,
        bonusUsed: sql<number>`coalesce(sum(${lotteryDraws.bonus} = 1), 0)`,
      })
      .from(lotteryDraws)
      .where(and(eq(lotteryDraws.lotteryId, lotteryId), eq(lotteryDraws.userId, userId))),
    ctx.db
      .select({ n: sql<number>`coalesce(sum(${lotteryChances.chances}), 0)` })
      .from(lotteryChances)
      .where(and(eq(lotteryChances.lotteryId, lotteryId), eq(lotteryChances.userId, userId))),
  ]);
  return {
    total: Number(row?.total ?? 0),
    today: Number(row?.today ?? 0),
    freeToday: Number(row?.freeToday ?? 0),
    chancesLeft: Math.max(0, Number(granted?.n ?? 0) - Number(row?.bonusUsed ?? 0)),
  };
}

/**
 * What the shopper may do next: a free draw while today's free draws last, then a paid draw
 * (pointsPerDraw points) if the lottery sells them, always within maxDrawsPerUser. The balance is
 * read only when it matters (or when `withBalance`).
 */
export async function allowance(ctx: Ctx, l: LotteryRow, userId: string, opts: { withBalance?: boolean } = {}): Promise<Allowance> {
  const c = await drawCounts(ctx, l.id, userId, shanghaiDay(ctx.now));
  const totalDrawsLeft = l.maxDrawsPerUser == null ? null : Math.max(0, l.maxDrawsPerUser - c.total);
  const freeLeft = Math.max(0, l.freeDrawsPerDay - c.freeToday);
  const drawsLeftToday = totalDrawsLeft == null ? freeLeft : Math.min(freeLeft, totalDrawsLeft);
  let balance: number | null = opts.withBalance ? await pointsBalance(ctx, userId) : null;
  let nextDrawCost: number | null = null;
  let refusal: AppError | null = null;
  let useChance = false;
  if (c.chancesLeft > 0 && drawsLeftToday === 0) {
    // An extra chance comes after the day's free draws and before paying points.
    nextDrawCost = 0;
    useChance = true;
  } else if (totalDrawsLeft === 0) {
    refusal = new AppError('promotions.no_draws_left', 409, `you have used all ${l.maxDrawsPerUser} draws of this lottery`, {
      limit: 'total',
      maxDrawsPerUser: l.maxDrawsPerUser,
    });
  } else if (freeLeft > 0) {
    nextDrawCost = 0;
  } else if (l.pointsPerDraw > 0) {
    balance ??= await pointsBalance(ctx, userId);
    if (balance >= l.pointsPerDraw) nextDrawCost = l.pointsPerDraw;
    else
      refusal = new AppError('promotions.not_enough_points', 409, `a draw costs ${l.pointsPerDraw} points; you have ${balance}`, {
        pointsPerDraw: l.pointsPerDraw,
        balance,
      });
  } else {
    refusal = new AppError('promotions.no_draws_left', 409, "you have used today's free draws; come back tomorrow", {
      limit: 'daily',
      freeDrawsPerDay: l.freeDrawsPerDay,
    });
  }
  return {
    total: c.total,
    today: c.today,
    freeUsedToday: c.freeToday,
    drawsLeftToday,
    totalDrawsLeft,
    nextDrawCost,
    refusal,
    chancesLeft: c.chancesLeft,
    useChance,
    pointsBalance: balance,
  };
}

// ---------------------------------------------------------------- extra chances

/**
 * The lottery extra chances may be granted for (points mall items): it exists, is enabled and has
 * not ended. 404 promotions.lottery_not_found / 409 promotions.lottery_not_open otherwise.
 */
export async function chanceGrantableLottery(ctx: Ctx, lotteryId: string): Promise<LotteryRow> {
  const l = await lotteryRow(ctx, lotteryId);
  if (!l) throw notFound('promotions.lottery_not_found', `lottery ${lotteryId}`);
  if (l.status !== 'active' || l.endsAt <= ctx.now)
    throw new AppError('promotions.lottery_not_open', 409, 'the lottery is disabled or over; extra chances for it would be useless', {
      status: l.status,
      endsAt: iso(l.endsAt),
    });
  return l;
}

/**
 * Statements that grant a shopper extra draws inside the caller's batch: a guard that the lottery
 * is still enabled and not over (a 'guard' failure otherwise), then the grant, whose unique `ref`
 * makes a retried batch fail with 'unique' instead of granting twice.
 */
export function grantLotteryChancesStatements(
  ctx: Ctx,
  g: { lotteryId: string; userId: string; chances: number; source: string; ref: string },
): D1PreparedStatement[] {
  if (!Number.isInteger(g.chances) || g.chances < 1)
    throw new Error(`grantLotteryChancesStatements: chances must be ≥ 1, got ${g.chances}`);
  const d1 = ctx.env.DB;
  return [
    guard(d1, "SELECT count(*) = 1 FROM lotteries WHERE id = ?1 AND status = 'active' AND ends_at > ?2", g.lotteryId, ctx.now),
    stmt(
      d1,
      ctx.db.insert(lotteryChances).values({
        id: newId('lch'),
        lotteryId: g.lotteryId,
        userId: g.userId,
        chances: g.chances,
        source: g.source,
        ref: g.ref,
        createdAt: ctx.now,
      }),
    ),
  ];
}

// ---------------------------------------------------------------- admin

type LotterySummaryDto = z.infer<typeof LotterySummarySchema>;
type LotteryAdminDto = z.infer<typeof LotteryAdminSchema>;
type DrawAdminDto = z.infer<typeof LotteryDrawAdminSchema>;

function summaryOf(l: LotteryRow, now: number): LotterySummaryDto {
  return {
    id: l.id,
    name: l.name,
    description: l.description,
    startsAt: iso(l.startsAt)!,
    endsAt: iso(l.endsAt)!,
    state: scheduleState(l, now),
    status: l.status,
    freeDrawsPerDay: l.freeDrawsPerDay,
    maxDrawsPerUser: l.maxDrawsPerUser,
    pointsPerDraw: l.pointsPerDraw,
    budget: l.budget,
    budgetUsed: l.budgetUsed,
    campaignId: l.campaignId,
    createdAt: iso(l.createdAt)!,
  };
}

/**
 * createLottery (staff with promotions.write): checks what the prizes point at (coupon templates
 * open to the 'lottery' channel, SKUs, the campaign), then writes the lottery and its prizes in
 * one batch. 'none' prizes (谢谢参与) never run out: their stock is stored as 0 and never counted.
 */
export async function createLottery(ctx: Ctx, input: CreateLotteryInput): Promise<LotteryAdminDto> {
  const actor = staffOnly(ctx);
  const startsAt = Date.parse(input.startsAt);
  const endsAt = Date.parse(input.endsAt);
  if (endsAt <= ctx.now) throw badRequest('promotions.lottery_already_ended', 'endsAt must be in the future');
  if (input.campaignId) {
    const [c] = await ctx.db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, input.campaignId)).limit(1);
    if (!c) throw notFound('promotions.campaign_not_found', `campaign ${input.campaignId}`);
  }
  const templateIds = [...new Set(input.prizes.flatMap((p) => (p.couponTemplateId ? [p.couponTemplateId] : [])))];
  const templates = new Map(
    (templateIds.length ? await ctx.db.select().from(couponTemplates).where(inArray(couponTemplates.id, templateIds)) : []).map((t) => [
      t.id,
      t,
    ]),
  );
  const skuIds = input.prizes.flatMap((p) => (p.skuId ? [p.skuId] : []));
  const skus = skuIds.length ? await getSkuSnapshots(ctx, skuIds) : new Map();

  const lotteryId = newId('lot');
  const prizeRows: PrizeRow[] = input.prizes.map((p, i) => {
    let value = p.value ?? 0;
    if (p.kind === 'coupon') {
      const t = templates.get(p.couponTemplateId!);
      if (!t)
        throw new AppError('promotions.coupon_template_not_found', 404, `coupon template ${p.couponTemplateId} not found`, {
          path: `prizes.${i}.couponTemplateId`,
        });
      if (!t.channels.includes('lottery'))
        throw badRequest('promotions.template_not_for_lottery', `coupon template ${t.id} is not issued through the 'lottery' channel`, {
          path: `prizes.${i}.couponTemplateId`,
        });
      value = p.value ?? couponFaceValue(t);
    }
    if (p.kind === 'goods' && !skus.has(p.skuId!))
      throw new AppError('promotions.sku_not_found', 404, `SKU ${p.skuId} not found`, { path: `prizes.${i}.skuId` });
    return {
      id: newId('lpz'),
      lotteryId,
      name: p.name,
      kind: p.kind,
      couponTemplateId: p.couponTemplateId ?? null,
      points: p.points ?? null,
      skuId: p.skuId ?? null,
      imageUrl: p.imageUrl ?? null,
      value: p.kind === 'none' ? 0 : value,
      weight: p.weight,
      stock: p.kind === 'none' ? 0 : p.stock!,
      awarded: 0,
      sortOrder: i,
    };
  });
  const row: LotteryRow = {
    id: lotteryId,
    name: input.name,
    description: input.description,
    startsAt,
    endsAt,
    freeDrawsPerDay: input.freeDrawsPerDay,
    maxDrawsPerUser: input.maxDrawsPerUser ?? null,
    pointsPerDraw: input.pointsPerDraw,
    budget: input.budget,
    budgetUsed: 0,
    campaignId: input.campaignId ?? null,
    status: 'active',
    createdBy: actor.staffId,
    createdAt: ctx.now,
  };
  const d1 = ctx.env.DB;
  await d1.batch([
    stmt(d1, ctx.db.insert(lotteries).values(row)),
    ...prizeRows.map((p) => stmt(d1, ctx.db.insert(lotteryPrizes).values(p))),
  ]);
  ctx.log.info('lottery created', { lotteryId, prizes: prizeRows.length, staffId: actor.staffId });
  return adminDto(ctx, row);
}

async function adminDto(ctx: Ctx, l: LotteryRow): Promise<LotteryAdminDto> {
  const [pool, drawn] = await Promise.all([
    loadPool(ctx, l),
    ctx.db
      .select({ prizeId: lotteryDraws.prizeId, n: sql<number>`count(*)` })
      .from(lotteryDraws)
      .where(eq(lotteryDraws.lotteryId, l.id))
      .groupBy(lotteryDraws.prizeId),
  ]);
  const drawnBy = new Map(drawn.map((d) => [d.prizeId, Number(d.n)]));
  return {
    ...summaryOf(l, ctx.now),
    draws: drawn.reduce((s, d) => s + Number(d.n), 0),
    prizes: pool.prizes.map((p) => ({
      id: p.id,
      name: p.name,
      kind: p.kind,
      couponTemplateId: p.couponTemplateId,
      points: p.points,
      skuId: p.skuId,
      imageUrl: p.imageUrl,
      value: p.value,
      weight: p.weight,
      stock: p.kind === 'none' ? null : p.stock,
      awarded: p.kind === 'none' ? (drawnBy.get(p.id) ?? 0) : p.awarded,
      available: prizeAvailable(p, pool, ctx.now),
    })),
  };
}

async function mustLottery(ctx: Ctx, lotteryId: string): Promise<LotteryRow> {
  const l = await lotteryRow(ctx, lotteryId);
  if (!l) throw notFound('promotions.lottery_not_found', `lottery ${lotteryId}`);
  return l;
}

/** getLotteryAdmin: the lottery with every prize's weight, stock, awarded count, and the budget used. */
export async function getLotteryAdmin(ctx: Ctx, lotteryId: string): Promise<LotteryAdminDto> {
  staffOnly(ctx);
  return adminDto(ctx, await mustLottery(ctx, lotteryId));
}

/** listLotteries: newest first, optionally by status. */
export async function listLotteries(ctx: Ctx, q: z.infer<typeof ListLotteriesQuery>): Promise<Page<LotterySummaryDto>> {
  staffOnly(ctx);
  const conds: (SQL | undefined)[] = [q.status ? eq(lotteries.status, q.status) : undefined];
  const cur = decodeCursor(q.cursor);
  if (cur) conds.push(olderThanCursor(lotteries, cur)!);
  const rows = await ctx.db
    .select()
    .from(lotteries)
    .where(and(...conds))
    .orderBy(desc(lotteries.createdAt), desc(lotteries.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  return { items: page.items.map((l) => summaryOf(l, ctx.now)), nextCursor: page.nextCursor };
}

/** updateLottery: only the status changes (terms are fixed once shoppers may have drawn). */
export async function updateLottery(ctx: Ctx, lotteryId: string, input: z.infer<typeof UpdateLotteryInput>): Promise<LotteryAdminDto> {
  const actor = staffOnly(ctx);
  const l = await mustLottery(ctx, lotteryId);
  if (l.status !== input.status) {
    await ctx.db.update(lotteries).set({ status: input.status }).where(eq(lotteries.id, lotteryId));
    ctx.log.info('lottery status changed', { lotteryId, status: input.status, staffId: actor.staffId });
  }
  return adminDto(ctx, { ...l, status: input.status });
}

function drawAdminDto(d: DrawRow, skuId: string | null): DrawAdminDto {
  return {
    id: d.id,
    lotteryId: d.lotteryId,
    userId: d.userId,
    prizeId: d.prizeId,
    prizeKind: d.prizeKind,
    prizeName: d.prizeName,
    couponId: d.couponId,
    points: d.points,
    skuId,
    fulfilment: d.fulfilment,
    shippedAt: iso(d.shippedAt),
    shipNote: d.shipNote,
    pointsSpent: d.pointsSpent,
    day: d.day,
    createdAt: iso(d.createdAt)!,
  };
}

/** listLotteryDraws: a lottery's draws, newest first; winners only by default; `fulfilment=to_ship` is the shipping queue. */
export async function listLotteryDraws(ctx: Ctx, lotteryId: string, q: z.infer<typeof ListLotteryDrawsQuery>): Promise<Page<DrawAdminDto>> {
  staffOnly(ctx);
  await mustLottery(ctx, lotteryId);
  const conds: (SQL | undefined)[] = [
    eq(lotteryDraws.lotteryId, lotteryId),
    q.fulfilment ? eq(lotteryDraws.fulfilment, q.fulfilment) : undefined,
    q.winners === 'true' ? ne(lotteryDraws.prizeKind, 'none') : undefined,
  ];
  const cur = decodeCursor(q.cursor);
  if (cur) conds.push(olderThanCursor(lotteryDraws, cur)!);
  const rows = await ctx.db
    .select({ d: lotteryDraws, skuId: lotteryPrizes.skuId })
    .from(lotteryDraws)
    .leftJoin(lotteryPrizes, eq(lotteryPrizes.id, lotteryDraws.prizeId))
    .where(and(...conds))
    .orderBy(desc(lotteryDraws.createdAt), desc(lotteryDraws.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.d.createdAt, id: r.d.id }));
  return { items: page.items.map((r) => drawAdminDto(r.d, r.skuId)), nextCursor: page.nextCursor };
}

/**
 * markPrizeShipped: a goods prize's draw goes from 'to_ship' to 'shipped'. Repeating it changes
 * nothing. The note (carrier, tracking number) goes to the log; the draw has no column for it.
 */
export async function markPrizeShipped(ctx: Ctx, drawId: string, input: z.infer<typeof MarkPrizeShippedInput>): Promise<DrawAdminDto> {
  const actor = staffOnly(ctx);
  const load = async () => {
    const [r] = await ctx.db
      .select({ d: lotteryDraws, skuId: lotteryPrizes.skuId })
      .from(lotteryDraws)
      .leftJoin(lotteryPrizes, eq(lotteryPrizes.id, lotteryDraws.prizeId))
      .where(eq(lotteryDraws.id, drawId))
      .limit(1);
    if (!r) throw notFound('promotions.draw_not_found', `draw ${drawId}`);
    return r;
  };
  const r = await load();
  if (r.d.prizeKind !== 'goods')
    throw new AppError('promotions.not_a_goods_prize', 409, 'only goods prizes are shipped', { prizeKind: r.d.prizeKind });
  if (r.d.fulfilment === 'shipped') return drawAdminDto(r.d, r.skuId);
  await ctx.db
    .update(lotteryDraws)
    .set({ fulfilment: 'shipped', shippedAt: ctx.now, shippedBy: actor.staffId, shipNote: input.note ?? '' })
    .where(and(eq(lotteryDraws.id, drawId), eq(lotteryDraws.fulfilment, 'to_ship')));
  ctx.log.info('lottery prize shipped', { drawId, staffId: actor.staffId });
  const after = await load();
  return drawAdminDto(after.d, after.skuId);
}

// ---------------------------------------------------------------- storefront

/**
 * getLottery: what the wheel shows — prizes without weights or stock (only whether each is still
 * available), the window and the server time; for a signed-in shopper also today's allowance.
 */
export async function getLottery(ctx: Ctx, lotteryId: string): Promise<z.infer<typeof LotterySchema>> {
  const l = await lotteryRow(ctx, lotteryId);
  if (!l || l.status !== 'active') throw notFound('promotions.lottery_not_found', `lottery ${lotteryId}`);
  const pool = await loadPool(ctx, l);
  let me: z.infer<typeof LotterySchema>['me'] = null;
  const userId = shopperIdOrNull(ctx);
  if (userId) {
    const a = await allowance(ctx, l, userId, { withBalance: true });
    me = {
      drawsLeftToday: a.drawsLeftToday,
      totalDrawsLeft: a.totalDrawsLeft,
      pointsBalance: a.pointsBalance ?? 0,
      chancesLeft: a.chancesLeft,
      nextDrawCost: a.nextDrawCost,
    };
  }
  return {
    id: l.id,
    name: l.name,
    description: l.description,
    startsAt: iso(l.startsAt)!,
    endsAt: iso(l.endsAt)!,
    state: scheduleState(l, ctx.now),
    serverTime: iso(ctx.now)!,
    freeDrawsPerDay: l.freeDrawsPerDay,
    pointsPerDraw: l.pointsPerDraw,
    maxDrawsPerUser: l.maxDrawsPerUser,
    prizes: pool.prizes.map((p) => ({
      id: p.id,
      name: p.name,
      kind: p.kind,
      imageUrl: p.imageUrl,
      available: prizeAvailable(p, pool, ctx.now),
    })),
    me,
  };
}

/** listMyLotteryDraws: the signed-in shopper's own draws, newest first (never anyone else's). */
export async function listMyLotteryDraws(ctx: Ctx, q: z.infer<typeof ListMyDrawsQuery>): Promise<Page<z.infer<typeof MyDrawSchema>>> {
  const conds: (SQL | undefined)[] = [
    eq(lotteryDraws.userId, shopperId(ctx, 'this is for shoppers')),
    q.lotteryId ? eq(lotteryDraws.lotteryId, q.lotteryId) : undefined,
  ];
  const cur = decodeCursor(q.cursor);
  if (cur) conds.push(olderThanCursor(lotteryDraws, cur)!);
  const rows = await ctx.db
    .select({ d: lotteryDraws, lotteryName: lotteries.name, imageUrl: lotteryPrizes.imageUrl })
    .from(lotteryDraws)
    .leftJoin(lotteries, eq(lotteries.id, lotteryDraws.lotteryId))
    .leftJoin(lotteryPrizes, eq(lotteryPrizes.id, lotteryDraws.prizeId))
    .where(and(...conds))
    .orderBy(desc(lotteryDraws.createdAt), desc(lotteryDraws.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.d.createdAt, id: r.d.id }));
  return {
    items: page.items.map(({ d, lotteryName, imageUrl }) => ({
      drawId: d.id,
      lotteryId: d.lotteryId,
      lotteryName: lotteryName ?? '',
      prize: { id: d.prizeId, name: d.prizeName, kind: d.prizeKind, imageUrl: imageUrl ?? null },
      coupon: d.couponId ? { id: d.couponId } : null,
      points: d.points,
      pointsSpent: d.pointsSpent,
      fulfilment: d.fulfilment,
      createdAt: iso(d.createdAt)!,
    })),
    nextCursor: page.nextCursor,
  };
}
