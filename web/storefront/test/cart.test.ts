import { describe, expect, it } from 'vitest';
import {
  allSelected,
  groupSelection,
  lineState,
  merchantLabel,
  selectableIds,
  selectionKey,
  staleSelectedIds,
  unavailableIds,
  type CartLineLike,
} from '@/lib/cart';

const line = (over: Partial<CartLineLike> = {}): CartLineLike => ({
  itemId: 'cit_1',
  merchantId: 'mch_platform',
  quantity: 1,
  selected: true,
  unitPrice: 8900,
  addedPrice: 8900,
  priceChanged: false,
  stock: 10,
  offSale: false,
  outOfStock: false,
  insufficientStock: false,
  purchasable: true,
  ...over,
});
const cart = (...lines: CartLineLike[]) => ({ groups: [{ merchantId: 'mch_platform', lines }] });

describe('cart line', () => {
  it('a normal line can be ticked, stepped up to its stock', () => {
    const s = lineState(line({ stock: 5 }));
    expect(s).toMatchObject({ selectable: true, unavailable: false, badge: null, priceNote: null, minQty: 1, maxQty: 5 });
    expect(lineState(line({ stock: 5000 })).maxQty).toBe(999);
  });

  it('off-sale and sold-out lines are greyed and cannot be ticked', () => {
    expect(lineState(line({ offSale: true, purchasable: false }))).toMatchObject({ selectable: false, unavailable: true, badge: '已下架' });
    expect(lineState(line({ outOfStock: true, stock: 0, purchasable: false }))).toMatchObject({
      selectable: false,
      unavailable: true,
      badge: '已售罄',
      maxQty: 1,
    });
  });

  it('a line short of stock says how many are left and can be stepped down', () => {
    const s = lineState(line({ quantity: 5, stock: 2, insufficientStock: true, purchasable: false }));
    expect(s).toMatchObject({ selectable: false, unavailable: false, badge: '仅剩2件', maxQty: 2 });
  });

  it('tells a price change since it was added', () => {
    expect(lineState(line({ priceChanged: true, unitPrice: 7900, addedPrice: 8900 })).priceNote).toBe('比加入时降¥10.00');
    expect(lineState(line({ priceChanged: true, unitPrice: 9900, addedPrice: 8900 })).priceNote).toBe('比加入时涨¥10.00');
    expect(lineState(line({ priceChanged: true, unitPrice: 7900, addedPrice: 8900, offSale: true })).priceNote).toBeNull();
  });
});

describe('cart selection', () => {
  const a = line({ itemId: 'a' });
  const b = line({ itemId: 'b', selected: false });
  const gone = line({ itemId: 'g', offSale: true, purchasable: false, selected: false });
  const stale = line({ itemId: 's', outOfStock: true, stock: 0, purchasable: false, selected: true });

  it('全选 is on when every purchasable line is ticked, ignoring the ones that cannot be bought', () => {
    expect(allSelected(cart(a, b))).toBe(false);
    expect(allSelected(cart(a, gone))).toBe(true);
    expect(allSelected(cart(gone))).toBe(false);
    expect(selectableIds(cart(a, b, gone))).toEqual(['a', 'b']);
    expect(groupSelection([a, b, gone])).toEqual({ ids: ['a', 'b'], all: false });
  });

  it('finds ticked lines that can no longer be bought, and the dead ones', () => {
    expect(staleSelectedIds(cart(a, stale, gone))).toEqual(['s']);
    expect(unavailableIds(cart(a, stale, gone))).toEqual(['s', 'g']);
  });

  it('keys the selection by line, quantity and price, in any order', () => {
    const k1 = selectionKey(cart(a, line({ itemId: 'c' })));
    const k2 = selectionKey({
      groups: [
        { merchantId: 'm', lines: [line({ itemId: 'c' })] },
        { merchantId: 'n', lines: [a] },
      ],
    });
    expect(k1).toBe(k2);
    expect(selectionKey(cart(a))).not.toBe(selectionKey(cart(line({ itemId: 'a', quantity: 2 }))));
    expect(selectionKey(cart(b, gone))).toBe('');
  });

  it('names the platform shop', () => {
    expect(merchantLabel('mch_platform')).toBe('edgemall 自营');
    expect(merchantLabel('mch_demo_tea')).toBe('品牌店铺');
  });
});
