import { and, desc, eq, inArray, sql, type AnyColumn } from 'drizzle-orm';
import { type Ctx, shopperId } from '../../../shared/context';
import { guard, iso, stmt } from '../../../shared/db';
import { AppError, conflict, forbidden, routine } from '../../../shared/errors';
import { shanghaiDay } from '../../../shared/calendar';
import { decodeCursor, olderThanCursor, toPage, type Page } from '../../../shared/pagination';
import { getOrderRow } from '../../orders/orders.service';
import { getSkuSnapshots } from '../../catalog/sku-snapshots.service';
import { pointsBalance, pointsEntryStatement, spendPointsStatements } from '../points.service';
import type { PointsMallExchangeDto } from './dto';
import { itemState, mallItemRow, remainingFor, usedUnits, type MallItemRow } from './items.service';
import { meetsMinTier } from './tier-gate';
import { pointsMallExchanges, pointsMallItems, type ExchangeStatus } from './schema';

export type ExchangeRow = typeof pointsMallExchanges.$inferSelect;

/** The ledger ref of an exchange's points spend, and of their return when its order closes unpaid. */
export const spendRef = (exchangeId: string) => `mall:${exchangeId}`;
export const refundRef = (exchangeId: string) => `mall-refund:${exchangeId}`;

/** The exchange a shopper made with this Idempotency-Key, if any. */
export async function exchangeByKey(ctx: Ctx, userId: string, key: string): Promise<ExchangeRow | null> {
  const [row] = await ctx.db
    .select()
    .from(pointsMallExchanges)
    .where(and(eq(pointsMallExchanges.userId, userId), eq(pointsMallExchanges.idempotencyKey, key)))
    .limit(1);
  return row ?? null;
}

/**
 * Refuses an exchange that cannot succeed now, with the reason a shopper can act on, in this
 * order: not on sale (off shelf / not started / ended), tier, sold out, the shopper's limit, points.
 * Run before the batch (cheap refusals) and again after a failed batch to say which guard failed.
 */
export async function assertExchangeable(ctx: Ctx, item: MallItemRow, userId: string, quantity: number): Promise<void> {
  const state = itemState(item, ctx.now);
  if (state === 'off') throw conflict('members.mall_item_off_shelf', 'this item has been taken off the shelf (已下架)');
  if (state === 'upcoming')
    throw conflict('members.mall_item_not_started', 'this item cannot be exchanged yet', { startsAt: iso(item.startsAt) });
  if (state === 'ended') throw conflict('members.mall_item_ended', 'the exchange of this item has ended', { endsAt: iso(item.endsAt) });
  if (item.minTierId && !(await meetsMinTier(ctx, userId, item.minTierId)))
    throw new AppError('members.tier_required', 403, 'this item is for members of a higher tier', { minTierId: item.minTierId });
  if (item.stock < quantity)
    throw routine(
      conflict('members.mall_sold_out', item.stock > 0 ? `only ${item.stock} left` : 'sold out (已兑完)', { stock: item.stock }),
    );
  const left = remainingFor(item, (await usedUnits(ctx, userId, [item])).get(item.id) ?? 0);
  if (left !== null && left < quantity)
    throw routine(
      conflict(
        'members.mall_limit_reached',
        item.limitPeriod === 'day'
          ? `you may exchange ${item.limitPerUser} of this item per day; ${left} left today`
          : `you may exchange ${item.limitPerUser} of this item; ${left} left`,
        { limitPerUser: item.limitPerUser, limitPeriod: item.limitPeriod, remaining: left },
      ),
    );
  const balance = await pointsBalance(ctx, userId);
  if (balance < item.pointsPrice * quantity)
    throw routine(
      conflict('members.not_enough_points', `this costs ${item.pointsPrice * quantity} points; you have ${balance}`, {
        balance,
        needed: item.pointsPrice * quantity,
      }),
    );
}

export interface ExchangePlan {
  id: string;
  userId: string;
  item: MallItemRow;
  quantity: number;
  idempotencyKey: string;
  status: ExchangeStatus;
  couponId?: string | null;
  orderId?: string | null;
  checkoutId?: string | null;
}

/**
 * The mall's part of an exchange, for the caller's ONE D1 batch (the coupon issue, the chance
 * grant or the order follow in the same batch):
 *   the exchange row first (unique (user, Idempotency-Key): a concurrent repeat fails on it before
 *   any guard) · the item still on the shelf, in its window, at the prices the shopper saw ·
 *   stock − quantity (CHECK stock ≥ 0: an oversell aborts the batch) · the shopper's units within
 *   the limit, this exchange included · the points spend (guarded: the balance never goes below 0).
 */
export function exchangeStatements(ctx: Ctx, p: ExchangePlan): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  const i = p.item;
  const day = shanghaiDay(ctx.now);
  const stmts: D1PreparedStatement[] = [
    stmt(
      d1,
      ctx.db.insert(pointsMallExchanges).values({
        id: p.id,
        userId: p.userId,
        itemId: i.id,
        kind: i.kind,
        title: i.title,
        quantity: p.quantity,
        pointsTotal: i.pointsPrice * p.quantity,
        cashTotal: i.cashPrice * p.quantity,
        day,
        status: p.status,
        idempotencyKey: p.idempotencyKey,
        couponId: p.couponId ?? null,
        orderId: p.orderId ?? null,
        checkoutId: p.checkoutId ?? null,
        createdAt: ctx.now,
      }),
    ),
    guard(
      d1,
      `SELECT count(*) = 1 FROM points_mall_items WHERE id = ?1 AND status = 'on'
         AND (starts_at IS NULL OR starts_at <= ?2) AND (ends_at IS NULL OR ends_at > ?2)
         AND points_price = ?3 AND cash_price = ?4 AND min_tier_id IS ?5`,
      i.id,
      ctx.now,
      i.pointsPrice,
      i.cashPrice,
      i.minTierId,
    ),
    stmt(
      d1,
      ctx.db
        .update(pointsMallItems)
        .set({ stock: sqlMinus(pointsMallItems.stock, p.quantity), sold: sqlPlus(pointsMallItems.sold, p.quantity) })
        .where(eq(pointsMallItems.id, i.id)),
    ),
  ];
  if (i.limitPerUser != null)
    stmts.push(
      i.limitPeriod === 'day'
        ? guard(
            d1,
            "SELECT coalesce(sum(quantity), 0) <= ?1 FROM points_mall_exchanges WHERE item_id = ?2 AND user_id = ?3 AND day = ?4 AND status != 'cancelled'",
            i.limitPerUser,
            i.id,
            p.userId,
            day,
          )
        : guard(
            d1,
            "SELECT coalesce(sum(quantity), 0) <= ?1 FROM points_mall_exchanges WHERE item_id = ?2 AND user_id = ?3 AND status != 'cancelled'",
            i.limitPerUser,
            i.id,
            p.userId,
          ),
    );
  stmts.push(
    ...spendPointsStatements(ctx, { userId: p.userId, amount: i.pointsPrice * p.quantity, reason: 'points_mall', ref: spendRef(p.id) }),
  );
  return stmts;
}

const sqlMinus = (c: AnyColumn, n: number) => sql`${c} - ${n}`;
const sqlPlus = (c: AnyColumn, n: number) => sql`${c} + ${n}`;

/**
 * What closing a checkout unpaid undoes for the points mall, for closeCheckout's batch (which is
 * guarded on the checkout still pending, so it commits once): each pending goods exchange of the
 * checkout is cancelled, its units go back to the item's stock and its points back to the shopper
 * (ledger ref `mall-refund:<exchange>`, unique: never twice even if asked again).
 */
export async function releaseMallExchangeStatements(ctx: Ctx, checkoutId: string): Promise<D1PreparedStatement[]> {
  const rows = await ctx.db
    .select()
    .from(pointsMallExchanges)
    .where(and(eq(pointsMallExchanges.checkoutId, checkoutId), eq(pointsMallExchanges.status, 'pending_payment')));
  const d1 = ctx.env.DB;
  return rows.flatMap((x) => [
    guard(d1, "SELECT status = 'pending_payment' FROM points_mall_exchanges WHERE id = ?1", x.id),
    stmt(d1, ctx.db.update(pointsMallExchanges).set({ status: 'cancelled', cancelledAt: ctx.now }).where(eq(pointsMallExchanges.id, x.id))),
    stmt(
      d1,
      ctx.db
        .update(pointsMallItems)
        .set({ stock: sqlPlus(pointsMallItems.stock, x.quantity), sold: sqlMinus(pointsMallItems.sold, x.quantity) })
        .where(eq(pointsMallItems.id, x.itemId)),
    ),
    pointsEntryStatement(ctx, { userId: x.userId, delta: x.pointsTotal, reason: 'points_mall_refund', ref: refundRef(x.id) }),
  ]);
}

// ---------------------------------------------------------------- views

async function dtos(ctx: Ctx, rows: ExchangeRow[]): Promise<(PointsMallExchangeDto & { userId: string })[]> {
  const itemIds = [...new Set(rows.map((r) => r.itemId))];
  const items = itemIds.length ? await ctx.db.select().from(pointsMallItems).where(inArray(pointsMallItems.id, itemIds)) : [];
  const byId = new Map(items.map((i) => [i.id, i]));
  // Goods without an image of their own show the product's, as on the shelf.
  const skuIds = [...new Set(items.flatMap((i) => (i.imageUrl || !i.skuId ? [] : [i.skuId])))];
  const skus = skuIds.length ? await getSkuSnapshots(ctx, skuIds) : new Map<string, { imageUrl: string | null }>();
  const orders = new Map(
    await Promise.all(rows.flatMap((r) => (r.orderId ? [getOrderRow(ctx, r.orderId).then((o) => [r.orderId!, o] as const)] : []))),
  );
  return rows.map((r) => {
    const item = byId.get(r.itemId);
    const o = r.orderId ? orders.get(r.orderId) : undefined;
    // A paid order is the exchange done even before anything marks it (the payment flow owns the order).
    const status: ExchangeStatus =
      r.status === 'pending_payment' && o && o.status !== 'pending_payment' && o.status !== 'closed' && o.status !== 'cancelled'
        ? 'completed'
        : r.status;
    return {
      id: r.id,
      userId: r.userId,
      itemId: r.itemId,
      kind: r.kind,
      title: r.title,
      imageUrl: item?.imageUrl ?? (item?.skuId ? (skus.get(item.skuId)?.imageUrl ?? null) : null),
      quantity: r.quantity,
      pointsTotal: r.pointsTotal,
      cashTotal: r.cashTotal,
      status,
      couponId: r.couponId,
      chances: r.kind === 'lottery_chance' && item?.chances ? item.chances * r.quantity : null,
      lotteryId: r.kind === 'lottery_chance' ? (item?.lotteryId ?? null) : null,
      order: o
        ? {
            id: o.id,
            orderNo: o.orderNo,
            status: o.status,
            payableTotal: o.payableTotal,
            expiresAt: o.status === 'pending_payment' ? iso(o.expiresAt) : null,
          }
        : null,
      createdAt: iso(r.createdAt)!,
      cancelledAt: iso(r.cancelledAt),
    };
  });
}

/** One exchange as its shopper sees it. */
export async function exchangeDto(ctx: Ctx, row: ExchangeRow): Promise<PointsMallExchangeDto> {
  const [d] = await dtos(ctx, [row]);
  const { userId: _u, ...rest } = d!;
  void _u;
  return rest;
}

async function page(ctx: Ctx, conds: Parameters<typeof and>, q: { limit: number; cursor?: string }) {
  const rows = await ctx.db
    .select()
    .from(pointsMallExchanges)
    .where(and(...conds, olderThanCursor(pointsMallExchanges, decodeCursor(q.cursor))))
    .orderBy(desc(pointsMallExchanges.createdAt), desc(pointsMallExchanges.id))
    .limit(q.limit + 1);
  const p = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  return { items: await dtos(ctx, p.items), nextCursor: p.nextCursor };
}

/** listMyPointsMallExchanges: the signed-in shopper's own exchanges (兑换记录), newest first. */
export async function listMyExchanges(ctx: Ctx, q: { limit: number; cursor?: string }): Promise<Page<PointsMallExchangeDto>> {
  const userId = shopperId(ctx, 'this is for shoppers');
  const r = await page(ctx, [eq(pointsMallExchanges.userId, userId)], q);
  return { items: r.items.map(({ userId: _u, ...rest }) => (void _u, rest)), nextCursor: r.nextCursor };
}

/** listPointsMallExchanges (staff): every exchange, newest first, by item or shopper. */
export async function listAdminExchanges(ctx: Ctx, q: { limit: number; cursor?: string; itemId?: string; userId?: string }) {
  if (ctx.actor.kind !== 'staff') throw forbidden('this is for staff');
  if (q.itemId) await mallItemRow(ctx, q.itemId);
  return page(
    ctx,
    [q.itemId ? eq(pointsMallExchanges.itemId, q.itemId) : undefined, q.userId ? eq(pointsMallExchanges.userId, q.userId) : undefined],
    q,
  );
}
