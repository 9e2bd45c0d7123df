/**
 * Choosing a SKU on the product page (规格选择): a product has spec dimensions (颜色, 容量 …),
 * each SKU names one value per dimension (specValues[i] belongs to specDims[i]). A shopper's
 * choice is one value or null per dimension; an option is available when some in-stock SKU has
 * it together with the shopper's other choices. Pure: no Taro.
 */

export interface SpecDim {
  name: string;
  values: string[];
}

export interface SkuLike {
  id: string;
  specValues: string[];
  price: number;
  originalPrice?: number;
  stock: number;
  inStock?: boolean;
  image?: { url: string } | null;
}

/** One value (or null: not chosen yet) per spec dimension. */
export type Choice = (string | null)[];

/** What the cart takes of one SKU at most (MAX_LINE_QUANTITY on the server). */
export const MAX_PER_ORDER = 999;

/** At or below this many pieces the page says 仅剩 N 件. */
export const LOW_STOCK = 10;

/** Can be bought now: stock left and not switched off. */
export const sellable = (s: SkuLike): boolean => s.stock > 0 && s.inStock !== false;

export const emptyChoice = (dims: SpecDim[]): Choice => dims.map(() => null);

export const isComplete = (choice: Choice): boolean => choice.every((v) => v !== null);

/** Whether `sku` agrees with every chosen value (dimension `skip` left out). */
export function matches(sku: SkuLike, choice: Choice, skip = -1): boolean {
  return choice.every((v, i) => i === skip || v === null || sku.specValues[i] === v);
}

/** The SKUs that agree with a (partial) choice, sold out or not. */
export function matchingSkus<S extends SkuLike>(skus: S[], choice: Choice): S[] {
  return skus.filter((s) => matches(s, choice));
}

/** The choice that names `skuId` (all null when there is no such SKU). */
export function choiceOf(dims: SpecDim[], skus: SkuLike[], skuId: string | null | undefined): Choice {
  const sku = skuId ? skus.find((s) => s.id === skuId) : undefined;
  if (!sku || sku.specValues.length !== dims.length) return emptyChoice(dims);
  return dims.map((_, i) => sku.specValues[i] ?? null);
}

/**
 * The picker's first choice: the given SKU's values, else every dimension that has a single
 * value already chosen when that value is in stock (a one-SKU product is chosen outright).
 */
export function initialChoice(dims: SpecDim[], skus: SkuLike[], skuId?: string | null): Choice {
  if (skuId && skus.some((s) => s.id === skuId)) return choiceOf(dims, skus, skuId);
  return dims.map((d, i) => {
    const only = d.values.length === 1 ? d.values[0]! : null;
    return only !== null && skus.some((s) => sellable(s) && s.specValues[i] === only) ? only : null;
  });
}

/** Some in-stock SKU has `value` for dimension `dim` together with the other chosen values. */
export function optionAvailable(skus: SkuLike[], choice: Choice, dim: number, value: string): boolean {
  return skus.some((s) => sellable(s) && s.specValues[dim] === value && matches(s, choice, dim));
}

export type OptionState = 'selected' | 'available' | 'disabled';

/** How an option button looks. A chosen option that has since sold out is still 'selected'. */
export function optionState(skus: SkuLike[], choice: Choice, dim: number, value: string): OptionState {
  if (choice[dim] === value) return 'selected';
  return optionAvailable(skus, choice, dim, value) ? 'available' : 'disabled';
}

/**
 * A tap on an option: the chosen one is unchosen, an available one is chosen, a disabled one
 * changes nothing.
 */
export function pickOption(skus: SkuLike[], choice: Choice, dim: number, value: string): Choice {
  if (dim < 0 || dim >= choice.length) return choice;
  if (choice[dim] === value) return choice.map((v, i) => (i === dim ? null : v));
  if (!optionAvailable(skus, choice, dim, value)) return choice;
  return choice.map((v, i) => (i === dim ? value : v));
}

/** The SKU a complete choice names (sold out or not); null while a dimension is open. */
export function skuOfChoice<S extends SkuLike>(skus: S[], choice: Choice): S | null {
  if (!isComplete(choice)) return null;
  return skus.find((s) => s.specValues.length === choice.length && matches(s, choice)) ?? null;
}

/** The names of the dimensions still open. */
export function missingDims(dims: SpecDim[], choice: Choice): string[] {
  return dims.filter((_, i) => choice[i] === null || choice[i] === undefined).map((d) => d.name);
}

/** "已选：黑色 500ml" once complete, else "请选择 颜色 容量" (the open dimensions). */
export function selectedText(dims: SpecDim[], choice: Choice): string {
  const missing = missingDims(dims, choice);
  if (missing.length) return `请选择 ${missing.join(' ')}`;
  if (dims.length === 0) return '已选：默认规格';
  return `已选：${choice.join(' ')}`;
}

/** Lowest and highest price over the SKUs that agree with the choice (in-stock ones when any are). */
export function priceSpan(
  skus: SkuLike[],
  choice: Choice,
  priceOf: (s: SkuLike) => number = (s) => s.price,
): { min: number; max: number } | null {
  const all = matchingSkus(skus, choice);
  const pool = all.some(sellable) ? all.filter(sellable) : all;
  if (pool.length === 0) return null;
  const prices = pool.map(priceOf);
  return { min: Math.min(...prices), max: Math.max(...prices) };
}

/** Pieces in stock over the SKUs that agree with the choice. */
export function stockOf(skus: SkuLike[], choice: Choice): number {
  return matchingSkus(skus, choice).reduce((n, s) => n + (sellable(s) ? s.stock : 0), 0);
}

/** How many of `sku` one order may take: its stock, capped by the per-order limit; 0 when sold out. */
export function maxQuantity(sku: SkuLike | null | undefined, limit: number = MAX_PER_ORDER): number {
  if (!sku || !sellable(sku)) return 0;
  return Math.max(0, Math.min(Math.floor(sku.stock), Math.floor(limit)));
}

/** A quantity the stepper may show: a whole number in 1..max (1 when nothing can be bought). */
export function clampQuantity(qty: number, max: number): number {
  const n = Number.isFinite(qty) ? Math.floor(qty) : 1;
  const top = Math.max(1, Math.floor(Number.isFinite(max) ? max : 1));
  return Math.min(Math.max(1, n), top);
}

/** What the quantity field's text means: digits only, '' while the shopper is still typing. */
export function parseQuantity(text: string): number | null {
  const digits = String(text).replace(/\D/g, '');
  return digits ? Number(digits) : null;
}

/** "库存 120 件" / "仅剩 3 件" / "已售罄". */
export function stockText(stock: number): string {
  if (!(stock > 0)) return '已售罄';
  if (stock <= LOW_STOCK) return `仅剩 ${stock} 件`;
  return `库存 ${stock} 件`;
}

/**
 * The struck-through price beside the price shown: the SKU's own price when a promotion lowers it
 * (限时折扣), else its list price (划线价) when that is higher; null when there is nothing to strike.
 */
export function struckPrice(sku: SkuLike, shown: number): number | null {
  if (shown < sku.price) return sku.price;
  if (sku.originalPrice !== undefined && sku.originalPrice > shown) return sku.originalPrice;
  return null;
}

/** The struck price beside a price span: the lowest struck price over the in-stock matching SKUs. */
export function struckFrom(skus: SkuLike[], choice: Choice, priceOf: (s: SkuLike) => number = (s) => s.price): number | null {
  const all = matchingSkus(skus, choice);
  const pool = all.some(sellable) ? all.filter(sellable) : all;
  const shown = pool.map(priceOf);
  const struck = pool.map((s) => struckPrice(s, priceOf(s)) ?? priceOf(s));
  if (pool.length === 0) return null;
  const min = Math.min(...struck);
  return min > Math.min(...shown) ? min : null;
}
