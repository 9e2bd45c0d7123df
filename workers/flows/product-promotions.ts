import { z } from '@hono/zod-openapi';
import type { Ctx } from '../shared/context';
import { iso } from '../shared/db';
import { PLATFORM_MERCHANT_ID } from '../shared/rbac';
import { loadStoreProduct } from '../domains/catalog/products.service';
import { covers, pricePromotions } from '../domains/promotions/engine';
import { campaignBudgetsLeft, ruleTerms } from '../domains/promotions/order-hooks';
import { activePromotionRules } from '../domains/promotions/promotion-rules/promotion-rules.service';
import { getStackingPolicy } from '../domains/promotions/settings.service';
import { listClaimableCoupons } from '../domains/promotions/coupons/coupons.service';
import { ClaimableCouponSchema } from '../domains/promotions/coupons/dto';

export const ProductPromotionsSchema = z
  .object({
    serverTime: z.string(),
    skus: z.array(
      z.object({
        skuId: z.string(),
        price: z.number().int(),
        promoPrice: z.number().int().openapi({ description: 'price of one unit after 限时折扣 (equals price when none applies)' }),
        label: z.string().nullable().openapi({ description: 'e.g. 限时8折' }),
        ruleId: z.string().nullable(),
        endsAt: z.string().nullable().openapi({ description: 'when the 限时折扣 ends, for a countdown' }),
      }),
    ),
    rules: z
      .array(z.object({ ruleId: z.string(), kind: z.enum(['full_reduction', 'full_discount']), label: z.string(), endsAt: z.string() }))
      .openapi({ description: '满减/满折 this product takes part in' }),
    coupons: z.array(ClaimableCouponSchema).openapi({ description: 'coupons from the coupon centre that cover this product' }),
  })
  .openapi('ProductPromotions');

/**
 * What a product page shows of promotions (getProductPromotions): each SKU's 限时折扣 price, the
 * 满减/满折 it joins and the claimable coupons that cover it. Prices come from the same engine as
 * checkout, one unit per SKU, so the page never promises a price the quote will not give.
 */
export async function productPromotions(ctx: Ctx, productId: string): Promise<z.infer<typeof ProductPromotionsSchema>> {
  const [product, rows, policy, centre] = await Promise.all([
    loadStoreProduct(ctx, productId),
    activePromotionRules(ctx),
    getStackingPolicy(ctx),
    listClaimableCoupons(ctx),
  ]);
  const categoryPath = `/${product.categoryPath.map((c) => c.id).join('/')}/`;
  const rules = rows.map(ruleTerms);
  const line = (s: (typeof product.skus)[number]) => ({
    lineId: s.id,
    skuId: s.id,
    productId: product.id,
    merchantId: product.merchantId,
    categoryPath,
    unitPrice: s.price,
    quantity: 1,
    lineTotal: s.price,
    memberPrice: s.memberPrice,
  });
  const state = pricePromotions(
    product.skus.map(line),
    rules.filter((r) => r.kind === 'limited_time'),
    { userId: null, tier: null, now: ctx.now },
    policy,
    PLATFORM_MERCHANT_ID,
    await campaignBudgetsLeft(ctx, rules),
  );
  const endsAt = new Map(rows.map((r) => [r.id, r.endsAt]));
  const target = { merchantId: product.merchantId, productId: product.id, categoryPath };
  return {
    serverTime: iso(ctx.now)!,
    skus: state.lines.map((l) => {
      const rule = rules.find((r) => r.id === l.limitedTimeRuleId);
      return {
        skuId: l.skuId,
        price: l.unitPrice,
        promoPrice: l.payable,
        label: rule?.label ?? null,
        ruleId: rule?.id ?? null,
        endsAt: rule ? iso(endsAt.get(rule.id)) : null,
      };
    }),
    rules: rules
      .filter((r): r is typeof r & { kind: 'full_reduction' | 'full_discount' } => r.kind !== 'limited_time')
      .filter((r) => product.skus.some((s) => covers(r.merchantId, r.scope, { ...target, skuId: s.id }, PLATFORM_MERCHANT_ID)))
      .map((r) => ({ ruleId: r.id, kind: r.kind, label: r.label, endsAt: iso(endsAt.get(r.id))! })),
    coupons: centre.items.filter((c) =>
      product.skus.some((s) => covers(c.merchantId, c.scope, { ...target, skuId: s.id }, PLATFORM_MERCHANT_ID)),
    ),
  };
}
