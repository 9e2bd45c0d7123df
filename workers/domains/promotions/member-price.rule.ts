import type { Discount, PricingRule } from './engine';

/**
 * Member price: a shopper with a tier pays the SKU's member price; the difference is a discount
 * line so the receipt shows it. Without a tier (members come later) it grants nothing.
 */
export const memberPriceRule: PricingRule = {
  id: 'member_price',
  apply(lines, shopper) {
    if (!shopper.tier) return [];
    const shares: Record<string, number> = {};
    for (const l of lines) {
      const mp = shopper.memberPrices.get(l.skuId);
      if (mp !== undefined && mp < l.unitPrice) shares[l.lineId] = Math.min(l.payable, (l.unitPrice - mp) * l.quantity);
    }
    const amount = Object.values(shares).reduce((a, b) => a + b, 0);
    const d: Discount = { source: 'member_price', sourceId: shopper.tier, label: '会员价', amount, shares };
    return amount > 0 ? [d] : [];
  },
};
