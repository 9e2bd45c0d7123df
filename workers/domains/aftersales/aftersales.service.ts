// After-sales requests (仅退款 / 退货退款 / 换货) on part of an order: the shopper's side and the
// reads. Money and stock are not moved here: workers/flows/refund.ts does that, in one batch with
// the status changes built in ./transitions.ts.
import { afterSaleWindowClosed, afterSaleWindowMs } from '../orders/settlement-queries';
import { and, desc, eq, inArray, lt, ne, or, type SQL } from 'drizzle-orm';
import { type Ctx, requireShopper, shopperId } from '../../shared/context';
import { batchFailure, guard, iso, stmt } from '../../shared/db';
import { conflict, forbidden, notFound } from '../../shared/errors';
import { fenToYuan } from '../../shared/money';
import { newId } from '../../shared/ids';
import { sha256Hex } from '../../shared/crypto';
import { decodeCursor, toPage, type Page } from '../../shared/pagination';
import { merchantScope } from '../catalog/access';
import { assertMediaKeys, mediaUrl } from '../media/media.service';
import { getVisibleOrder, orderLinesOf, type OrderLineRow, type OrderRow } from '../orders/orders.service';
import { orderEventStatement } from '../orders/order-events';
import { orderStatusGuard, refundCountersUnchangedGuards, shippingRefunded } from '../orders/refund-lines';
import { refundsOfAfterSales } from '../payments/refunds.service';
import { findCarrier } from '../logistics/shipments.service';
import { aftersaleLines, aftersales, type AFTERSALE_STATUSES, type AFTERSALE_TYPES } from './schema';
import { afterSaleTransition, runAfterSaleBatch, timelineEntry, TYPE_LABEL } from './transitions';
import type { AdminListAfterSalesQuery, AfterSaleDto, ApplyAfterSale, ListMyAfterSalesQuery } from './dto';
import type { z } from '@hono/zod-openapi';

export type AfterSaleRow = typeof aftersales.$inferSelect;
export type AfterSaleLineRow = typeof aftersaleLines.$inferSelect;
export type AfterSaleStatus = (typeof AFTERSALE_STATUSES)[number];
export type AfterSaleType = (typeof AFTERSALE_TYPES)[number];

const DAY = 24 * 3600_000;
/** A completed order accepts after-sales requests for this long after completion. */

/**
 * Statuses whose units are reserved but not yet counted in order_lines.refunded_*: a new request
 * may only take what is neither refunded nor reserved. `refunding` and `refunded` are already in
 * the order's counters; rejected, cancelled and exchanged reserve nothing.
 */
export const OPEN_STATUSES = ['requested', 'approved', 'returning', 'received'] as const satisfies readonly AfterSaleStatus[];
const OPEN_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

const ORDER_STATUSES_ALLOWED = ['paid', 'shipped', 'delivered', 'completed'] as const;

// ---- reads ---------------------------------------------------------------------------------

export async function getAfterSaleRow(ctx: Ctx, id: string): Promise<AfterSaleRow> {
  const [r] = await ctx.db.select().from(aftersales).where(eq(aftersales.id, id)).limit(1);
  if (!r) throw notFound('aftersales.not_found', `after-sale ${id}`);
  return r;
}

export async function linesOfAfterSales(ctx: Ctx, ids: string[]): Promise<AfterSaleLineRow[]> {
  if (ids.length === 0) return [];
  return ctx.db.select().from(aftersaleLines).where(inArray(aftersaleLines.aftersaleId, ids));
}

/**
 * The after-sale if the actor may see it: its shopper, platform staff, or staff of its merchant.
 * Anyone else gets 404, so ids cannot be probed.
 */
export async function getVisibleAfterSale(ctx: Ctx, id: string): Promise<AfterSaleRow> {
  const r = await getAfterSaleRow(ctx, id).catch(() => null);
  const a = ctx.actor;
  const visible =
    r &&
    ((a.kind === 'user' && r.userId === a.userId) ||
      (a.kind === 'staff' && (a.role !== 'merchant' || a.merchantId === r.merchantId)) ||
      a.kind === 'system');
  if (!visible) throw notFound('aftersales.not_found', `after-sale ${id}`);
  return r!;
}

/** Units and amounts reserved by open after-sales, per order line (exchanges reserve units, no money). */
async function reservations(
  ctx: Ctx,
  orderId: string,
): Promise<{ byLine: Map<string, { quantity: number; refundQuantity: number; amount: number }>; openCount: number }> {
  const open = await ctx.db
    .select({ id: aftersales.id, type: aftersales.type })
    .from(aftersales)
    .where(and(eq(aftersales.orderId, orderId), inArray(aftersales.status, [...OPEN_STATUSES])));
  const lines = await linesOfAfterSales(
    ctx,
    open.map((o) => o.id),
  );
  const typeOf = new Map(open.map((o) => [o.id, o.type]));
  const byLine = new Map<string, { quantity: number; refundQuantity: number; amount: number }>();
  for (const l of lines) {
    const r = byLine.get(l.orderLineId) ?? { quantity: 0, refundQuantity: 0, amount: 0 };
    r.quantity += l.quantity;
    if (typeOf.get(l.aftersaleId) !== 'exchange') r.refundQuantity += l.quantity;
    r.amount += l.amount;
    byLine.set(l.orderLineId, r);
  }
  return { byLine, openCount: open.length };
}

/**
 * After-sales of the order still in progress (open or refunding): shipping waits for a pending
 * refund-only request, and settlement waits until every request is finished.
 */
export async function unfinishedAfterSales(
  ctx: Ctx,
  orderId: string,
): Promise<{ id: string; type: AfterSaleType; status: AfterSaleStatus }[]> {
  return ctx.db
    .select({ id: aftersales.id, type: aftersales.type, status: aftersales.status })
    .from(aftersales)
    .where(and(eq(aftersales.orderId, orderId), inArray(aftersales.status, [...OPEN_STATUSES, 'refunding'])));
}

/** Other after-sales of the order whose refund is still under way. */
export async function otherRefundingCount(ctx: Ctx, orderId: string, exceptId: string): Promise<number> {
  const rows = await ctx.db
    .select({ id: aftersales.id })
    .from(aftersales)
    .where(and(eq(aftersales.orderId, orderId), eq(aftersales.status, 'refunding'), ne(aftersales.id, exceptId)));
  return rows.length;
}

// ---- money ---------------------------------------------------------------------------------

/**
 * The paid share of `quantity` units of a line: payable × qty / line qty, floored to whole fen.
 * The request that makes every unit refunded takes the exact remainder, so a line refunded in
 * several parts adds up to its payable, never a fen more or less.
 */
export function lineRefundShare(
  line: Pick<OrderLineRow, 'quantity' | 'payable' | 'refundedQuantity' | 'refundedAmount'>,
  reserved: { refundQuantity: number; amount: number },
  quantity: number,
): number {
  const left = line.payable - line.refundedAmount - reserved.amount;
  if (line.refundedQuantity + reserved.refundQuantity + quantity >= line.quantity) return Math.max(0, left);
  return Math.max(0, Math.min(left, Math.floor((line.payable * quantity) / line.quantity)));
}

/**
 * Splits a requested total below the default over the parts, each at most its default share:
 * proportional first, then the leftover fen to the first parts with room.
 */
export function splitAmount(total: number, caps: number[]): number[] {
  const full = caps.reduce((a, c) => a + c, 0);
  if (total >= full) return [...caps];
  const out = caps.map((c) => (full === 0 ? 0 : Math.floor((c * total) / full)));
  let left = total - out.reduce((a, c) => a + c, 0);
  for (let i = 0; i < out.length && left > 0; i++) {
    const add = Math.min(left, caps[i]! - out[i]!);
    out[i]! += add;
    left -= add;
  }
  return out;
}

// ---- the shopper's side --------------------------------------------------------------------

const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A retried request with the same Idempotency-Key maps to the same id, so the primary key dedupes it. */
async function afterSaleIdFor(userId: string, key: string): Promise<string> {
  const hex = await sha256Hex(`aftersale:${userId}:${key}`);
  let out = '';
  for (let i = 0; i < 16; i++) out += ID_ALPHABET[parseInt(hex.slice(i * 2, i * 2 + 2), 16) & 31];
  return `afs_${out}`;
}

interface Plan {
  lines: { orderLine: OrderLineRow; quantity: number; amount: number }[];
  shippingRefund: number;
  refundAmount: number;
}

/** Decides what a request may take, from the order's lines and what is already refunded or reserved. */
function planRequest(
  order: OrderRow,
  orderLines: OrderLineRow[],
  res: Awaited<ReturnType<typeof reservations>>,
  input: ApplyAfterSale,
): Plan {
  const byId = new Map(orderLines.map((l) => [l.id, l]));
  const lines: Plan['lines'] = [];
  for (const want of input.lines) {
    const ol = byId.get(want.orderLineId);
    if (!ol) throw notFound('aftersales.order_line_not_found', `order line ${want.orderLineId} of this order`);
    const r = res.byLine.get(ol.id) ?? { quantity: 0, refundQuantity: 0, amount: 0 };
    const available = ol.quantity - ol.refundedQuantity - r.quantity;
    if (want.quantity > available)
      throw conflict('aftersales.quantity_exceeded', `only ${Math.max(0, available)} of ${ol.title} can still be returned or refunded`, {
        orderLineId: ol.id,
        requested: want.quantity,
        available: Math.max(0, available),
        refunded: ol.refundedQuantity,
        inProgress: r.quantity,
      });
    lines.push({ orderLine: ol, quantity: want.quantity, amount: input.type === 'exchange' ? 0 : lineRefundShare(ol, r, want.quantity) });
  }
  if (input.type === 'exchange') {
    if (input.refundAmount !== undefined)
      throw conflict('aftersales.exchange_has_no_refund', 'an exchange moves no money; leave out refundAmount');
    return { lines, shippingRefund: 0, refundAmount: 0 };
  }
  // Refunding a whole order before it ships gives the shipping fee back too ("cancel a paid order").
  const wantQty = new Map(lines.map((l) => [l.orderLine.id, l.quantity]));
  const wholeOrder =
    order.status === 'paid' && res.openCount === 0 && orderLines.every((l) => l.refundedQuantity + (wantQty.get(l.id) ?? 0) === l.quantity);
  const shippingCap = wholeOrder ? Math.max(0, order.shippingFee - shippingRefunded(order, orderLines)) : 0;
  const caps = [...lines.map((l) => l.amount), shippingCap];
  const max = caps.reduce((a, c) => a + c, 0);
  const total = input.refundAmount ?? max;
  if (total > max)
    throw conflict('aftersales.amount_exceeded', `at most ${fenToYuan(max)} yuan can be refunded for these items`, {
      requested: total,
      max,
    });
  if (total <= 0) throw conflict('aftersales.nothing_to_refund', 'nothing is left to refund for these items');
  const split = splitAmount(total, caps);
  return { lines: lines.map((l, i) => ({ ...l, amount: split[i]! })), shippingRefund: split[caps.length - 1]!, refundAmount: total };
}

/**
 * applyAfterSale: a shopper asks for a refund, a return or an exchange of some units of some
 * lines. Checked against what is neither refunded nor reserved by another open request, and
 * committed with guards that the order, its refund counters and the reservations are still what
 * was read — so concurrent requests can never reserve the same unit or fen twice.
 * With an Idempotency-Key a retry returns the first result.
 */
export async function applyAfterSale(
  ctx: Ctx,
  orderId: string,
  input: ApplyAfterSale,
  idempotencyKey?: string,
): Promise<{ afterSale: AfterSaleDto; replayed: boolean }> {
  const a = requireShopper(ctx.actor, 'only the shopper applies for after-sales');
  const id = idempotencyKey ? await afterSaleIdFor(a.userId, idempotencyKey) : newId('afs');
  const replay = async () => {
    const [prev] = await ctx.db.select().from(aftersales).where(eq(aftersales.id, id)).limit(1);
    if (!prev) return null;
    if (prev.orderId !== orderId || prev.userId !== a.userId)
      throw conflict('aftersales.idempotency_key_reused', 'this Idempotency-Key was used for another request');
    return { afterSale: (await toDtos(ctx, [prev]))[0]!, replayed: true };
  };
  if (idempotencyKey) {
    const prev = await replay();
    if (prev) return prev;
  }

  const order = await getVisibleOrder(ctx, orderId);
  if (!(ORDER_STATUSES_ALLOWED as readonly string[]).includes(order.status))
    throw conflict('aftersales.order_not_eligible', `a ${order.status} order does not accept after-sales requests`);
  // One window for requests and for settlement (AFTERSALE_WINDOW_DAYS), so they cannot drift apart.
  if (order.status === 'completed' && afterSaleWindowClosed(ctx.env, order.completedAt ?? 0, ctx.now))
    throw conflict(
      'aftersales.window_closed',
      `after-sales requests close ${afterSaleWindowMs(ctx.env) / DAY} days after the order completes`,
    );
  // A member refunded while the team forms would still count as a seat; a team that never forms
  // refunds everyone in full by itself (flows/group-buy-outcome). The hold only ever clears, so
  // reading it once is enough.
  if (order.fulfilmentHold === 'group_forming')
    throw conflict(
      'aftersales.awaiting_group',
      'this group-buy order waits for its team to form; if it does not form in time it is refunded in full automatically',
    );
  if (order.status === 'paid' && input.type !== 'refund_only')
    throw conflict('aftersales.not_shipped', 'the order has not shipped yet: ask for a refund (refund_only) instead');
  await assertMediaKeys(ctx, input.photoKeys);

  for (let attempt = 0; attempt < 5; attempt++) {
    const current = attempt === 0 ? order : await getVisibleOrder(ctx, orderId);
    const orderLines = await orderLinesOf(ctx, [orderId]);
    const res = await reservations(ctx, orderId);
    const plan = planRequest(current, orderLines, res, input);
    const d1 = ctx.env.DB;
    const lineRows = plan.lines.map((l) => ({
      id: newId('asl'),
      aftersaleId: id,
      orderLineId: l.orderLine.id,
      quantity: l.quantity,
      amount: l.amount,
    }));
    const units = plan.lines.reduce((n, l) => n + l.quantity, 0);
    const stmts: D1PreparedStatement[] = [
      // What the plan was computed from must still hold when it commits.
      orderStatusGuard(ctx, orderId, current.status),
      ...refundCountersUnchangedGuards(ctx, orderLines),
      guard(d1, `SELECT count(*) = ?1 FROM aftersales WHERE order_id = ?2 AND status IN (${OPEN_SQL})`, res.openCount, orderId),
      ...plan.lines.map((l) => {
        const r = res.byLine.get(l.orderLine.id) ?? { quantity: 0, amount: 0 };
        return guard(
          d1,
          `SELECT COALESCE(SUM(al.quantity), 0) = ?1 AND COALESCE(SUM(al.amount), 0) = ?2
           FROM aftersale_lines al JOIN aftersales a ON a.id = al.aftersale_id
           WHERE al.order_line_id = ?3 AND a.status IN (${OPEN_SQL})`,
          r.quantity,
          r.amount,
          l.orderLine.id,
        );
      }),
      stmt(
        d1,
        ctx.db.insert(aftersales).values({
          id,
          orderId,
          userId: a.userId,
          merchantId: current.merchantId,
          type: input.type,
          status: 'requested',
          reason: input.reason,
          description: input.description,
          photoKeys: input.photoKeys,
          refundAmount: plan.refundAmount,
          idempotencyKey: idempotencyKey ?? null,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        }),
      ),
      ...lineRows.map((r) => stmt(d1, ctx.db.insert(aftersaleLines).values(r))),
      orderEventStatement(ctx, orderId, {
        type: 'aftersale_requested',
        note: `${TYPE_LABEL[input.type]}申请 · ${units}件${input.type === 'exchange' ? '' : ` · 退款¥${fenToYuan(plan.refundAmount)}`} · ${input.reason}`,
        data: { afterSaleId: id, type: input.type, refundAmount: plan.refundAmount },
      }),
    ];
    try {
      await d1.batch(stmts);
      return { afterSale: (await toDtos(ctx, [await getAfterSaleRow(ctx, id)]))[0]!, replayed: false };
    } catch (e) {
      const kind = batchFailure(e);
      if (kind !== 'guard' && kind !== 'unique') throw e;
      // A concurrent retry of the same key may have won.
      if (idempotencyKey) {
        const prev = await replay();
        if (prev) return prev;
      }
      if (kind === 'unique') throw e;
      // Someone else changed the order or its reservations meanwhile: plan again from fresh reads.
    }
  }
  throw conflict('aftersales.busy', 'the order is being changed by other requests; try again');
}

async function ownAfterSale(ctx: Ctx, id: string): Promise<AfterSaleRow> {
  requireShopper(ctx.actor, "this is the shopper's action");
  return getVisibleAfterSale(ctx, id);
}

/** The shopper withdraws a request that nobody has reviewed yet; repeating it is harmless. */
export async function cancelAfterSale(ctx: Ctx, id: string): Promise<AfterSaleDto> {
  const as = await ownAfterSale(ctx, id);
  if (as.status !== 'cancelled') {
    if (as.status !== 'requested') throw conflict('aftersales.invalid_state', `a ${as.status} after-sale can no longer be cancelled`);
    await runAfterSaleBatch(
      ctx,
      [
        ...afterSaleTransition(ctx, as, ['requested'], 'cancelled', { completedAt: ctx.now }),
        timelineEntry(ctx, as, { type: 'aftersale_cancelled', note: `买家撤销${TYPE_LABEL[as.type]}申请` }),
      ],
      'cancel the after-sale',
    );
  }
  return getAfterSaleDto(ctx, id);
}

/** The shopper sent the goods back (approved return or exchange): carrier and tracking number. */
export async function submitReturnShipment(ctx: Ctx, id: string, input: { carrier: string; trackingNo: string }): Promise<AfterSaleDto> {
  const as = await ownAfterSale(ctx, id);
  if (as.type === 'refund_only') throw conflict('aftersales.no_return_needed', 'a refund-only after-sale has nothing to send back');
  const carrier = findCarrier(input.carrier)?.code ?? input.carrier.trim();
  const trackingNo = input.trackingNo.trim().toUpperCase();
  if (as.status === 'returning' && as.returnCarrier === carrier && as.returnTrackingNo === trackingNo) return getAfterSaleDto(ctx, id);
  if (as.status !== 'approved' && as.status !== 'returning')
    throw conflict('aftersales.invalid_state', `the return can be sent once the request is approved; it is ${as.status}`);
  await runAfterSaleBatch(
    ctx,
    [
      ...afterSaleTransition(ctx, as, ['approved', 'returning'], 'returning', { returnCarrier: carrier, returnTrackingNo: trackingNo }),
      timelineEntry(ctx, as, { type: 'return_shipped', note: `买家退回商品 ${carrier} ${trackingNo}`, data: { carrier, trackingNo } }),
    ],
    'record the return shipment',
  );
  return getAfterSaleDto(ctx, id);
}

// ---- staff -----------------------------------------------------------------------------------

/** The after-sale for a staff action: visible to them (merchants: their own) or 404. */
export async function afterSaleForStaff(ctx: Ctx, id: string): Promise<AfterSaleRow> {
  if (ctx.actor.kind !== 'staff' && ctx.actor.kind !== 'system') throw forbidden('this is a staff action');
  return getVisibleAfterSale(ctx, id);
}

// ---- lists and DTOs -------------------------------------------------------------------------

export async function getAfterSaleDto(ctx: Ctx, id: string): Promise<AfterSaleDto> {
  return (await toDtos(ctx, [await getVisibleAfterSale(ctx, id)]))[0]!;
}

async function toDtos(ctx: Ctx, rows: AfterSaleRow[]): Promise<AfterSaleDto[]> {
  const ids = rows.map((r) => r.id);
  const [lines, refunds] = await Promise.all([linesOfAfterSales(ctx, ids), refundsOfAfterSales(ctx, ids)]);
  const orderLineById = new Map((await orderLinesOf(ctx, [...new Set(rows.map((r) => r.orderId))])).map((l) => [l.id, l]));
  return rows.map((r) => {
    const mine = lines.filter((l) => l.aftersaleId === r.id).sort((x, y) => x.orderLineId.localeCompare(y.orderLineId));
    const refund = refunds.find((f) => f.aftersaleId === r.id);
    return {
      id: r.id,
      orderId: r.orderId,
      userId: r.userId,
      merchantId: r.merchantId,
      type: r.type,
      status: r.status,
      reason: r.reason,
      description: r.description,
      photos: r.photoKeys.map((key) => ({ key, url: mediaUrl(ctx.env, key) })),
      refundAmount: r.refundAmount,
      shippingRefund: r.refundAmount - mine.reduce((a, l) => a + l.amount, 0),
      rejectReason: r.rejectReason,
      returnCarrier: r.returnCarrier,
      returnTrackingNo: r.returnTrackingNo,
      lines: mine.map((l) => {
        const ol = orderLineById.get(l.orderLineId);
        return {
          id: l.id,
          orderLineId: l.orderLineId,
          skuId: ol?.skuId ?? '',
          title: ol?.title ?? '',
          specKey: ol?.specKey ?? '',
          quantity: l.quantity,
          amount: l.amount,
        };
      }),
      refund: refund
        ? { outRefundNo: refund.id, status: refund.status, amount: refund.amount, succeededAt: iso(refund.succeededAt) }
        : null,
      createdAt: iso(r.createdAt)!,
      updatedAt: iso(r.updatedAt)!,
      reviewedAt: iso(r.reviewedAt),
      completedAt: iso(r.completedAt),
    };
  });
}

async function pageOf(ctx: Ctx, conds: (SQL | undefined)[], q: { limit: number; cursor?: string }): Promise<Page<AfterSaleDto>> {
  const cur = decodeCursor(q.cursor);
  if (cur) conds.push(or(lt(aftersales.createdAt, Number(cur.v)), and(eq(aftersales.createdAt, Number(cur.v)), lt(aftersales.id, cur.id))));
  const rows = await ctx.db
    .select()
    .from(aftersales)
    .where(and(...conds))
    .orderBy(desc(aftersales.createdAt), desc(aftersales.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  return { items: await toDtos(ctx, page.items), nextCursor: page.nextCursor };
}

/** listMyAfterSales: the signed-in shopper's requests, newest first. */
export function listMyAfterSales(ctx: Ctx, q: z.infer<typeof ListMyAfterSalesQuery>): Promise<Page<AfterSaleDto>> {
  return pageOf(
    ctx,
    [
      eq(aftersales.userId, shopperId(ctx)),
      q.status ? eq(aftersales.status, q.status) : undefined,
      q.orderId ? eq(aftersales.orderId, q.orderId) : undefined,
    ],
    q,
  );
}

/** listAdminAfterSales: filters by status, merchant, order, shopper and type; merchant staff see their own merchant only. */
export function listAdminAfterSales(ctx: Ctx, q: z.infer<typeof AdminListAfterSalesQuery>): Promise<Page<AfterSaleDto>> {
  const scope = merchantScope(ctx);
  // A merchant account without a merchant would otherwise read as platform staff: it sees nothing.
  if (ctx.actor.kind === 'staff' && ctx.actor.role === 'merchant' && !scope) return Promise.resolve({ items: [], nextCursor: null });
  return pageOf(
    ctx,
    [
      scope ? eq(aftersales.merchantId, scope) : q.merchantId ? eq(aftersales.merchantId, q.merchantId) : undefined,
      q.status ? eq(aftersales.status, q.status) : undefined,
      q.orderId ? eq(aftersales.orderId, q.orderId) : undefined,
      q.userId ? eq(aftersales.userId, q.userId) : undefined,
      q.type ? eq(aftersales.type, q.type) : undefined,
    ],
    q,
  );
}
