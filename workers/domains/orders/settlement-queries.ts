// Settlement's view of orders: which completed orders are due, and the statements that mark one
// settled inside the settlement flow's batch (the merchants domain adds the ledger credits).
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import type { Env } from '../../shared/env';
import { guard, stmt } from '../../shared/db';
import { orders } from './schema';

const DAY = 24 * 3600_000;
/** Days after completion during which after-sales requests are accepted (and settlement waits). */
export const AFTERSALE_WINDOW_DAYS_DEFAULT = 15;

/**
 * The after-sales window in ms: env AFTERSALE_WINDOW_DAYS (a positive number of days, fractions
 * allowed for demos) or 15 days. After-sales should use the same function so the two agree.
 */
export function afterSaleWindowMs(env: Pick<Env, 'AFTERSALE_WINDOW_DAYS'>): number {
  const days = Number(env.AFTERSALE_WINDOW_DAYS);
  return (env.AFTERSALE_WINDOW_DAYS && Number.isFinite(days) && days > 0 ? days : AFTERSALE_WINDOW_DAYS_DEFAULT) * DAY;
}

/** True once the after-sales window of an order completed at `completedAt` has closed. */
export const afterSaleWindowClosed = (env: Pick<Env, 'AFTERSALE_WINDOW_DAYS'>, completedAt: number, now: number) =>
  completedAt + afterSaleWindowMs(env) < now;

/**
 * Completed, unsettled orders whose after-sales window has closed, oldest first. Read from the
 * partial index that holds only completed, unsettled orders, so the sweep costs what is due, not
 * the order history. SQLite without statistics prefers the status index (every completed order,
 * then a sort), hence INDEXED BY: were the index dropped, this fails loudly instead of slowing down.
 */
export async function ordersDueForSettlement(ctx: Ctx, limit = 100): Promise<{ id: string; merchantId: string }[]> {
  const rows = await ctx.db.all<{ id: string; merchant_id: string }>(
    sql`SELECT id, merchant_id FROM ${orders} INDEXED BY orders_settlement_due_idx
        WHERE status = 'completed' AND settled_at IS NULL AND completed_at < ${ctx.now - afterSaleWindowMs(ctx.env)}
        ORDER BY completed_at, id LIMIT ${limit}`,
  );
  return rows.map((r) => ({ id: r.id, merchantId: r.merchant_id }));
}

/**
 * Marks an order settled, guarded on exactly the state the amounts were computed from: still
 * completed, unsettled, past the window and with the paid/refunded totals the caller read. A
 * refund landing in between, or a second settlement, aborts the whole batch.
 */
export function orderSettledStatements(ctx: Ctx, o: { id: string; paidTotal: number; refundedTotal: number }): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  return [
    guard(
      d1,
      "SELECT status = 'completed' AND settled_at IS NULL AND completed_at < ?2 AND paid_total = ?3 AND refunded_total = ?4 FROM orders WHERE id = ?1",
      o.id,
      ctx.now - afterSaleWindowMs(ctx.env),
      o.paidTotal,
      o.refundedTotal,
    ),
    stmt(
      d1,
      ctx.db
        .update(orders)
        .set({ settledAt: ctx.now })
        .where(and(eq(orders.id, o.id), isNull(orders.settledAt))),
    ),
  ];
}
