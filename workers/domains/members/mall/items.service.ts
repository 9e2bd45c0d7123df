import { and, asc, desc, eq, gt, inArray, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { type Ctx, shopperIdOrNull } from '../../../shared/context';
import { batchFailure, iso, stmt } from '../../../shared/db';
import { AppError, conflict, forbidden, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { shanghaiDay } from '../../../shared/calendar';
import { decodeCursor, olderThanCursor, toPage, type Page } from '../../../shared/pagination';
import { getSkuSnapshots, type SkuSnapshot } from '../../catalog/sku-snapshots.service';
import { templateRow } from '../../promotions/coupons/templates.service';
import { chanceGrantableLottery } from '../../promotions/lottery/lottery.service';
import { pointsBalance } from '../points.service';
import type { CreatePointsMallItemInput, PointsMallItemAdminDto, PointsMallItemDto, UpdatePointsMallItemInput } from './dto';
import { meetsMinTier } from './tier-gate';
import { tiersById } from '../tiers/tiers.service';
import { pointsMallExchanges, pointsMallItems, type MallItemKind } from './schema';

export type MallItemRow = typeof pointsMallItems.$inferSelect;

const ms = (s: string | null | undefined) => (s == null ? null : Date.parse(s));

/** The item, or 404 members.mall_item_not_found. */
export async function mallItemRow(ctx: Ctx, itemId: string): Promise<MallItemRow> {
  const [row] = await ctx.db.select().from(pointsMallItems).where(eq(pointsMallItems.id, itemId)).limit(1);
  if (!row) throw notFound('members.mall_item_not_found', `points mall item ${itemId}`);
  return row;
}

/** Where an item stands for shoppers: off shelf wins over the clock. */
export function itemState(r: Pick<MallItemRow, 'status' | 'startsAt' | 'endsAt'>, now: number): 'upcoming' | 'live' | 'ended' | 'off' {
  if (r.status !== 'on') return 'off';
  if (r.startsAt != null && now < r.startsAt) return 'upcoming';
  if (r.endsAt != null && now >= r.endsAt) return 'ended';
  return 'live';
}

/** Units one shopper may still take now under the item's limit (null = no limit). */
export function remainingFor(r: Pick<MallItemRow, 'limitPerUser'>, used: number): number | null {
  return r.limitPerUser == null ? null : Math.max(0, r.limitPerUser - used);
}

/**
 * Units each of `itemIds` a shopper has exchanged within its limit period (every exchange not
 * cancelled; for 'day' items only today's, Asia/Shanghai).
 */
export async function usedUnits(ctx: Ctx, userId: string, items: Pick<MallItemRow, 'id' | 'limitPeriod'>[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!items.length) return out;
  const day = shanghaiDay(ctx.now);
  const rows = await ctx.db
    .select({
      itemId: pointsMallExchanges.itemId,
      ever: sql<number>`coalesce(sum(${pointsMallExchanges.quantity}), 0)`,
      today: sql<number>`coalesce(sum(CASE WHEN ${pointsMallExchanges.day} = ${day} THEN ${pointsMallExchanges.quantity} ELSE 0 END), 0)`,
    })
    .from(pointsMallExchanges)
    .where(
      and(
        eq(pointsMallExchanges.userId, userId),
        inArray(
          pointsMallExchanges.itemId,
          items.map((i) => i.id),
        ),
        ne(pointsMallExchanges.status, 'cancelled'),
      ),
    )
    .groupBy(pointsMallExchanges.itemId);
  const byId = new Map(rows.map((r) => [r.itemId, r]));
  for (const i of items) {
    const r = byId.get(i.id);
    out.set(i.id, Number(i.limitPeriod === 'day' ? (r?.today ?? 0) : (r?.ever ?? 0)));
  }
  return out;
}

/** List prices (原价) of goods items' SKUs and their images, for display. */
async function goodsInfo(ctx: Ctx, rows: MallItemRow[]): Promise<Map<string, SkuSnapshot>> {
  const skuIds = [...new Set(rows.flatMap((r) => (r.skuId ? [r.skuId] : [])))];
  return skuIds.length ? getSkuSnapshots(ctx, skuIds) : new Map();
}

type TierNames = ReadonlyMap<string, { name: string }>;

/** Names of the tiers that `rows` are restricted to (金卡及以上 on the card). */
const tierNamesOf = (ctx: Ctx, rows: MallItemRow[]): Promise<TierNames> =>
  tiersById(
    ctx,
    rows.flatMap((r) => (r.minTierId ? [r.minTierId] : [])),
  );

function baseDto(ctx: Ctx, r: MallItemRow, sku: { price: number; imageUrl: string | null } | undefined, tiers: TierNames) {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    description: r.description,
    imageUrl: r.imageUrl ?? sku?.imageUrl ?? null,
    pointsPrice: r.pointsPrice,
    cashPrice: r.cashPrice,
    freeShipping: r.freeShipping,
    marketPrice: r.kind === 'goods' ? (sku?.price ?? null) : null,
    stock: r.stock,
    sold: r.sold,
    limitPerUser: r.limitPerUser,
    limitPeriod: r.limitPeriod,
    startsAt: iso(r.startsAt),
    endsAt: iso(r.endsAt),
    state: itemState(r, ctx.now),
    minTierId: r.minTierId,
    minTierName: r.minTierId ? (tiers.get(r.minTierId)?.name ?? null) : null,
    target: { skuId: r.skuId, couponTemplateId: r.couponTemplateId, lotteryId: r.lotteryId, chances: r.chances },
  };
}

const adminDto = (
  ctx: Ctx,
  r: MallItemRow,
  tiers: TierNames,
  sku?: { price: number; imageUrl: string | null },
): PointsMallItemAdminDto => ({
  ...baseDto(ctx, r, sku, tiers),
  status: r.status,
  sortOrder: r.sortOrder,
  createdAt: iso(r.createdAt)!,
  updatedAt: iso(r.updatedAt)!,
});

/** Shopper views of items: with the signed-in shopper's remaining limit and tier check. */
async function storeDtos(ctx: Ctx, rows: MallItemRow[]): Promise<PointsMallItemDto[]> {
  const userId = shopperIdOrNull(ctx);
  const [skus, used, names] = await Promise.all([
    goodsInfo(ctx, rows),
    userId ? usedUnits(ctx, userId, rows) : Promise.resolve(null),
    tierNamesOf(ctx, rows),
  ]);
  const tiers = new Map<string, boolean>();
  if (userId)
    for (const t of new Set(rows.flatMap((r) => (r.minTierId ? [r.minTierId] : [])))) tiers.set(t, await meetsMinTier(ctx, userId, t));
  return rows.map((r) => ({
    ...baseDto(ctx, r, r.skuId ? skus.get(r.skuId) : undefined, names),
    me:
      userId && used
        ? { remaining: remainingFor(r, used.get(r.id) ?? 0), tierOk: r.minTierId ? (tiers.get(r.minTierId) ?? false) : true }
        : null,
  }));
}

/** Items a shopper can see: on the shelf and not ended (upcoming ones show as 即将开始). */
const onShelf = (now: number): SQL =>
  and(eq(pointsMallItems.status, 'on'), or(isNull(pointsMallItems.endsAt), gt(pointsMallItems.endsAt, now)))!;

/**
 * listPointsMallItems: the shelf by sortOrder (at most 200 items), the kinds that have items (the
 * tabs), and for a signed-in shopper the points balance and each item's remaining limit.
 */
export async function listPointsMallItems(ctx: Ctx, q: { kind?: MallItemKind }) {
  const all = await ctx.db
    .select()
    .from(pointsMallItems)
    .where(onShelf(ctx.now))
    .orderBy(asc(pointsMallItems.sortOrder), desc(pointsMallItems.createdAt), asc(pointsMallItems.id))
    .limit(200);
  const kinds = new Map<MallItemKind, number>();
  for (const r of all) kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
  const rows = q.kind ? all.filter((r) => r.kind === q.kind) : all;
  const userId = shopperIdOrNull(ctx);
  const [items, points] = await Promise.all([storeDtos(ctx, rows), userId ? pointsBalance(ctx, userId) : Promise.resolve(null)]);
  return {
    points,
    kinds: (['goods', 'coupon', 'lottery_chance'] as const).filter((k) => kinds.has(k)).map((kind) => ({ kind, count: kinds.get(kind)! })),
    items,
  };
}

/** getPointsMallItem: one item as the shopper sees it; off the shelf or ended is 404. */
export async function getPointsMallItem(ctx: Ctx, itemId: string) {
  const r = await mallItemRow(ctx, itemId);
  const state = itemState(r, ctx.now);
  if (state === 'off' || state === 'ended') throw notFound('members.mall_item_not_found', `points mall item ${itemId}`);
  const userId = shopperIdOrNull(ctx);
  const [[item], points] = await Promise.all([storeDtos(ctx, [r]), userId ? pointsBalance(ctx, userId) : Promise.resolve(null)]);
  return { ...item!, points };
}

// ---------------------------------------------------------------- staff

const staffId = (ctx: Ctx) => {
  if (ctx.actor.kind !== 'staff') throw forbidden('this is for staff');
  return ctx.actor.staffId;
};

/** Checks that what an item hands out exists and can be handed out; 404 / 409 otherwise. */
async function checkTarget(ctx: Ctx, i: CreatePointsMallItemInput) {
  if (i.kind === 'goods') {
    const sku = (await getSkuSnapshots(ctx, [i.skuId!])).get(i.skuId!);
    if (!sku) throw notFound('members.sku_not_found', `SKU ${i.skuId}`);
    return sku;
  }
  if (i.kind === 'coupon') {
    const t = await templateRow(ctx, i.couponTemplateId!);
    if (t.status !== 'active') throw conflict('members.coupon_template_disabled', 'this coupon template is disabled');
    if (!t.channels.includes('points_mall'))
      throw conflict('members.coupon_channel', "the coupon template is not open to the 'points_mall' channel (发放渠道: 积分商城)");
    return null;
  }
  await chanceGrantableLottery(ctx, i.lotteryId!);
  return null;
}

/** A tier restriction must name a tier that exists (a typo would hide the item from everyone). */
async function checkTier(ctx: Ctx, minTierId: string | null | undefined) {
  if (minTierId && !(await tiersById(ctx, [minTierId])).has(minTierId))
    throw notFound('members.tier_not_found', `member tier ${minTierId}`);
}

/** createPointsMallItem (staff with members.write): checks the SKU / coupon template / lottery, then stores the item. */
export async function createPointsMallItem(ctx: Ctx, input: CreatePointsMallItemInput): Promise<PointsMallItemAdminDto> {
  const by = staffId(ctx);
  const sku = await checkTarget(ctx, input);
  await checkTier(ctx, input.minTierId);
  const row: MallItemRow = {
    id: newId('pmi'),
    kind: input.kind,
    title: input.title,
    description: input.description,
    imageUrl: input.imageUrl ?? null,
    pointsPrice: input.pointsPrice,
    cashPrice: input.cashPrice,
    skuId: input.kind === 'goods' ? input.skuId! : null,
    freeShipping: input.freeShipping,
    couponTemplateId: input.kind === 'coupon' ? input.couponTemplateId! : null,
    lotteryId: input.kind === 'lottery_chance' ? input.lotteryId! : null,
    chances: input.kind === 'lottery_chance' ? (input.chances ?? 1) : null,
    stock: input.stock,
    sold: 0,
    limitPerUser: input.limitPerUser,
    limitPeriod: input.limitPeriod,
    startsAt: ms(input.startsAt),
    endsAt: ms(input.endsAt),
    status: input.status,
    sortOrder: input.sortOrder,
    minTierId: input.minTierId,
    createdBy: by,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await ctx.db.insert(pointsMallItems).values(row);
  ctx.log.info('points mall item created', { itemId: row.id, kind: row.kind, staffId: by });
  return adminDto(ctx, row, await tierNamesOf(ctx, [row]), sku ?? undefined);
}

/** updatePointsMallItem: price, texts, image, limits, window, shelf status, sort, tier. Kind and target stay. */
export async function updatePointsMallItem(ctx: Ctx, itemId: string, input: UpdatePointsMallItemInput): Promise<PointsMallItemAdminDto> {
  staffId(ctx);
  const r = await mallItemRow(ctx, itemId);
  await checkTier(ctx, input.minTierId);
  if (input.cashPrice !== undefined && input.cashPrice > 0 && r.kind !== 'goods')
    throw new AppError('validation.failed', 400, 'only goods can have a cash part', {
      issues: [{ path: 'cashPrice', message: 'only goods can have a cash part (it is paid as an order)', code: 'custom' }],
    });
  const startsAt = input.startsAt !== undefined ? ms(input.startsAt) : r.startsAt;
  const endsAt = input.endsAt !== undefined ? ms(input.endsAt) : r.endsAt;
  if (startsAt != null && endsAt != null && endsAt <= startsAt)
    throw new AppError('validation.failed', 400, 'endsAt must be after startsAt', {
      issues: [{ path: 'endsAt', message: 'endsAt must be after startsAt', code: 'custom' }],
    });
  const { startsAt: _s, endsAt: _e, ...rest } = input;
  void _s;
  void _e;
  await ctx.db
    .update(pointsMallItems)
    .set({ ...rest, startsAt, endsAt, updatedAt: ctx.now })
    .where(eq(pointsMallItems.id, itemId));
  return getAdminPointsMallItem(ctx, itemId);
}

/** adjustPointsMallStock: adds units, or takes them off sale; the CHECK keeps what is left ≥ 0 under racing exchanges. */
export async function adjustPointsMallStock(ctx: Ctx, itemId: string, delta: number): Promise<PointsMallItemAdminDto> {
  staffId(ctx);
  await mallItemRow(ctx, itemId);
  try {
    await ctx.env.DB.batch([
      stmt(
        ctx.env.DB,
        ctx.db
          .update(pointsMallItems)
          .set({ stock: sql`${pointsMallItems.stock} + ${delta}`, updatedAt: ctx.now })
          .where(eq(pointsMallItems.id, itemId)),
      ),
    ]);
  } catch (e) {
    if (batchFailure(e) === 'check') {
      const now = await mallItemRow(ctx, itemId);
      throw conflict('members.mall_stock_negative', `only ${now.stock} left; cannot take away ${-delta}`, { stock: now.stock });
    }
    throw e;
  }
  return getAdminPointsMallItem(ctx, itemId);
}

/** One item as staff see it. */
export async function getAdminPointsMallItem(ctx: Ctx, itemId: string): Promise<PointsMallItemAdminDto> {
  const r = await mallItemRow(ctx, itemId);
  const [names, skus] = await Promise.all([tierNamesOf(ctx, [r]), r.skuId ? getSkuSnapshots(ctx, [r.skuId]) : Promise.resolve(null)]);
  return adminDto(ctx, r, names, r.skuId ? skus?.get(r.skuId) : undefined);
}

/** listAdminPointsMallItems: every item (on and off the shelf), newest first. */
export async function listAdminPointsMallItems(
  ctx: Ctx,
  q: { limit: number; cursor?: string; kind?: MallItemKind; status?: 'on' | 'off' },
): Promise<Page<PointsMallItemAdminDto>> {
  const rows = await ctx.db
    .select()
    .from(pointsMallItems)
    .where(
      and(
        q.kind ? eq(pointsMallItems.kind, q.kind) : undefined,
        q.status ? eq(pointsMallItems.status, q.status) : undefined,
        olderThanCursor(pointsMallItems, decodeCursor(q.cursor)),
      ),
    )
    .orderBy(desc(pointsMallItems.createdAt), desc(pointsMallItems.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  const skus = await goodsInfo(ctx, page.items);
  const names = await tierNamesOf(ctx, page.items);
  return { items: page.items.map((r) => adminDto(ctx, r, names, r.skuId ? skus.get(r.skuId) : undefined)), nextCursor: page.nextCursor };
}

/** Id of the first item created with this exact title, or null: for seeds that create each item once by name. */
export async function mallItemIdByTitle(ctx: Ctx, title: string): Promise<string | null> {
  const [row] = await ctx.db
    .select({ id: pointsMallItems.id })
    .from(pointsMallItems)
    .where(eq(pointsMallItems.title, title))
    .orderBy(asc(pointsMallItems.createdAt))
    .limit(1);
  return row?.id ?? null;
}
