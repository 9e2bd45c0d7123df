import { z } from '@hono/zod-openapi';

/**
 * How promotions combine (叠加规则). The order is fixed — item prices (member price / 限时折扣),
 * then 满减/满折, then shop coupons, then the platform coupon, then the shipping coupon — because
 * coupon thresholds are read after 满减 and before any coupon, which is what keeps "removing a
 * coupon never lowers the price" true. What is configurable is which families may combine.
 */
export const StackingPolicySchema = z
  .object({
    /** A line bought at a 限时折扣 price takes no 满减/满折 (the usual rule: 特价商品不参与满减). */
    limitedTimeExcludesFullReduction: z.boolean(),
    /** A line bought at a 限时折扣 price takes no coupon. */
    limitedTimeExcludesCoupons: z.boolean(),
    /** The better of member price and 限时折扣 applies (false: member price first, then 限时折扣 on top). */
    memberPriceOrLimitedTime: z.boolean(),
    /** Shop coupons per merchant in one checkout (0 disables shop coupons). */
    shopCouponsPerMerchant: z.number().int().min(0).max(3),
    /** Platform coupons per checkout. */
    platformCouponsPerOrder: z.number().int().min(0).max(3),
    /** Whether a platform coupon may be used together with shop coupons. */
    platformWithShopCoupons: z.boolean(),
    /** Free-shipping coupons per checkout; they never count against the goods-coupon limits. */
    shippingCouponsPerOrder: z.number().int().min(0).max(1),
  })
  .openapi('StackingPolicy');

export type StackingPolicy = z.infer<typeof StackingPolicySchema>;

export const DEFAULT_STACKING_POLICY: Readonly<StackingPolicy> = Object.freeze({
  limitedTimeExcludesFullReduction: true,
  limitedTimeExcludesCoupons: false,
  memberPriceOrLimitedTime: true,
  shopCouponsPerMerchant: 1,
  platformCouponsPerOrder: 1,
  platformWithShopCoupons: true,
  shippingCouponsPerOrder: 1,
});
