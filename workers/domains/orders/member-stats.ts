// The orders domain's per-shopper figures for members (RFM segmentation, the win-back report).
// Each query reads only the given shoppers' orders through orders_user_created_idx (user_id
// first), one statement per chunk of ids: never a scan of the whole table, never a query per shopper.
import type { Ctx } from '../../shared/context';
import { D1_IN_CHUNK, inChunks } from '../../shared/db';

export interface ShopperOrderFigures {
  /** paid purchases: distinct checkouts with a paid order (one payment may split by merchant) */
  orders: number;
  /** fen paid less fen refunded, over every paid order */
  spend: number;
  /** the last payment (epoch ms) */
  lastPaidAt: number;
}

const marks = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `?${i + from}`).join(',');

/**
 * Paid-order figures (F, M, R) of the given shoppers from orders paid before `asOf` (epoch ms);
 * shoppers without one are absent.
 */
export async function orderFiguresOf(ctx: Ctx, userIds: string[], asOf: number): Promise<Map<string, ShopperOrderFigures>> {
  const rows = await inChunks(userIds, D1_IN_CHUNK, async (part) => {
    const { results } = await ctx.env.DB.prepare(
      `SELECT user_id AS userId, count(DISTINCT checkout_id) AS orders, coalesce(sum(paid_total - refunded_total), 0) AS spend,
              max(paid_at) AS lastPaidAt
         FROM orders WHERE user_id IN (${marks(part.length, 2)}) AND paid_at <= ?1
        GROUP BY user_id`,
    )
      .bind(asOf, ...part)
      .all<{ userId: string } & ShopperOrderFigures>();
    return results;
  });
  return new Map(rows.map((r) => [r.userId, { orders: r.orders, spend: r.spend, lastPaidAt: r.lastPaidAt }]));
}

export interface PaidOrderBrief {
  orderId: string;
  userId: string;
  paidAt: number;
  /** fen paid less refunded */
  netPaid: number;
  /** the order's coupon discounts: coupon id → fen */
  couponDiscounts: Record<string, number>;
}

/** The given shoppers' orders paid at or after `since` (epoch ms), oldest first. */
export async function paidOrdersOfUsersSince(ctx: Ctx, userIds: string[], since: number): Promise<PaidOrderBrief[]> {
  const rows = await inChunks(userIds, D1_IN_CHUNK, async (part) => {
    const { results } = await ctx.env.DB.prepare(
      `SELECT id, user_id AS userId, paid_at AS paidAt, paid_total - refunded_total AS netPaid, discounts
         FROM orders WHERE user_id IN (${marks(part.length, 2)}) AND paid_at >= ?1`,
    )
      .bind(since, ...part)
      .all<{ id: string; userId: string; paidAt: number; netPaid: number; discounts: string }>();
    return results;
  });
  return rows
    .map((r) => {
      const couponDiscounts: Record<string, number> = {};
      for (const d of JSON.parse(r.discounts || '[]') as { source: string; sourceId: string | null; amount: number }[])
        if ((d.source === 'coupon' || d.source === 'shipping_coupon') && d.sourceId)
          couponDiscounts[d.sourceId] = (couponDiscounts[d.sourceId] ?? 0) + d.amount;
      return { orderId: r.id, userId: r.userId, paidAt: r.paidAt, netPaid: r.netPaid, couponDiscounts };
    })
    .sort((a, b) => a.paidAt - b.paidAt);
}
