// The pricing engine's vocabulary: what goes in (lines, shopper, rules, coupons) and what comes
// out (priced lines, discounts with their shares, shipping, coupon issues). See engine.ts.
import type { DiscountTier, PromoScope, ReductionTier } from './schema';
import type { StackingPolicy } from './stacking';

export interface PricingLine {
  lineId: string;
  skuId: string;
  productId: string;
  merchantId: string;
  /** The product's category path "/root/…/leaf/" (category scopes match any ancestor). */
  categoryPath: string;
  unitPrice: number;
  quantity: number;
  /** unitPrice × quantity */
  lineTotal: number;
  memberPrice?: number | null;
}

export interface ShopperContext {
  userId: string | null;
  /** member tier id (members domain); null = none */
  tier: string | null;
  /** what the tier gives on item prices; absent with a tier set = SKU member prices only */
  memberPerks?: MemberPerks | null;
  now: number;
}

/** A member tier's item-price perks (members domain, tiers). */
export interface MemberPerks {
  /** SKUs' member prices apply */
  memberPrice: boolean;
  /** 会员折扣: pay this % of the unit price (98 = 9.8折); null = none. With a member price, the better one per line. */
  discountRate: number | null;
  /** the tier discount's label, e.g. "金卡会员9.8折" */
  label: string;
}

/** A 满减/满折/限时折扣 rule as the engine sees it (a promotion_rules row fits). */
export interface PriceRule {
  id: string;
  kind: 'full_reduction' | 'full_discount' | 'limited_time';
  merchantId: string;
  label: string;
  scope: PromoScope;
  basis: 'amount' | 'quantity';
  tiers: ReductionTier[] | DiscountTier[];
  repeat: boolean;
  cap: number | null;
  rate: number | null;
  prices: Record<string, number> | null;
  priority: number;
  campaignId: string | null;
}

/** A coupon the shopper holds, with its template's terms. */
export interface CouponTerms {
  /** the user coupon id */
  id: string;
  templateId: string;
  name: string;
  merchantId: string;
  kind: 'amount_off' | 'percent_off' | 'free_shipping';
  threshold: number;
  amountOff: number | null;
  rate: number | null;
  maxOff: number | null;
  scope: PromoScope;
  validFrom: number;
  validTo: number;
}

export type DiscountSource =
  'member_price' | 'member_discount' | 'limited_time' | 'full_reduction' | 'full_discount' | 'coupon' | 'shipping_coupon';

export interface Discount {
  source: DiscountSource;
  /** the rule's or coupon's id (member price: the tier), so a discount can always be traced */
  sourceId: string | null;
  label: string;
  amount: number;
  /** lineId → share of `amount` (goods discounts); shares sum to `amount` */
  shares: Record<string, number>;
  /** merchantId → share of `amount` (shipping coupons only) */
  shippingShares?: Record<string, number>;
  campaignId?: string | null;
}

export interface PricedLine extends PricingLine {
  discountShare: number;
  payable: number;
  /** the 限时折扣 rule that set this line's price, if any */
  limitedTimeRuleId: string | null;
  /** the 满减/满折 rule that took this line, if any (a line joins at most one) */
  fullReductionRuleId: string | null;
}

/** "再买¥12.00可减30元": a 满减 tier the cart almost reaches. */
export interface PromoHint {
  ruleId: string;
  label: string;
  message: string;
}

/** Phase 1 output: what coupons are applied on. */
export interface PromoState {
  lines: PricedLine[];
  discounts: Discount[];
  hints: PromoHint[];
  platformMerchantId: string;
  now: number;
  policy: StackingPolicy;
}

export interface CouponIssue {
  couponId: string;
  code: string;
  reason: string;
}

export interface ShippingLine {
  merchantId: string;
  fee: number;
  discount: number;
  payable: number;
}

export interface PricingResult {
  lines: PricedLine[];
  discounts: Discount[];
  hints: PromoHint[];
  shipping: ShippingLine[];
  goodsTotal: number;
  /** goods discounts (rules and goods coupons) */
  discountTotal: number;
  shippingFeeTotal: number;
  shippingDiscountTotal: number;
  payableTotal: number;
  appliedCouponIds: string[];
  /** chosen coupons that did not apply, and why */
  couponIssues: CouponIssue[];
}
