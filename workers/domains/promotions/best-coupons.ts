import { applyCoupons, couponProblem, type CouponTerms, type PromoState } from './engine';

export interface CouponAdvice {
  couponId: string;
  /** could apply to this cart on its own */
  usable: boolean;
  /** part of the suggested combination */
  selected: boolean;
  /** why not ("还差¥12.00可用", "本单商品不适用", …); null when selected */
  reason: string | null;
  code: string | null;
}

export interface CouponSuggestion {
  couponIds: string[];
  payableTotal: number;
  /** fen the suggested coupons save over using none */
  saving: number;
  advice: CouponAdvice[];
  /** false when there were too many coupons to try every combination (the best few per slot were tried) */
  exhaustive: boolean;
}

/** Above this many combinations, each slot keeps only its best coupons (by saving alone). */
const MAX_COMBINATIONS = 4096;

/** All subsets of `items` with at most `k` members, the empty one first. */
function subsets<T>(items: T[], k: number): T[][] {
  const out: T[][] = [[]];
  const walk = (start: number, acc: T[]) => {
    if (acc.length === k) return;
    for (let i = start; i < items.length; i++) {
      const next = [...acc, items[i]!];
      out.push(next);
      walk(i + 1, next);
    }
  };
  walk(0, []);
  return out;
}

const idsKey = (cs: CouponTerms[]) =>
  cs
    .map((c) => c.id)
    .sort()
    .join(',');

/**
 * The combination of the shopper's coupons that makes the cart cheapest, within the stacking
 * policy, and for every other coupon why it is not in it. Tries every combination (slots: each
 * merchant's shop coupons, platform coupons, the shipping coupon) unless there are more than
 * MAX_COMBINATIONS; ties go to fewer coupons, then to the smaller ids, so the answer is stable.
 */
export function suggestCoupons(state: PromoState, available: CouponTerms[], shipping: Record<string, number>): CouponSuggestion {
  const { policy } = state;
  const none = applyCoupons(state, [], shipping).payableTotal;
  const problems = new Map(available.map((c) => [c.id, couponProblem(state, c, shipping)]));
  const usable = available.filter((c) => !problems.get(c.id));

  const slots = new Map<string, { coupons: CouponTerms[]; limit: number }>();
  for (const c of usable) {
    const key = c.kind === 'free_shipping' ? 'shipping' : c.merchantId === state.platformMerchantId ? 'platform' : `shop:${c.merchantId}`;
    const limit =
      key === 'shipping'
        ? policy.shippingCouponsPerOrder
        : key === 'platform'
          ? policy.platformCouponsPerOrder
          : policy.shopCouponsPerMerchant;
    const slot = slots.get(key) ?? { coupons: [], limit };
    slot.coupons.push(c);
    slots.set(key, slot);
  }
  // Shop slots first, so the platform slot knows whether a shop coupon is already in the combination.
  const rank = (k: string) => (k.startsWith('shop:') ? 0 : k === 'platform' ? 1 : 2);
  const keys = [...slots.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  const saving = new Map(usable.map((c) => [c.id, none - applyCoupons(state, [c], shipping).payableTotal]));
  let options = keys.map((k) => subsets(slots.get(k)!.coupons, slots.get(k)!.limit));
  let exhaustive = true;
  for (let keep = 8; options.reduce((a, o) => a * o.length, 1) > MAX_COMBINATIONS && keep >= 1; keep--) {
    exhaustive = false;
    options = keys.map((k) => {
      const best = [...slots.get(k)!.coupons]
        .sort((a, b) => saving.get(b.id)! - saving.get(a.id)! || (a.id < b.id ? -1 : 1))
        .slice(0, keep);
      return subsets(best, slots.get(k)!.limit);
    });
  }

  let best: { coupons: CouponTerms[]; payable: number } = { coupons: [], payable: none };
  const platformAt = keys.indexOf('platform');
  const visit = (i: number, acc: CouponTerms[], hasShop: boolean) => {
    if (i === options.length) {
      if (acc.length === 0) return;
      const r = applyCoupons(state, acc, shipping);
      if (r.couponIssues.length) return;
      const better =
        r.payableTotal < best.payable ||
        (r.payableTotal === best.payable &&
          (acc.length < best.coupons.length || (acc.length === best.coupons.length && idsKey(acc) < idsKey(best.coupons))));
      if (better && r.payableTotal < none) best = { coupons: acc, payable: r.payableTotal };
      return;
    }
    for (const opt of options[i]!) {
      const shop = hasShop || (keys[i]!.startsWith('shop:') && opt.length > 0);
      // The policy may forbid a platform coupon beside shop coupons: skip those combinations early.
      if (!policy.platformWithShopCoupons && i === platformAt && opt.length > 0 && hasShop) continue;
      visit(i + 1, [...acc, ...opt], shop);
    }
  };
  visit(0, [], false);

  const chosen = new Set(best.coupons.map((c) => c.id));
  const advice = available.map((c): CouponAdvice => {
    const p = problems.get(c.id);
    if (p) return { couponId: c.id, usable: false, selected: false, reason: p.reason, code: p.code };
    if (chosen.has(c.id)) return { couponId: c.id, usable: true, selected: true, reason: null, code: null };
    return {
      couponId: c.id,
      usable: true,
      selected: false,
      reason: saving.get(c.id)! > 0 ? '可用，已为您选择更优惠的组合' : '可用，但本单不再优惠',
      code: 'promotions.coupon_not_best',
    };
  });
  return { couponIds: best.coupons.map((c) => c.id), payableTotal: best.payable, saving: none - best.payable, advice, exhaustive };
}
