import { and, asc, desc, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import { type Ctx, requireShopper, shopperId } from '../../shared/context';
import { conflict, forbidden, notFound } from '../../shared/errors';
import { batchFailure, D1_IN_CHUNK, guard, inChunks, iso, stmt } from '../../shared/db';
import { decryptPii, maskPhone } from '../../shared/crypto';
import { requireSecret } from '../../shared/env';
import { decodeCursor, olderThanCursor, toPage, type Page } from '../../shared/pagination';
import { mediaUrl } from '../media/media.service';
import { stockChangeStatements } from '../catalog/stock.service';
import { merchantScope } from '../catalog/access';
import { checkouts, orderEvents, orderLines, orders, type OrderStatus } from './schema';
import { orderEventStatement, type OrderEventInput } from './order-events';
import type { AdminListOrdersQuery, OrderDetailDto, OrderSummaryDto } from './dto';
import type { z } from '@hono/zod-openapi';

export type { OrderStatus };
export type OrderRow = typeof orders.$inferSelect;
export type OrderLineRow = typeof orderLines.$inferSelect;

const DAY = 24 * 3600_000;
/** Shipped orders complete on their own after this long without a confirmation. */
export const AUTO_CONFIRM_AFTER_SHIP_MS = 15 * DAY;
/** Delivered orders complete on their own after this long. */
export const AUTO_CONFIRM_AFTER_DELIVERY_MS = 7 * DAY;

/**
 * Statements for one status change: a guard (the batch aborts unless the order is still in one
 * of `from`), the update and the timeline entry — so a transition is checked, applied and
 * recorded atomically, and two racing transitions cannot both win.
 */
export function transitionStatements(
  ctx: Ctx,
  orderId: string,
  from: readonly OrderStatus[],
  to: OrderStatus,
  set: Partial<OrderRow>,
  ev: Omit<OrderEventInput, 'from' | 'to'> & { from?: OrderStatus },
): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  const placeholders = from.map((_, i) => `?${i + 2}`).join(', ');
  return [
    guard(d1, `SELECT status IN (${placeholders}) FROM orders WHERE id = ?1`, orderId, ...from),
    stmt(
      d1,
      ctx.db
        .update(orders)
        .set({ ...set, status: to, version: sql`${orders.version} + 1` })
        .where(and(eq(orders.id, orderId), inArray(orders.status, [...from]))),
    ),
    // With a single allowed source state the previous status is known; otherwise the caller says.
    orderEventStatement(ctx, orderId, { ...ev, from: ev.from ?? (from.length === 1 ? from[0] : null), to }),
  ];
}

/** Runs a batch that starts with a transition guard; a failed guard becomes 409 orders.invalid_transition. */
export async function runTransition(ctx: Ctx, stmts: D1PreparedStatement[], what: string): Promise<void> {
  try {
    await ctx.env.DB.batch(stmts);
  } catch (e) {
    if (batchFailure(e) === 'guard')
      throw conflict('orders.invalid_transition', `cannot ${what}: the order is not in a state that allows it`);
    throw e;
  }
}

export async function getOrderRow(ctx: Ctx, orderId: string): Promise<OrderRow> {
  const [o] = await ctx.db.select().from(orders).where(eq(orders.id, orderId)).limit(1);
  if (!o) throw notFound('orders.not_found', `order ${orderId}`);
  return o;
}

/** The order if the actor may see it: its shopper, platform staff, or staff of its merchant. Others get 404. */
export async function getVisibleOrder(ctx: Ctx, orderId: string): Promise<OrderRow> {
  const o = await getOrderRow(ctx, orderId).catch(() => null);
  const a = ctx.actor;
  const visible =
    o &&
    ((a.kind === 'user' && o.userId === a.userId) ||
      (a.kind === 'staff' && (a.role !== 'merchant' || a.merchantId === o.merchantId)) ||
      a.kind === 'system');
  // Someone else's order is "not found", not "forbidden": ids must not be probeable.
  if (!visible) throw notFound('orders.not_found', `order ${orderId}`);
  return o!;
}

export async function orderLinesOf(ctx: Ctx, orderIds: string[]): Promise<OrderLineRow[]> {
  if (orderIds.length === 0) return [];
  return ctx.db.select().from(orderLines).where(inArray(orderLines.orderId, orderIds)).orderBy(asc(orderLines.id));
}

export async function ordersOfCheckout(ctx: Ctx, checkoutId: string): Promise<OrderRow[]> {
  return ctx.db.select().from(orders).where(eq(orders.checkoutId, checkoutId)).orderBy(asc(orders.merchantId));
}

export async function findCheckoutByKey(ctx: Ctx, userId: string, idempotencyKey: string) {
  const [c] = await ctx.db
    .select()
    .from(checkouts)
    .where(and(eq(checkouts.userId, userId), eq(checkouts.idempotencyKey, idempotencyKey)))
    .limit(1);
  return c ?? null;
}

/** The key existingCheckoutKeys answers with, for one (shopper, Idempotency-Key) pair. */
export const checkoutKeyOf = (userId: string, idempotencyKey: string) => `${userId}\u0000${idempotencyKey}`;

/**
 * Which of these (shopper, key) pairs already have a checkout — one indexed query for a queue
 * batch (both columns IN: SQLite walks the unique (user_id, idempotency_key) index for each pair).
 */
export async function existingCheckoutKeys(ctx: Ctx, pairs: { userId: string; key: string }[]): Promise<Set<string>> {
  const wanted = new Set(pairs.map((p) => checkoutKeyOf(p.userId, p.key)));
  const found = new Set<string>();
  // at most two bound parameters per pair, under D1's cap per query
  const per = Math.floor(D1_IN_CHUNK / 2);
  for (let i = 0; i < pairs.length; i += per) {
    const part = pairs.slice(i, i + per);
    const rows = await ctx.db
      .select({ userId: checkouts.userId, key: checkouts.idempotencyKey })
      .from(checkouts)
      .where(
        and(
          inArray(checkouts.userId, [...new Set(part.map((p) => p.userId))]),
          inArray(
            checkouts.idempotencyKey,
            part.map((p) => p.key),
          ),
        ),
      );
    for (const r of rows) if (wanted.has(checkoutKeyOf(r.userId, r.key))) found.add(checkoutKeyOf(r.userId, r.key));
  }
  return found;
}

/** Summaries of a checkout's orders (one per merchant). */
export async function listOrdersOfCheckout(ctx: Ctx, checkoutId: string): Promise<OrderSummaryDto[]> {
  const list = await ordersOfCheckout(ctx, checkoutId);
  const lines = await orderLinesOf(
    ctx,
    list.map((o) => o.id),
  );
  return list.map((o) =>
    summary(
      ctx,
      o,
      lines.filter((l) => l.orderId === o.id),
    ),
  );
}

export async function getCheckout(ctx: Ctx, checkoutId: string) {
  const [c] = await ctx.db.select().from(checkouts).where(eq(checkouts.id, checkoutId)).limit(1);
  if (!c) throw notFound('orders.checkout_not_found', `checkout ${checkoutId}`);
  return c;
}

function summary(ctx: Ctx, o: OrderRow, lines: OrderLineRow[]): OrderSummaryDto {
  const first = lines[0];
  return {
    id: o.id,
    orderNo: o.orderNo,
    checkoutId: o.checkoutId,
    merchantId: o.merchantId,
    status: o.status,
    goodsTotal: o.goodsTotal,
    discountTotal: o.discountTotal,
    shippingFee: o.shippingFee,
    payableTotal: o.payableTotal,
    paidTotal: o.paidTotal,
    refundedTotal: o.refundedTotal,
    itemCount: lines.reduce((a, l) => a + l.quantity, 0),
    firstLine: first ? { title: first.title, imageUrl: first.mediaKey ? mediaUrl(ctx.env, first.mediaKey) : null } : null,
    createdAt: iso(o.createdAt)!,
    expiresAt: o.status === 'pending_payment' ? iso(o.expiresAt) : null,
    promo: o.promoType && o.promoId ? { type: o.promoType, id: o.promoId, teamId: o.teamId } : null,
    awaitingGroup: o.fulfilmentHold === 'group_forming',
  };
}

/** Full order with lines, address and timeline. Merchants' support view masks the phone. */
export async function getOrderDetail(ctx: Ctx, orderId: string): Promise<OrderDetailDto> {
  const o = await getVisibleOrder(ctx, orderId);
  const lines = await orderLinesOf(ctx, [o.id]);
  const events = await ctx.db
    .select()
    .from(orderEvents)
    .where(eq(orderEvents.orderId, o.id))
    .orderBy(asc(orderEvents.createdAt), asc(orderEvents.id));
  const address = JSON.parse(await decryptPii(requireSecret(ctx.env, 'PII_KEYS'), o.addressEnc)) as OrderDetailDto['address'];
  const a = ctx.actor;
  if (a.kind === 'staff' && a.role === 'support') address.phone = maskPhone(address.phone);
  return {
    ...summary(ctx, o, lines),
    userId: o.userId,
    discounts: o.discounts,
    address,
    buyerNote: o.buyerNote,
    ...(a.kind === 'staff' ? { sellerNote: o.sellerNote } : {}),
    lines: lines.map((l) => ({
      id: l.id,
      skuId: l.skuId,
      productId: l.productId,
      title: l.title,
      specKey: l.specKey,
      imageUrl: l.mediaKey ? mediaUrl(ctx.env, l.mediaKey) : null,
      unitPrice: l.unitPrice,
      quantity: l.quantity,
      lineTotal: l.lineTotal,
      discountShare: l.discountShare,
      payable: l.payable,
      refundedQuantity: l.refundedQuantity,
      refundedAmount: l.refundedAmount,
    })),
    timeline: events.map((e) => ({
      type: e.type,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actorType: e.actorType,
      note: e.note,
      at: iso(e.createdAt)!,
    })),
    paidAt: iso(o.paidAt),
    shippedAt: iso(o.shippedAt),
    deliveredAt: iso(o.deliveredAt),
    completedAt: iso(o.completedAt),
    autoConfirmAt: iso(o.autoConfirmAt),
  };
}

async function pageOf(ctx: Ctx, conds: (SQL | undefined)[], q: { limit: number; cursor?: string }): Promise<Page<OrderSummaryDto>> {
  conds.push(olderThanCursor(orders, decodeCursor(q.cursor)));
  const rows = await ctx.db
    .select()
    .from(orders)
    .where(and(...conds))
    .orderBy(desc(orders.createdAt), desc(orders.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  const lines = await orderLinesOf(
    ctx,
    page.items.map((o) => o.id),
  );
  return {
    items: page.items.map((o) =>
      summary(
        ctx,
        o,
        lines.filter((l) => l.orderId === o.id),
      ),
    ),
    nextCursor: page.nextCursor,
  };
}

/** listOrders for the signed-in shopper, newest first, optionally by status. */
export function listMyOrders(ctx: Ctx, q: { limit: number; cursor?: string; status?: OrderStatus }): Promise<Page<OrderSummaryDto>> {
  return pageOf(ctx, [eq(orders.userId, shopperId(ctx)), q.status ? eq(orders.status, q.status) : undefined], q);
}

/** Admin order list with filters; merchant staff see their own merchant's orders only. */
export function listAdminOrders(ctx: Ctx, q: z.infer<typeof AdminListOrdersQuery>): Promise<Page<OrderSummaryDto>> {
  const scope = merchantScope(ctx);
  return pageOf(
    ctx,
    [
      scope ? eq(orders.merchantId, scope) : q.merchantId ? eq(orders.merchantId, q.merchantId) : undefined,
      q.status ? eq(orders.status, q.status) : undefined,
      q.userId ? eq(orders.userId, q.userId) : undefined,
      q.orderNo ? eq(orders.orderNo, q.orderNo) : undefined,
      q.createdFrom ? gte(orders.createdAt, Date.parse(q.createdFrom)) : undefined,
      q.createdTo ? lte(orders.createdAt, Date.parse(q.createdTo)) : undefined,
    ],
    q,
  );
}

/** Statements that return a pending order's reserved stock, each line exactly once (ref rel:<line>). */
export function releaseStockStatements(ctx: Ctx, lines: OrderLineRow[]): D1PreparedStatement[] {
  return lines.flatMap((l) =>
    stockChangeStatements(ctx, {
      skuId: l.skuId,
      productId: l.productId,
      change: { delta: l.quantity },
      reason: 'release',
      ref: `rel:${l.id}`,
    }),
  );
}

/**
 * Closes every pending order of a checkout (timeout or cancel) and returns their stock, all in
 * one batch guarded on the checkout still pending: a payment landing first, or a second close
 * (duplicate queue delivery), makes the whole batch a no-op. Returns false when it was not pending.
 * `extra` statements (other domains undoing their part, e.g. coupons) commit in the same batch.
 */
export async function closeCheckout(
  ctx: Ctx,
  checkoutId: string,
  to: 'closed' | 'cancelled',
  reason: string,
  extra: D1PreparedStatement[] = [],
): Promise<boolean> {
  const list = await ordersOfCheckout(ctx, checkoutId);
  const lines = await orderLinesOf(
    ctx,
    list.map((o) => o.id),
  );
  const d1 = ctx.env.DB;
  const stmts: D1PreparedStatement[] = [
    guard(d1, "SELECT status = 'pending_payment' FROM checkouts WHERE id = ?1", checkoutId),
    stmt(d1, ctx.db.update(checkouts).set({ status: 'closed' }).where(eq(checkouts.id, checkoutId))),
  ];
  for (const o of list) {
    stmts.push(
      ...transitionStatements(
        ctx,
        o.id,
        ['pending_payment'],
        to,
        to === 'closed' ? { closedAt: ctx.now, closeReason: reason } : { cancelledAt: ctx.now, closeReason: reason },
        { type: to === 'closed' ? 'payment_timeout' : 'cancelled', note: reason },
      ),
    );
  }
  // Units held by a Durable Object (flash sale, group buy) go back to its pool, not to normal stock.
  const heldOrders = new Set(list.filter((o) => o.holdId).map((o) => o.id));
  stmts.push(
    ...releaseStockStatements(
      ctx,
      lines.filter((l) => !heldOrders.has(l.orderId)),
    ),
    ...extra,
  );
  try {
    await d1.batch(stmts);
    return true;
  } catch (e) {
    if (batchFailure(e) === 'guard' || batchFailure(e) === 'unique') return false;
    throw e;
  }
}

/** Marks a checkout paid, guarded on it still pending (the batch aborts if the timeout closed it first). */
export function checkoutPaidStatements(ctx: Ctx, checkoutId: string): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  return [
    guard(d1, "SELECT status = 'pending_payment' FROM checkouts WHERE id = ?1", checkoutId),
    stmt(d1, ctx.db.update(checkouts).set({ status: 'paid' }).where(eq(checkouts.id, checkoutId))),
  ];
}

/** Unpaid checkouts that expired before `before` (the cron closes them if their timeout message was lost). */
export async function expiredPendingCheckoutIds(ctx: Ctx, before: number): Promise<string[]> {
  const rows = await ctx.db
    .select({ id: checkouts.id })
    .from(checkouts)
    .where(and(eq(checkouts.status, 'pending_payment'), lte(checkouts.expiresAt, before)))
    .limit(100);
  return rows.map((r) => r.id);
}

/** markDelivered: a carrier's delivered event moves a shipped order on; repeating it is a no-op. */
export async function markDelivered(ctx: Ctx, orderId: string, deliveredAt: number): Promise<void> {
  const o = await getOrderRow(ctx, orderId);
  if (o.status !== 'shipped') return;
  try {
    await ctx.env.DB.batch(
      transitionStatements(
        ctx,
        orderId,
        ['shipped'],
        'delivered',
        { deliveredAt, autoConfirmAt: deliveredAt + AUTO_CONFIRM_AFTER_DELIVERY_MS },
        { type: 'delivered', actorType: 'carrier' },
      ),
    );
  } catch (e) {
    if (batchFailure(e) !== 'guard') throw e; // someone else moved it on meanwhile: fine
  }
}

/** confirmReceipt by the shopper (shipped or delivered → completed). */
export async function confirmReceipt(ctx: Ctx, orderId: string): Promise<OrderDetailDto> {
  const o = await getVisibleOrder(ctx, orderId);
  requireShopper(ctx.actor, 'only the shopper confirms receipt');
  if (o.status === 'completed') return getOrderDetail(ctx, orderId);
  await runTransition(
    ctx,
    transitionStatements(
      ctx,
      orderId,
      ['shipped', 'delivered'],
      'completed',
      { completedAt: ctx.now, autoConfirmAt: null },
      { type: 'receipt_confirmed', from: o.status },
    ),
    'confirm receipt',
  );
  return getOrderDetail(ctx, orderId);
}

/** Completes orders whose auto-confirm time has passed (cron). Returns the ids completed. */
export async function autoConfirmDue(ctx: Ctx): Promise<string[]> {
  const due = await ctx.db
    .select({ id: orders.id, status: orders.status })
    .from(orders)
    .where(and(inArray(orders.status, ['shipped', 'delivered']), lte(orders.autoConfirmAt, ctx.now)))
    .limit(200);
  const done: string[] = [];
  for (const { id, status } of due) {
    try {
      await ctx.env.DB.batch(
        transitionStatements(ctx, id, [status], 'completed', { completedAt: ctx.now, autoConfirmAt: null }, { type: 'auto_confirmed' }),
      );
      done.push(id);
    } catch (e) {
      if (batchFailure(e) !== 'guard') throw e;
    }
  }
  return done;
}

/** Staff note on an order, recorded in the timeline. */
export async function addSellerNote(ctx: Ctx, orderId: string, note: string): Promise<OrderDetailDto> {
  const o = await getVisibleOrder(ctx, orderId);
  const d1 = ctx.env.DB;
  await d1.batch([
    stmt(
      d1,
      ctx.db
        .update(orders)
        .set({ sellerNote: o.sellerNote ? `${o.sellerNote}\n${note}` : note })
        .where(eq(orders.id, orderId)),
    ),
    orderEventStatement(ctx, orderId, { type: 'note', note }),
  ]);
  return getOrderDetail(ctx, orderId);
}

/** Of the given shoppers, those who have ever placed an order (any status). */
export async function usersWithOrders(ctx: Ctx, userIds: string[]): Promise<Set<string>> {
  const rows = await inChunks(userIds, D1_IN_CHUNK, (part) =>
    ctx.db.selectDistinct({ userId: orders.userId }).from(orders).where(inArray(orders.userId, part)),
  );
  return new Set(rows.map((r) => r.userId));
}
