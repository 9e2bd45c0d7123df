// What points and stored balance paid for in an order, and giving it back: in full when an unpaid
// order closes or is cancelled, pro rata to the refunded units after an after-sales refund. The
// statements go into the caller's batch (the order's creation, its close, the refund's result), so
// the ledger moves in the same transaction as the order; unique ledger refs and the CHECKed
// `*_returned` counters make every return happen once.
import { eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { guard, stmt } from '../../../shared/db';
import { pointsEntryStatement, spendPointsStatements } from '../points.service';
import { spendWalletStatements, walletEntryStatement } from '../wallet/wallet.service';
import { orderDeductions } from './schema';

type DeductionRow = typeof orderDeductions.$inferSelect;

export interface OrderLineDeduction {
  orderLineId: string;
  orderId: string;
  quantity: number;
  points: number;
  pointsFen: number;
  balanceFen: number;
}

/**
 * createOrder's statements: the guarded spends (ledger refs `checkout:<checkoutId>`, reason
 * 'checkout') and one deduction row per line that used any. A balance too small for the spend
 * fails the whole batch with a 'guard' failure — no order, nothing spent. A retried createOrder
 * never gets here twice: its checkout row (unique per shopper and Idempotency-Key) fails first.
 */
export function checkoutDeductionStatements(
  ctx: Ctx,
  c: { checkoutId: string; userId: string; lines: OrderLineDeduction[] },
): D1PreparedStatement[] {
  const used = c.lines.filter((l) => l.points > 0 || l.balanceFen > 0);
  const points = used.reduce((a, l) => a + l.points, 0);
  const balance = used.reduce((a, l) => a + l.balanceFen, 0);
  const ref = `checkout:${c.checkoutId}`;
  return [
    ...(points > 0 ? spendPointsStatements(ctx, { userId: c.userId, amount: points, reason: 'checkout', ref }) : []),
    ...(balance > 0 ? spendWalletStatements(ctx, { userId: c.userId, amount: balance, reason: 'checkout', ref }) : []),
    ...used.map((l) =>
      stmt(
        ctx.env.DB,
        ctx.db.insert(orderDeductions).values({
          orderLineId: l.orderLineId,
          orderId: l.orderId,
          checkoutId: c.checkoutId,
          userId: c.userId,
          quantity: l.quantity,
          points: l.points,
          pointsFen: l.pointsFen,
          balanceFen: l.balanceFen,
          createdAt: ctx.now,
        }),
      ),
    ),
  ];
}

/** Points and balance (fen) an order's lines used, for its detail and the console. */
export async function deductionsOfOrders(ctx: Ctx, orderIds: string[]): Promise<DeductionRow[]> {
  if (orderIds.length === 0) return [];
  return ctx.db.select().from(orderDeductions).where(inArray(orderDeductions.orderId, orderIds));
}

/**
 * Statements that give back `rows`' remaining points and balance as one ledger entry each under
 * `ref` (reason 'checkout_refund'), each counter moved with a guard that it is still what was read:
 * a concurrent return of the same line aborts the caller's batch instead of giving back twice.
 */
function returnStatements(
  ctx: Ctx,
  userId: string,
  ref: string,
  parts: { row: DeductionRow; quantity: number; points: number; balance: number }[],
): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  const live = parts.filter((p) => p.points > 0 || p.balance > 0 || p.quantity > 0);
  if (live.length === 0) return [];
  const points = live.reduce((a, p) => a + p.points, 0);
  const balance = live.reduce((a, p) => a + p.balance, 0);
  const out: D1PreparedStatement[] = [];
  for (const p of live)
    out.push(
      guard(
        d1,
        'SELECT quantity_returned = ?1 AND points_returned = ?2 AND balance_returned = ?3 FROM order_deductions WHERE order_line_id = ?4',
        p.row.quantityReturned,
        p.row.pointsReturned,
        p.row.balanceReturned,
        p.row.orderLineId,
      ),
      d1
        .prepare(
          'UPDATE order_deductions SET quantity_returned = quantity_returned + ?1, points_returned = points_returned + ?2, balance_returned = balance_returned + ?3 WHERE order_line_id = ?4',
        )
        .bind(p.quantity, p.points, p.balance, p.row.orderLineId),
    );
  if (points > 0) out.push(pointsEntryStatement(ctx, { userId, delta: points, reason: 'checkout_refund', ref }));
  if (balance > 0) out.push(walletEntryStatement(ctx, { userId, delta: balance, reason: 'checkout_refund', ref }));
  return out;
}

/**
 * An unpaid checkout closes or is cancelled: every order gives back all its points and balance
 * (ref `checkout_refund:<orderId>`). Goes into closeCheckout's batch, which is guarded on the
 * checkout still pending, so a duplicate close gives back nothing.
 */
export async function releaseCheckoutDeductionStatements(ctx: Ctx, checkoutId: string): Promise<D1PreparedStatement[]> {
  const rows = await ctx.db.select().from(orderDeductions).where(eq(orderDeductions.checkoutId, checkoutId));
  return wholeOrderReturns(ctx, rows);
}

/** A paid order refunded in full by the system (nothing shipped): all its points and balance back, ref `checkout_refund:<orderId>`. */
export async function releaseOrderDeductionStatements(ctx: Ctx, orderId: string): Promise<D1PreparedStatement[]> {
  return wholeOrderReturns(ctx, await deductionsOfOrders(ctx, [orderId]));
}

function wholeOrderReturns(ctx: Ctx, rows: DeductionRow[]): D1PreparedStatement[] {
  const byOrder = new Map<string, DeductionRow[]>();
  for (const r of rows) byOrder.set(r.orderId, [...(byOrder.get(r.orderId) ?? []), r]);
  return [...byOrder].flatMap(([orderId, list]) =>
    returnStatements(
      ctx,
      list[0]!.userId,
      `checkout_refund:${orderId}`,
      list.map((row) => ({
        row,
        quantity: row.quantity - row.quantityReturned,
        points: row.points - row.pointsReturned,
        balance: row.balanceFen - row.balanceReturned,
      })),
    ),
  );
}

/**
 * The share of a line's points or balance for `quantity` more refunded units: proportional and
 * rounded down, except that the refund completing the line gives back everything left — so the
 * parts of several partial refunds add up to exactly what was used.
 */
export function shareFor(total: number, returned: number, lineQty: number, qtyReturned: number, quantity: number): number {
  if (qtyReturned + quantity >= lineQty) return total - returned;
  return Math.min(total - returned, Math.floor((total * quantity) / lineQty));
}

/**
 * An after-sales refund succeeded for these lines and units: their share of points and balance
 * goes back (ref `aftersale_refund:<afterSaleId>`, reason 'checkout_refund'). Goes into the batch
 * that records the refund's result, which is deduped on the notification and guarded on the
 * after-sale still refunding; the ledger ref makes a second application fail instead of paying twice.
 */
export async function refundDeductionStatements(
  ctx: Ctx,
  afterSaleId: string,
  lines: { orderLineId: string; quantity: number }[],
): Promise<D1PreparedStatement[]> {
  if (lines.length === 0) return [];
  const rows = await ctx.db
    .select()
    .from(orderDeductions)
    .where(
      inArray(
        orderDeductions.orderLineId,
        lines.map((l) => l.orderLineId),
      ),
    );
  if (rows.length === 0) return [];
  const qty = new Map<string, number>();
  for (const l of lines) qty.set(l.orderLineId, (qty.get(l.orderLineId) ?? 0) + l.quantity);
  return returnStatements(
    ctx,
    rows[0]!.userId,
    `aftersale_refund:${afterSaleId}`,
    rows.map((row) => {
      const q = Math.min(qty.get(row.orderLineId) ?? 0, row.quantity - row.quantityReturned);
      return {
        row,
        quantity: q,
        points: q > 0 ? shareFor(row.points, row.pointsReturned, row.quantity, row.quantityReturned, q) : 0,
        balance: q > 0 ? shareFor(row.balanceFen, row.balanceReturned, row.quantity, row.quantityReturned, q) : 0,
      };
    }),
  );
}
