/**
 * The pricing engine: pure and deterministic, no I/O. Two phases so checkout can price shipping
 * in between:
 *   1. `pricePromotions` — item prices (member price / 限时折扣) then 满减/满折, which the shopper
 *      does not choose;
 *   2. `applyCoupons` — the coupons the shopper chose, on top: shop coupons, then platform
 *      coupons, then the shipping coupon.
 * Every discount names its rule or coupon, and is apportioned to the lines it covers in integer
 * fen whose shares sum exactly to it, so a partial refund returns exactly what was paid.
 * Coupon thresholds are read after phase 1 and before any coupon: that is what makes "removing a
 * coupon never lowers the price" hold (see README, stacking policy).
 */
import { fenToYuan } from '../../shared/money';
import type { DiscountTier, PromoScope, ReductionTier } from './schema';
import type { StackingPolicy } from './stacking';
import type {
  CouponIssue,
  CouponTerms,
  Discount,
  DiscountSource,
  PricedLine,
  PriceRule,
  PricingLine,
  PricingResult,
  PromoHint,
  PromoState,
  ShopperContext,
} from './pricing-types';

export type * from './pricing-types';

const sum = (xs: Iterable<number>) => {
  let s = 0;
  for (const x of xs) s += x;
  return s;
};
const yuan = (f: number) => `¥${fenToYuan(f)}`;

/**
 * Splits `amount` over `weights` in proportion, largest remainder first, so the parts are
 * integers that sum exactly to `amount` and no part exceeds its weight.
 */
export function apportion(amount: number, weights: Record<string, number>): Record<string, number> {
  const keys = Object.keys(weights).sort();
  const total = keys.reduce((a, k) => a + weights[k]!, 0);
  const out: Record<string, number> = {};
  if (total <= 0 || amount <= 0) {
    for (const k of keys) out[k] = 0;
    return out;
  }
  const capped = Math.min(amount, total);
  let given = 0;
  const rema: { k: string; r: number }[] = [];
  for (const k of keys) {
    // Integer arithmetic: floor(capped·w/total) and its remainder, no float drift.
    const num = capped * weights[k]!;
    out[k] = Math.floor(num / total);
    given += out[k]!;
    rema.push({ k, r: num % total });
  }
  rema.sort((a, b) => b.r - a.r || (a.k < b.k ? -1 : 1));
  for (let i = 0; given < capped; i = (i + 1) % rema.length) {
    const k = rema[i]!.k;
    if (out[k]! < weights[k]!) {
      out[k]! += 1;
      given += 1;
    }
  }
  return out;
}

/** Whether a rule or coupon owned by `ownerMerchantId` with `scope` covers the line. */
export function covers(
  ownerMerchantId: string,
  scope: PromoScope,
  line: Pick<PricingLine, 'merchantId' | 'skuId' | 'productId' | 'categoryPath'>,
  platformMerchantId: string,
): boolean {
  if (ownerMerchantId !== platformMerchantId && ownerMerchantId !== line.merchantId) return false;
  switch (scope.type) {
    case 'all':
      return true;
    case 'skus':
      return scope.ids.includes(line.skuId);
    case 'products':
      return scope.ids.includes(line.productId);
    case 'categories':
      return scope.ids.some((id) => line.categoryPath.includes(`/${id}/`));
  }
}

/** Pay `rate`% of `amount`: the discount is rounded down, so it never exceeds the stated rate. */
const rateOff = (amount: number, rate: number) => Math.floor((amount * (100 - rate)) / 100);

function withDiscount(lines: PricedLine[], d: Discount): PricedLine[] {
  const total = sum(Object.values(d.shares));
  if (total !== d.amount) throw new Error(`discount ${d.sourceId}: shares ${total} do not sum to ${d.amount}`);
  return lines.map((l) => {
    const share = d.shares[l.lineId] ?? 0;
    if (share > l.payable) throw new Error(`discount ${d.sourceId}: share ${share} exceeds line ${l.lineId} payable ${l.payable}`);
    return share ? { ...l, discountShare: l.discountShare + share, payable: l.payable - share } : l;
  });
}

/** Per-unit discount a 限时折扣 rule gives on `base` (the unit price it applies to). */
function limitedTimeUnitOff(rule: PriceRule, skuId: string, base: number): number {
  const fixed = rule.prices?.[skuId];
  if (fixed !== undefined) return Math.max(0, base - fixed);
  return rule.rate != null ? rateOff(base, rule.rate) : 0;
}

const byPriority = (a: PriceRule, b: PriceRule) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Phase 1a: member price and 限时折扣 set each line's unit price. */
function itemPrices(
  lines: PricedLine[],
  rules: PriceRule[],
  shopper: ShopperContext,
  policy: StackingPolicy,
  platform: string,
): { lines: PricedLine[]; discounts: Discount[] } {
  const lt = rules.filter((r) => r.kind === 'limited_time').sort(byPriority);
  const member: Record<string, number> = {};
  const memberRate: Record<string, number> = {};
  const perks = shopper.tier ? (shopper.memberPerks ?? { memberPrice: true, discountRate: null, label: '' }) : null;
  const perRule = new Map<string, Record<string, number>>();
  const out = lines.map((l) => {
    // The member's unit discount: the SKU's member price or the tier's rate, whichever is better.
    const priceUnit = perks?.memberPrice && l.memberPrice != null && l.memberPrice < l.unitPrice ? l.unitPrice - l.memberPrice : 0;
    const rateUnit = perks?.discountRate != null ? rateOff(l.unitPrice, perks.discountRate) : 0;
    const fromRate = rateUnit > priceUnit;
    const mUnit = Math.max(priceUnit, rateUnit);
    const memberBase = l.unitPrice - mUnit;
    // The best 限时折扣 covering the line; ties go to the higher priority (sorted first).
    let best: { rule: PriceRule; unit: number } | null = null;
    for (const r of lt) {
      if (!covers(r.merchantId, r.scope, l, platform)) continue;
      const unit = limitedTimeUnitOff(r, l.skuId, policy.memberPriceOrLimitedTime ? l.unitPrice : memberBase);
      if (unit > 0 && (!best || unit > best.unit)) best = { rule: r, unit };
    }
    let mOff = mUnit * l.quantity;
    let ltOff = best ? best.unit * l.quantity : 0;
    if (policy.memberPriceOrLimitedTime) {
      if (ltOff > mOff) mOff = 0;
      else ltOff = 0;
    }
    mOff = Math.min(mOff, l.lineTotal);
    ltOff = Math.min(ltOff, l.lineTotal - mOff);
    if (mOff > 0) (fromRate ? memberRate : member)[l.lineId] = mOff;
    if (ltOff > 0 && best) {
      const s = perRule.get(best.rule.id) ?? {};
      s[l.lineId] = ltOff;
      perRule.set(best.rule.id, s);
    }
    return ltOff > 0 && best ? { ...l, limitedTimeRuleId: best.rule.id } : l;
  });
  const discounts: Discount[] = [];
  if (Object.keys(member).length)
    discounts.push({ source: 'member_price', sourceId: shopper.tier, label: '会员价', amount: sum(Object.values(member)), shares: member });
  if (Object.keys(memberRate).length)
    discounts.push({
      source: 'member_discount',
      sourceId: shopper.tier,
      label: perks?.label || '会员折扣',
      amount: sum(Object.values(memberRate)),
      shares: memberRate,
    });
  for (const r of lt) {
    const shares = perRule.get(r.id);
    if (shares)
      discounts.push({
        source: 'limited_time',
        sourceId: r.id,
        label: r.label,
        amount: sum(Object.values(shares)),
        shares,
        campaignId: r.campaignId,
      });
  }
  let priced = out;
  for (const d of discounts) priced = withDiscount(priced, d);
  return { lines: priced, discounts };
}

/** What a 满减/满折 rule takes off a base (fen and units), and the next tier's hint if short. */
function fullReductionOff(rule: PriceRule, amount: number, units: number): { off: number; hint: string | null } {
  const base = rule.basis === 'quantity' ? units : amount;
  const short = (threshold: number) => (rule.basis === 'quantity' ? `再买${threshold - base}件` : `再买${yuan(threshold - base)}`);
  if (rule.kind === 'full_reduction') {
    const tiers = rule.tiers as ReductionTier[];
    if (rule.repeat) {
      const t = tiers[0]!;
      const times = Math.floor(base / t.threshold);
      let off = times * t.off;
      if (rule.cap != null) off = Math.min(off, rule.cap);
      const capped = rule.cap != null && times * t.off >= rule.cap;
      return { off: Math.min(off, amount), hint: capped ? null : `${short((times + 1) * t.threshold)}可再减${yuan(t.off)}` };
    }
    const reached = [...tiers].reverse().find((t) => base >= t.threshold);
    const next = tiers.find((t) => base < t.threshold);
    return { off: Math.min(reached?.off ?? 0, amount), hint: next ? `${short(next.threshold)}可减${yuan(next.off)}` : null };
  }
  const tiers = rule.tiers as DiscountTier[];
  const reached = [...tiers].reverse().find((t) => base >= t.threshold);
  const next = tiers.find((t) => base < t.threshold);
  return { off: reached ? rateOff(amount, reached.rate) : 0, hint: next ? `${short(next.threshold)}享${next.rate / 10}折` : null };
}

/**
 * Phase 1: the promotions the shopper does not choose. A line joins at most one 满减/满折 rule:
 * rules are tried by priority (then id), and a rule only takes lines when it actually applies.
 */
export function pricePromotions(
  lines: PricingLine[],
  rules: PriceRule[],
  shopper: ShopperContext,
  policy: StackingPolicy,
  platformMerchantId: string,
  /** campaignId → budget (fen) left; a campaign's rules only grant what still fits in it */
  campaignBudgets: Readonly<Record<string, number>> = {},
): PromoState {
  const start: PricedLine[] = lines.map((l) => ({
    ...l,
    discountShare: 0,
    payable: l.lineTotal,
    limitedTimeRuleId: null,
    fullReductionRuleId: null,
  }));
  const left = { ...campaignBudgets };
  const fits = (campaignId: string | null, amount: number) => !campaignId || (left[campaignId] ?? 0) >= amount;
  // 限时折扣 first: a rule whose campaign cannot pay for it is left out and the prices recomputed.
  let live = rules;
  let item = itemPrices(start, live, shopper, policy, platformMerchantId);
  for (;;) {
    const spent: Record<string, number> = {};
    const over = item.discounts.find((d) => {
      if (d.source !== 'limited_time' || !d.campaignId) return false;
      spent[d.campaignId] = (spent[d.campaignId] ?? 0) + d.amount;
      return spent[d.campaignId]! > (left[d.campaignId] ?? 0);
    });
    if (!over) break;
    live = live.filter((r) => r.id !== over.sourceId);
    item = itemPrices(start, live, shopper, policy, platformMerchantId);
  }
  for (const d of item.discounts) if (d.campaignId) left[d.campaignId] = (left[d.campaignId] ?? 0) - d.amount;
  let { lines: priced, discounts } = item;
  const hints: PromoHint[] = [];
  for (const r of rules.filter((x) => x.kind !== 'limited_time').sort(byPriority)) {
    const eligible = priced.filter(
      (l) =>
        !l.fullReductionRuleId &&
        l.payable > 0 &&
        covers(r.merchantId, r.scope, l, platformMerchantId) &&
        !(policy.limitedTimeExcludesFullReduction && l.limitedTimeRuleId),
    );
    if (eligible.length === 0) continue;
    const amount = sum(eligible.map((l) => l.payable));
    const { off, hint } = fullReductionOff(r, amount, sum(eligible.map((l) => l.quantity)));
    if (hint) hints.push({ ruleId: r.id, label: r.label, message: hint });
    if (off <= 0 || !fits(r.campaignId, off)) continue;
    if (r.campaignId) left[r.campaignId] = (left[r.campaignId] ?? 0) - off;
    const d: Discount = {
      source: r.kind as DiscountSource,
      sourceId: r.id,
      label: r.label,
      amount: off,
      shares: apportion(off, Object.fromEntries(eligible.map((l) => [l.lineId, l.payable]))),
      campaignId: r.campaignId,
    };
    const taken = new Set(eligible.map((l) => l.lineId));
    priced = withDiscount(priced, d).map((l) => (taken.has(l.lineId) ? { ...l, fullReductionRuleId: r.id } : l));
    discounts = [...discounts, d];
  }
  return { lines: priced, discounts, hints, platformMerchantId, now: shopper.now, policy };
}

/** Lines of the state a coupon may apply to. */
export function couponLines(state: PromoState, c: CouponTerms): PricedLine[] {
  return state.lines.filter(
    (l) =>
      l.payable > 0 &&
      covers(c.merchantId, c.scope, l, state.platformMerchantId) &&
      !(state.policy.limitedTimeExcludesCoupons && l.limitedTimeRuleId),
  );
}

/**
 * Whether a coupon could apply to this cart on its own: in its validity window, covering some
 * line (or parcel), threshold reached by the covered lines after 满减. Null when it can.
 */
export function couponProblem(state: PromoState, c: CouponTerms, shipping: Record<string, number>): CouponIssue | null {
  const issue = (code: string, reason: string) => ({ couponId: c.id, code, reason });
  if (state.now < c.validFrom)
    return issue(
      'promotions.coupon_not_started',
      `${new Date(c.validFrom + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')}起可用`,
    );
  if (state.now >= c.validTo) return issue('promotions.coupon_expired', '已过期');
  const lines = couponLines(state, c);
  if (lines.length === 0) return issue('promotions.coupon_not_applicable', '本单商品不适用');
  const base = sum(lines.map((l) => l.payable));
  if (base < c.threshold) return issue('promotions.coupon_threshold', `还差${yuan(c.threshold - base)}可用`);
  if (c.kind === 'free_shipping' && sum([...new Set(lines.map((l) => l.merchantId))].map((m) => shipping[m] ?? 0)) === 0)
    return issue('promotions.coupon_not_applicable', '本单已包邮');
  return null;
}

const isPlatform = (state: PromoState, c: CouponTerms) => c.merchantId === state.platformMerchantId;

/**
 * Phase 2: the chosen coupons on top of `state`, with `shipping` (merchantId → fee) priced on
 * the phase-1 goods totals. Coupons that cannot apply, or exceed the stacking policy, are left
 * out and reported in `couponIssues` (checkout refuses an order that names one).
 */
export function applyCoupons(state: PromoState, chosen: CouponTerms[], shipping: Record<string, number>): PricingResult {
  const { policy } = state;
  const issues: CouponIssue[] = [];
  const seen = new Set<string>();
  const ok: CouponTerms[] = [];
  for (const c of chosen) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    const p = couponProblem(state, c, shipping);
    if (p) issues.push(p);
    else ok.push(c);
  }
  // Stacking limits, in the order coupons apply; a coupon over a limit is reported, not applied.
  const order = (a: CouponTerms, b: CouponTerms) =>
    a.merchantId < b.merchantId ? -1 : a.merchantId > b.merchantId ? 1 : a.id < b.id ? -1 : 1;
  const goods = ok.filter((c) => c.kind !== 'free_shipping');
  const shop = goods.filter((c) => !isPlatform(state, c)).sort(order);
  const platform = goods.filter((c) => isPlatform(state, c)).sort(order);
  const ship = ok.filter((c) => c.kind === 'free_shipping').sort(order);
  const applied: CouponTerms[] = [];
  const perMerchant = new Map<string, number>();
  const refuse = (c: CouponTerms, reason: string) => issues.push({ couponId: c.id, code: 'promotions.coupon_not_stackable', reason });
  for (const c of shop) {
    const n = perMerchant.get(c.merchantId) ?? 0;
    if (n >= policy.shopCouponsPerMerchant)
      refuse(c, policy.shopCouponsPerMerchant === 0 ? '店铺券暂不可用' : `每个店铺最多用${policy.shopCouponsPerMerchant}张店铺券`);
    else {
      perMerchant.set(c.merchantId, n + 1);
      applied.push(c);
    }
  }
  let platformCount = 0;
  for (const c of platform) {
    if (!policy.platformWithShopCoupons && perMerchant.size > 0) refuse(c, '平台券不可与店铺券同时使用');
    else if (platformCount >= policy.platformCouponsPerOrder) refuse(c, `每单最多用${policy.platformCouponsPerOrder}张平台券`);
    else {
      platformCount += 1;
      applied.push(c);
    }
  }
  let shipCount = 0;
  for (const c of ship) {
    if (shipCount >= policy.shippingCouponsPerOrder) refuse(c, `每单最多用${policy.shippingCouponsPerOrder}张运费券`);
    else {
      shipCount += 1;
      applied.push(c);
    }
  }

  let lines = state.lines;
  const discounts = [...state.discounts];
  const shipLeft: Record<string, number> = { ...shipping };
  for (const c of applied) {
    if (c.kind === 'free_shipping') {
      // Parcels covered are decided before goods coupons, so a goods coupon that zeroes a line cannot undo free shipping.
      const merchants = [...new Set(couponLines(state, c).map((l) => l.merchantId))];
      const fees = Object.fromEntries(merchants.map((m) => [m, shipLeft[m] ?? 0]));
      const off = Math.min(c.amountOff ?? Number.MAX_SAFE_INTEGER, sum(Object.values(fees)));
      const shippingShares = apportion(off, fees);
      for (const [m, s] of Object.entries(shippingShares)) shipLeft[m] = (shipLeft[m] ?? 0) - s;
      if (off > 0) discounts.push({ source: 'shipping_coupon', sourceId: c.id, label: c.name, amount: off, shares: {}, shippingShares });
      continue;
    }
    const covered = couponLines({ ...state, lines }, c);
    const base = sum(covered.map((l) => l.payable));
    const off =
      c.kind === 'amount_off'
        ? Math.min(c.amountOff ?? 0, base)
        : Math.min(c.maxOff ?? Number.MAX_SAFE_INTEGER, rateOff(base, c.rate ?? 100));
    if (off <= 0) continue;
    const d: Discount = {
      source: 'coupon',
      sourceId: c.id,
      label: c.name,
      amount: off,
      shares: apportion(off, Object.fromEntries(covered.map((l) => [l.lineId, l.payable]))),
    };
    lines = withDiscount(lines, d);
    discounts.push(d);
  }

  const merchants = [...new Set(state.lines.map((l) => l.merchantId))].sort();
  const shippingLines = merchants.map((m) => ({
    merchantId: m,
    fee: shipping[m] ?? 0,
    discount: (shipping[m] ?? 0) - (shipLeft[m] ?? 0),
    payable: shipLeft[m] ?? 0,
  }));
  const goodsTotal = sum(lines.map((l) => l.lineTotal));
  const discountTotal = sum(lines.map((l) => l.discountShare));
  const shippingFeeTotal = sum(shippingLines.map((s) => s.fee));
  const shippingDiscountTotal = sum(shippingLines.map((s) => s.discount));
  return {
    lines,
    discounts,
    hints: state.hints,
    shipping: shippingLines,
    goodsTotal,
    discountTotal,
    shippingFeeTotal,
    shippingDiscountTotal,
    payableTotal: goodsTotal - discountTotal + shippingFeeTotal - shippingDiscountTotal,
    appliedCouponIds: applied.map((c) => c.id),
    couponIssues: issues,
  };
}
