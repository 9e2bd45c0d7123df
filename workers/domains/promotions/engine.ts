/**
 * The pricing pipeline checkout runs: lines in, discount lines out. Each promotion rule is one
 * module implementing `PricingRule` and listed in `rules.ts`; the engine applies them in order,
 * apportions every discount to the lines it covers (integer fen, shares sum exactly) and never
 * lets a line's payable go below zero. Pure and deterministic: no I/O here.
 */
export interface PricingLine {
  lineId: string;
  skuId: string;
  productId: string;
  merchantId: string;
  unitPrice: number;
  quantity: number;
  /** unitPrice × quantity */
  lineTotal: number;
}

export interface ShopperContext {
  userId: string | null;
  /** member tier (members domain, later); null = none */
  tier: string | null;
  /** skuId → member price, looked up by checkout for the SKUs in the cart */
  memberPrices: ReadonlyMap<string, number>;
  now: number;
}

export interface Discount {
  /** rule family, e.g. 'full_reduction', 'coupon', 'member_price' */
  source: string;
  /** the rule's or coupon's id, so a discount can always be traced */
  sourceId: string | null;
  label: string;
  amount: number;
  /** lineId → share of `amount`; shares sum to `amount` */
  shares: Record<string, number>;
}

export interface PricingRule {
  id: string;
  /** Given the lines and what earlier rules took off, the discounts this rule grants. */
  apply(lines: readonly PricedLine[], shopper: ShopperContext): Discount[];
}

export interface PricedLine extends PricingLine {
  discountShare: number;
  payable: number;
}

export interface PricingResult {
  lines: PricedLine[];
  discounts: Discount[];
  goodsTotal: number;
  discountTotal: number;
}

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
    const exact = (capped * weights[k]!) / total;
    out[k] = Math.floor(exact);
    given += out[k]!;
    rema.push({ k, r: exact - out[k]! });
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

/** Runs the rules over the lines. */
export function priceLines(lines: PricingLine[], rules: readonly PricingRule[], shopper: ShopperContext): PricingResult {
  let priced: PricedLine[] = lines.map((l) => ({ ...l, discountShare: 0, payable: l.lineTotal }));
  const discounts: Discount[] = [];
  for (const rule of rules) {
    for (const d of rule.apply(priced, shopper)) {
      if (d.amount <= 0) continue;
      const sum = Object.values(d.shares).reduce((a, b) => a + b, 0);
      if (sum !== d.amount) throw new Error(`rule ${rule.id}: shares ${sum} do not sum to ${d.amount}`);
      priced = priced.map((l) => {
        const share = d.shares[l.lineId] ?? 0;
        if (share > l.payable) throw new Error(`rule ${rule.id}: share ${share} exceeds line ${l.lineId} payable ${l.payable}`);
        return share ? { ...l, discountShare: l.discountShare + share, payable: l.payable - share } : l;
      });
      discounts.push(d);
    }
  }
  const goodsTotal = lines.reduce((a, l) => a + l.lineTotal, 0);
  return { lines: priced, discounts, goodsTotal, discountTotal: discounts.reduce((a, d) => a + d.amount, 0) };
}
