// Refund counters on orders and order lines. After-sales and the refund flow never write these
// tables themselves: they ask for these statements and put them in their own batch, so the
// counters move in the same transaction as the after-sale's status.
import { and, eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { guard, stmt } from '../../shared/db';
import { orderLines, orders } from './schema';
import type { OrderLineRow } from './orders.service';

export interface LineRefund {
  orderLineId: string;
  quantity: number;
  /** Integer fen of the line's payable given back for `quantity`. */
  amount: number;
}

/**
 * Adds a refund to the order's counters: each line's refunded quantity/amount and the order's
 * refunded total (lines plus any shipping fee given back, so `orderAmount` ≥ Σ line amounts).
 * The tables' CHECK constraints (refunded_quantity ≤ quantity, refunded_amount ≤ payable,
 * refunded_total ≤ paid_total) make the whole batch fail rather than refund more than was paid.
 */
export function addRefundStatements(ctx: Ctx, orderId: string, lines: LineRefund[], orderAmount: number): D1PreparedStatement[] {
  return counterStatements(ctx, orderId, lines, orderAmount, 1);
}

/**
 * Marks every line of an order wholly refunded (a system refund of the whole order); the order's
 * own total is set by the caller's status transition in the same batch.
 */
export function fullRefundLineStatements(ctx: Ctx, lines: Pick<OrderLineRow, 'id' | 'quantity' | 'payable'>[]): D1PreparedStatement[] {
  return lines.map((l) =>
    stmt(
      ctx.env.DB,
      ctx.db.update(orderLines).set({ refundedQuantity: l.quantity, refundedAmount: l.payable }).where(eq(orderLines.id, l.id)),
    ),
  );
}

/**
 * Takes a refund back off the counters (WeChat closed the refund, no money moved). Amounts cannot
 * go negative (CHECK), so a reversal that was never added fails the batch instead.
 */
export function reverseRefundStatements(ctx: Ctx, orderId: string, lines: LineRefund[], orderAmount: number): D1PreparedStatement[] {
  return counterStatements(ctx, orderId, lines, orderAmount, -1);
}

function counterStatements(ctx: Ctx, orderId: string, lines: LineRefund[], orderAmount: number, sign: 1 | -1): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  const out: D1PreparedStatement[] = [];
  for (const l of lines) {
    out.push(
      // The line must belong to the order: otherwise the UPDATE would silently touch nothing.
      guard(d1, 'SELECT count(*) = 1 FROM order_lines WHERE id = ?1 AND order_id = ?2', l.orderLineId, orderId),
      stmt(
        d1,
        ctx.db
          .update(orderLines)
          .set({
            refundedQuantity: sql`${orderLines.refundedQuantity} + ${sign * l.quantity}`,
            refundedAmount: sql`${orderLines.refundedAmount} + ${sign * l.amount}`,
          })
          .where(and(eq(orderLines.id, l.orderLineId), eq(orderLines.orderId, orderId))),
      ),
    );
  }
  out.push(
    // refunded_quantity < 0 has no CHECK of its own; this keeps a bad reversal from committing.
    guard(d1, 'SELECT count(*) = 0 FROM order_lines WHERE order_id = ?1 AND (refunded_quantity < 0 OR refunded_amount < 0)', orderId),
    stmt(
      d1,
      ctx.db
        .update(orders)
        .set({ refundedTotal: sql`${orders.refundedTotal} + ${sign * orderAmount}`, version: sql`${orders.version} + 1` })
        .where(eq(orders.id, orderId)),
    ),
  );
  return out;
}

/**
 * Aborts the batch unless the lines' refund counters are still what the caller read: a decision
 * based on "how much is left to refund" must not commit after a refund moved the counters.
 */
export function refundCountersUnchangedGuards(
  ctx: Ctx,
  lines: Pick<OrderLineRow, 'id' | 'refundedQuantity' | 'refundedAmount'>[],
): D1PreparedStatement[] {
  return lines.map((l) =>
    guard(
      ctx.env.DB,
      'SELECT refunded_quantity = ?1 AND refunded_amount = ?2 FROM order_lines WHERE id = ?3',
      l.refundedQuantity,
      l.refundedAmount,
      l.id,
    ),
  );
}

/** Whether every unit of every line has been refunded (or is being refunded). */
export const allLinesRefunded = (lines: Pick<OrderLineRow, 'quantity' | 'refundedQuantity'>[]): boolean =>
  lines.length > 0 && lines.every((l) => l.refundedQuantity >= l.quantity);

/** The part of the order's refunded total that is not on any line: the shipping fee given back. */
export const shippingRefunded = (order: { refundedTotal: number }, lines: Pick<OrderLineRow, 'refundedAmount'>[]): number =>
  order.refundedTotal - lines.reduce((a, l) => a + l.refundedAmount, 0);

/** Aborts the batch unless the order is still in `status` (a decision depended on it). */
export function orderStatusGuard(ctx: Ctx, orderId: string, status: string): D1PreparedStatement {
  return guard(ctx.env.DB, 'SELECT status = ?1 FROM orders WHERE id = ?2', status, orderId);
}
