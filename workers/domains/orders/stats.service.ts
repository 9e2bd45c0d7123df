// The orders domain's figures for the admin dashboard: paid orders, refunds and the shipping
// backlog in a time window, optionally for one merchant. Other domains call these, never the tables.
import type { Ctx } from '../../shared/context';

export interface OrderStatsWindow {
  /** epoch ms, inclusive */
  from: number;
  /** epoch ms, exclusive */
  to: number;
  /** only this merchant's orders (merchant staff); null: the whole platform */
  merchantId: string | null;
}

const merchantClause = (merchantId: string | null, col = 'merchant_id') => (merchantId ? ` AND ${col} = ?3` : '');
const binds = (w: OrderStatsWindow) => (w.merchantId ? [w.from, w.to, w.merchantId] : [w.from, w.to]);

/** Orders paid in the window: GMV (Σ payable_total, fen), their count and the distinct shoppers who paid. */
export async function paidOrderTotals(ctx: Ctx, w: OrderStatsWindow): Promise<{ gmv: number; orders: number; shoppers: number }> {
  const row = await ctx.env.DB.prepare(
    `SELECT coalesce(sum(payable_total), 0) AS gmv, count(*) AS orders, count(DISTINCT user_id) AS shoppers
       FROM orders WHERE paid_at >= ?1 AND paid_at < ?2${merchantClause(w.merchantId)}`,
  )
    .bind(...binds(w))
    .first<{ gmv: number; orders: number; shoppers: number }>();
  return { gmv: row?.gmv ?? 0, orders: row?.orders ?? 0, shoppers: row?.shoppers ?? 0 };
}

/**
 * Paid GMV and order count per local day (days start at UTC midnight + `offsetMs`, e.g. −8 h
 * for Asia/Shanghai); days without orders are absent. `dayStart` is the day's first epoch ms.
 */
export async function paidOrdersByDay(
  ctx: Ctx,
  w: OrderStatsWindow,
  offsetMs: number,
): Promise<{ dayStart: number; gmv: number; orders: number }[]> {
  const DAY = 86_400_000;
  const { results } = await ctx.env.DB.prepare(
    `SELECT (paid_at - ${Math.trunc(offsetMs)}) / ${DAY} AS d, coalesce(sum(payable_total), 0) AS gmv, count(*) AS orders
       FROM orders WHERE paid_at >= ?1 AND paid_at < ?2${merchantClause(w.merchantId)}
      GROUP BY d ORDER BY d`,
  )
    .bind(...binds(w))
    .all<{ d: number; gmv: number; orders: number }>();
  return results.map((r) => ({ dayStart: r.d * DAY + offsetMs, gmv: r.gmv, orders: r.orders }));
}

/** Refunds that reached the shopper in the window (the timeline's refund_succeeded entries): count and Σ amount. */
export async function refundTotals(ctx: Ctx, w: OrderStatsWindow): Promise<{ count: number; amount: number }> {
  const row = await ctx.env.DB.prepare(
    `SELECT count(*) AS count, coalesce(sum(CAST(json_extract(e.data, '$.refundAmount') AS INTEGER)), 0) AS amount
       FROM order_events e JOIN orders o ON o.id = e.order_id
      WHERE e.type = 'refund_succeeded' AND e.created_at >= ?1 AND e.created_at < ?2${merchantClause(w.merchantId, 'o.merchant_id')}`,
  )
    .bind(...binds(w))
    .first<{ count: number; amount: number }>();
  return { count: row?.count ?? 0, amount: row?.amount ?? 0 };
}

/** Paid orders waiting to ship (not held back, e.g. by a forming group-buy team). */
export async function pendingShipmentCount(ctx: Ctx, merchantId: string | null): Promise<number> {
  const q = merchantId
    ? ctx.env.DB.prepare("SELECT count(*) AS n FROM orders WHERE merchant_id = ?1 AND status = 'paid' AND fulfilment_hold IS NULL").bind(
        merchantId,
      )
    : ctx.env.DB.prepare("SELECT count(*) AS n FROM orders WHERE status = 'paid' AND fulfilment_hold IS NULL");
  return (await q.first<{ n: number }>())?.n ?? 0;
}
