// What checkout asks of promotions: the statements that use coupons and charge campaign budgets
// in the order's batch — or undo both when the checkout closes unpaid. Promotions owns these tables; checkout only puts the statements in.
import { and, eq, gt, inArray } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { guard, stmt } from '../../shared/db';
import { newId } from '../../shared/ids';
import { campaigns, campaignSpends, promotionRules, userCoupons } from './schema';
import { campaignSpendStatements } from './campaigns/budget';
import type { Discount, PriceRule } from './engine';

/**
 * Marks the coupons used by this checkout (a platform coupon spans the checkout's orders, so its
 * orderId is null). Guarded: a coupon already used elsewhere, or expired meanwhile, aborts the
 * whole order batch.
 */
export function useCouponStatements(
  ctx: Ctx,
  o: { userId: string; checkoutId: string; uses: { couponId: string; orderId: string | null }[] },
): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  return o.uses.flatMap((u) => [
    stmt(
      d1,
      ctx.db
        .update(userCoupons)
        .set({ status: 'used', checkoutId: o.checkoutId, orderId: u.orderId, usedAt: ctx.now })
        .where(
          and(
            eq(userCoupons.id, u.couponId),
            eq(userCoupons.userId, o.userId),
            eq(userCoupons.status, 'available'),
            gt(userCoupons.validTo, ctx.now),
          ),
        ),
    ),
    guard(d1, "SELECT status = 'used' AND checkout_id = ?1 FROM user_coupons WHERE id = ?2", o.checkoutId, u.couponId),
    d1
      .prepare('UPDATE coupon_templates SET used_count = used_count + 1 WHERE id = (SELECT template_id FROM user_coupons WHERE id = ?1)')
      .bind(u.couponId),
  ]);
}

/** Campaign spend of a checkout's rule discounts (coupons reserved theirs when issued). */
export function campaignSpendOf(discounts: Pick<Discount, 'source' | 'amount' | 'campaignId'>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of discounts)
    if (d.campaignId && d.source !== 'coupon' && d.source !== 'shipping_coupon')
      out.set(d.campaignId, (out.get(d.campaignId) ?? 0) + d.amount);
  return out;
}

/**
 * Charges each campaign its share of the checkout's discounts, guarded on its budget: when the
 * budget ran out since the quote, the order batch fails and checkout asks for a new quote.
 */
export function chargeCampaignStatements(ctx: Ctx, checkoutId: string, spend: Map<string, number>): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (const [campaignId, amount] of [...spend].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(...campaignSpendStatements(ctx, campaignId, amount));
    out.push(
      stmt(ctx.env.DB, ctx.db.insert(campaignSpends).values({ id: newId('csp'), campaignId, checkoutId, amount, createdAt: ctx.now })),
    );
  }
  return out;
}

/**
 * Undoes a checkout's promotions when it closes unpaid: its coupons go back to the shopper
 * (an expired one stays expired) and campaign spend is given back, each once — the statements
 * only touch rows still marked used / unreleased, so a repeated close changes nothing.
 */
export function releasePromotionStatements(ctx: Ctx, checkoutId: string): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  return [
    d1
      .prepare(
        `UPDATE coupon_templates SET used_count = used_count - (SELECT count(*) FROM user_coupons u WHERE u.template_id = coupon_templates.id AND u.checkout_id = ?1 AND u.status = 'used')
         WHERE id IN (SELECT template_id FROM user_coupons WHERE checkout_id = ?1 AND status = 'used')`,
      )
      .bind(checkoutId),
    d1
      .prepare(
        "UPDATE user_coupons SET status = 'available', checkout_id = NULL, order_id = NULL, used_at = NULL WHERE checkout_id = ?1 AND status = 'used'",
      )
      .bind(checkoutId),
    d1
      .prepare(
        `UPDATE campaigns SET budget_used = max(0, budget_used - (SELECT coalesce(sum(amount), 0) FROM campaign_spends s WHERE s.campaign_id = campaigns.id AND s.checkout_id = ?1 AND s.released_at IS NULL))
         WHERE id IN (SELECT campaign_id FROM campaign_spends WHERE checkout_id = ?1 AND released_at IS NULL)`,
      )
      .bind(checkoutId),
    d1.prepare('UPDATE campaign_spends SET released_at = ?2 WHERE checkout_id = ?1 AND released_at IS NULL').bind(checkoutId, ctx.now),
  ];
}

/** A promotion_rules row as the engine's PriceRule. */
export const ruleTerms = (r: typeof promotionRules.$inferSelect): PriceRule => ({
  id: r.id,
  kind: r.kind,
  merchantId: r.merchantId,
  label: r.label,
  scope: r.scope,
  basis: r.basis,
  tiers: r.tiers,
  repeat: r.repeat,
  cap: r.cap,
  rate: r.rate,
  prices: r.prices,
  priority: r.priority,
  campaignId: r.campaignId,
});

/** Budget (fen) each campaign has left, for the engine: a campaign's rules only grant what fits. */
export async function campaignBudgetsLeft(ctx: Ctx, rules: PriceRule[]): Promise<Record<string, number>> {
  const ids = [...new Set(rules.flatMap((r) => (r.campaignId ? [r.campaignId] : [])))];
  if (ids.length === 0) return {};
  const rows = await ctx.db
    .select({ id: campaigns.id, budget: campaigns.budget, used: campaigns.budgetUsed })
    .from(campaigns)
    .where(inArray(campaigns.id, ids));
  return Object.fromEntries(rows.map((r) => [r.id, Math.max(0, r.budget - r.used)]));
}
