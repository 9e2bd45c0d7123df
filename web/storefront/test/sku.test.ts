import { describe, expect, it } from 'vitest';
import {
  LOW_STOCK,
  MAX_PER_ORDER,
  choiceOf,
  clampQuantity,
  emptyChoice,
  initialChoice,
  isComplete,
  matchingSkus,
  maxQuantity,
  missingDims,
  optionAvailable,
  optionState,
  parseQuantity,
  pickOption,
  priceSpan,
  selectedText,
  sellable,
  skuOfChoice,
  stockOf,
  stockText,
  struckFrom,
  struckPrice,
  type SkuLike,
  type SpecDim,
} from '@/lib/sku';
import { badgeText, cartPieces } from '@/lib/cart-badge';

// 颜色 × 容量: 黑色/750ml is sold out, 蓝色/750ml does not exist, 白色 is sold out in every size.
const dims: SpecDim[] = [
  { name: '颜色', values: ['黑色', '白色', '蓝色'] },
  { name: '容量', values: ['500ml', '750ml'] },
];
const sku = (id: string, values: string[], price: number, stock: number, extra: Partial<SkuLike> = {}): SkuLike => ({
  id,
  specValues: values,
  price,
  originalPrice: price + 4000,
  stock,
  inStock: stock > 0,
  image: null,
  ...extra,
});
const skus: SkuLike[] = [
  sku('k-b5', ['黑色', '500ml'], 8900, 20),
  sku('k-b7', ['黑色', '750ml'], 10900, 0),
  sku('k-w5', ['白色', '500ml'], 8900, 0),
  sku('k-w7', ['白色', '750ml'], 10900, 0),
  sku('k-u5', ['蓝色', '500ml'], 9900, 3),
];

describe('sellable', () => {
  it('needs stock and the SKU switched on', () => {
    expect(sellable(sku('a', [], 1, 2))).toBe(true);
    expect(sellable(sku('a', [], 1, 0))).toBe(false);
    expect(sellable(sku('a', [], 1, 5, { inStock: false }))).toBe(false);
    expect(sellable({ id: 'a', specValues: [], price: 1, stock: 5 })).toBe(true); // inStock absent
  });
});

describe('choices', () => {
  it('starts empty, one slot per spec', () => {
    expect(emptyChoice(dims)).toEqual([null, null]);
    expect(isComplete([null, null])).toBe(false);
    expect(isComplete(['黑色', null])).toBe(false);
    expect(isComplete(['黑色', '500ml'])).toBe(true);
    expect(isComplete([])).toBe(true);
  });

  it('reads the choice a SKU names', () => {
    expect(choiceOf(dims, skus, 'k-u5')).toEqual(['蓝色', '500ml']);
    expect(choiceOf(dims, skus, 'nope')).toEqual([null, null]);
    expect(choiceOf(dims, skus, null)).toEqual([null, null]);
  });

  it('pre-selects the given SKU, or single-valued specs that are in stock', () => {
    expect(initialChoice(dims, skus, 'k-b5')).toEqual(['黑色', '500ml']);
    // a sold-out SKU passed in is still shown as chosen (the picker marks it sold out)
    expect(initialChoice(dims, skus, 'k-b7')).toEqual(['黑色', '750ml']);
    expect(initialChoice(dims, skus)).toEqual([null, null]);
    const one: SpecDim[] = [
      { name: '颜色', values: ['黑色', '白色'] },
      { name: '规格', values: ['标准版'] },
    ];
    const s = [sku('x', ['黑色', '标准版'], 100, 1), sku('y', ['白色', '标准版'], 100, 1)];
    expect(initialChoice(one, s)).toEqual([null, '标准版']);
    expect(
      initialChoice(
        one,
        s.map((x) => ({ ...x, stock: 0 })),
      ),
    ).toEqual([null, null]);
  });

  it('names the one SKU of a product without specs', () => {
    const only = [sku('solo', [], 5000, 7)];
    expect(initialChoice([], only)).toEqual([]);
    expect(skuOfChoice(only, initialChoice([], only))?.id).toBe('solo');
    expect(selectedText([], [])).toBe('已选：默认规格');
  });
});

describe('option availability', () => {
  it('with nothing chosen: a value is available when any in-stock SKU has it', () => {
    expect(optionAvailable(skus, [null, null], 0, '黑色')).toBe(true);
    expect(optionAvailable(skus, [null, null], 0, '白色')).toBe(false); // every 白色 sold out
    expect(optionAvailable(skus, [null, null], 0, '蓝色')).toBe(true);
    expect(optionAvailable(skus, [null, null], 1, '500ml')).toBe(true);
    expect(optionAvailable(skus, [null, null], 1, '750ml')).toBe(false); // 黑/白 750 sold out, 蓝 750 missing
  });

  it('takes the other chosen values into account', () => {
    expect(optionAvailable(skus, ['黑色', null], 1, '500ml')).toBe(true);
    expect(optionAvailable(skus, ['黑色', null], 1, '750ml')).toBe(false);
    expect(optionAvailable(skus, [null, '500ml'], 0, '蓝色')).toBe(true);
    expect(optionAvailable(skus, [null, '500ml'], 0, '白色')).toBe(false);
  });

  it('ignores its own dimension (switching 黑色 → 蓝色 is possible)', () => {
    expect(optionAvailable(skus, ['黑色', '500ml'], 0, '蓝色')).toBe(true);
  });

  it('states: selected / available / disabled', () => {
    expect(optionState(skus, ['黑色', null], 0, '黑色')).toBe('selected');
    expect(optionState(skus, ['黑色', null], 0, '蓝色')).toBe('available');
    expect(optionState(skus, ['黑色', null], 0, '白色')).toBe('disabled');
    expect(optionState(skus, ['黑色', null], 1, '750ml')).toBe('disabled');
    // a chosen SKU that sold out meanwhile stays selected
    expect(optionState(skus, ['黑色', '750ml'], 1, '750ml')).toBe('selected');
  });

  it('with a partial stock mix: 750ml opens again when another colour has it', () => {
    const more = [...skus, sku('k-u7', ['蓝色', '750ml'], 11900, 4)];
    expect(optionAvailable(more, [null, null], 1, '750ml')).toBe(true);
    expect(optionAvailable(more, ['黑色', null], 1, '750ml')).toBe(false);
    expect(optionAvailable(more, ['蓝色', null], 1, '750ml')).toBe(true);
    expect(optionAvailable(more, [null, '750ml'], 0, '黑色')).toBe(false);
    expect(optionAvailable(more, [null, '750ml'], 0, '蓝色')).toBe(true);
  });
});

describe('pickOption', () => {
  it('chooses an available option and unchooses a chosen one', () => {
    const a = pickOption(skus, [null, null], 0, '黑色');
    expect(a).toEqual(['黑色', null]);
    const b = pickOption(skus, a, 1, '500ml');
    expect(b).toEqual(['黑色', '500ml']);
    expect(pickOption(skus, b, 0, '黑色')).toEqual([null, '500ml']);
  });

  it('switches within a dimension', () => {
    expect(pickOption(skus, ['黑色', '500ml'], 0, '蓝色')).toEqual(['蓝色', '500ml']);
  });

  it('leaves a disabled option alone (same array back)', () => {
    const c: (string | null)[] = ['黑色', null];
    expect(pickOption(skus, c, 1, '750ml')).toBe(c);
    expect(pickOption(skus, [null, null], 0, '白色')).toEqual([null, null]);
  });

  it('ignores a dimension out of range', () => {
    const c: (string | null)[] = [null, null];
    expect(pickOption(skus, c, 5, '黑色')).toBe(c);
  });

  it('does not change the choice it was given', () => {
    const c: (string | null)[] = [null, null];
    pickOption(skus, c, 0, '黑色');
    expect(c).toEqual([null, null]);
  });
});

describe('the chosen SKU', () => {
  it('is named only by a complete choice', () => {
    expect(skuOfChoice(skus, ['黑色', '500ml'])?.id).toBe('k-b5');
    expect(skuOfChoice(skus, ['黑色', '750ml'])?.id).toBe('k-b7'); // sold out, still that SKU
    expect(skuOfChoice(skus, ['黑色', null])).toBeNull();
    expect(skuOfChoice(skus, ['蓝色', '750ml'])).toBeNull(); // no such combination
  });

  it('matching SKUs of a partial choice', () => {
    expect(matchingSkus(skus, ['黑色', null]).map((s) => s.id)).toEqual(['k-b5', 'k-b7']);
    expect(matchingSkus(skus, [null, null])).toHaveLength(5);
  });
});

describe('texts', () => {
  it('已选 once complete, else the specs still open', () => {
    expect(selectedText(dims, [null, null])).toBe('请选择 颜色 容量');
    expect(selectedText(dims, ['黑色', null])).toBe('请选择 容量');
    expect(selectedText(dims, [null, '500ml'])).toBe('请选择 颜色');
    expect(selectedText(dims, ['黑色', '500ml'])).toBe('已选：黑色 500ml');
    expect(missingDims(dims, ['黑色', null])).toEqual(['容量']);
  });

  it('stock: 库存 / 仅剩 / 已售罄', () => {
    expect(stockText(120)).toBe('库存 120 件');
    expect(stockText(LOW_STOCK + 1)).toBe(`库存 ${LOW_STOCK + 1} 件`);
    expect(stockText(LOW_STOCK)).toBe(`仅剩 ${LOW_STOCK} 件`);
    expect(stockText(1)).toBe('仅剩 1 件');
    expect(stockText(0)).toBe('已售罄');
    expect(stockText(-3)).toBe('已售罄');
    expect(stockText(NaN)).toBe('已售罄');
  });
});

describe('prices and stock over a partial choice', () => {
  it('spans the in-stock SKUs that match', () => {
    expect(priceSpan(skus, [null, null])).toEqual({ min: 8900, max: 9900 }); // 10900 ones are sold out
    expect(priceSpan(skus, ['黑色', null])).toEqual({ min: 8900, max: 8900 });
    expect(priceSpan(skus, ['黑色', '500ml'])).toEqual({ min: 8900, max: 8900 });
  });

  it('falls back to sold-out SKUs when nothing matching is in stock', () => {
    expect(priceSpan(skus, ['白色', null])).toEqual({ min: 8900, max: 10900 });
    expect(priceSpan(skus, ['蓝色', '750ml'])).toBeNull();
  });

  it('uses the promotion price when given', () => {
    const promo: Record<string, number> = { 'k-b5': 7120 };
    expect(priceSpan(skus, [null, null], (s) => promo[s.id] ?? s.price)).toEqual({ min: 7120, max: 9900 });
  });

  it('adds up the stock of matching in-stock SKUs', () => {
    expect(stockOf(skus, [null, null])).toBe(23);
    expect(stockOf(skus, ['黑色', null])).toBe(20);
    expect(stockOf(skus, ['白色', null])).toBe(0);
    expect(stockOf(skus, [null, '500ml'])).toBe(23);
  });
});

describe('struck-through price', () => {
  it('strikes the SKU price under a promotion, else its higher list price', () => {
    const s = sku('s', [], 10900, 5); // originalPrice 14900
    expect(struckPrice(s, 8720)).toBe(10900);
    expect(struckPrice(s, 10900)).toBe(14900);
    expect(struckPrice({ ...s, originalPrice: 10900 }, 10900)).toBeNull();
    expect(struckPrice({ ...s, originalPrice: undefined }, 10900)).toBeNull();
  });

  it('over a span: the lowest struck price of the in-stock matching SKUs', () => {
    expect(struckFrom(skus, [null, null])).toBe(12900); // list prices 12900 / 13900
    const promo: Record<string, number> = { 'k-b5': 7120, 'k-u5': 7920 };
    expect(struckFrom(skus, [null, null], (s) => promo[s.id] ?? s.price)).toBe(8900);
    expect(struckFrom(skus, ['蓝色', '750ml'])).toBeNull();
    const flat = skus.map((s) => ({ ...s, originalPrice: s.price }));
    expect(struckFrom(flat, [null, null])).toBeNull();
  });
});

describe('quantity', () => {
  it('the most one order takes: stock capped by the limit', () => {
    expect(maxQuantity(skus[0])).toBe(20);
    expect(maxQuantity(skus[0], 5)).toBe(5);
    expect(maxQuantity(sku('big', [], 1, 5000))).toBe(MAX_PER_ORDER);
    expect(maxQuantity(skus[1])).toBe(0); // sold out
    expect(maxQuantity(null)).toBe(0);
  });

  it('clamps to 1..max', () => {
    expect(clampQuantity(3, 20)).toBe(3);
    expect(clampQuantity(0, 20)).toBe(1);
    expect(clampQuantity(-4, 20)).toBe(1);
    expect(clampQuantity(25, 20)).toBe(20);
    expect(clampQuantity(2.7, 20)).toBe(2);
    expect(clampQuantity(NaN, 20)).toBe(1);
    expect(clampQuantity(5, 0)).toBe(1); // nothing can be bought: still shows 1
    expect(clampQuantity(5, 3)).toBe(3);
  });

  it('reads the typed text: digits only, null while empty', () => {
    expect(parseQuantity('12')).toBe(12);
    expect(parseQuantity(' 3件')).toBe(3);
    expect(parseQuantity('')).toBeNull();
    expect(parseQuantity('abc')).toBeNull();
    expect(parseQuantity('-2')).toBe(2);
  });
});

describe('cart badge', () => {
  it('counts pieces over every line', () => {
    expect(cartPieces(null)).toBe(0);
    expect(cartPieces({ groups: [] })).toBe(0);
    expect(cartPieces({ groups: [{ lines: [{ quantity: 2 }, { quantity: 1 }] }, { lines: [{ quantity: 4 }] }] })).toBe(7);
  });

  it('shows nothing for an empty cart and 99+ past 99', () => {
    expect(badgeText(0)).toBe('');
    expect(badgeText(7)).toBe('7');
    expect(badgeText(99)).toBe('99');
    expect(badgeText(100)).toBe('99+');
  });
});
