/**
 * The cart page's rules: which lines can be ticked, what a line's badge says, the 全选 state and
 * the quantity bounds. The server's cart answer is the truth; this only reads it. Pure: no Taro.
 */
import { formatFen } from './format';

export interface CartLineLike {
  itemId: string;
  merchantId: string;
  quantity: number;
  selected: boolean;
  unitPrice: number;
  addedPrice: number;
  priceChanged: boolean;
  stock: number;
  offSale: boolean;
  outOfStock: boolean;
  insufficientStock: boolean;
  purchasable: boolean;
}

export interface CartLike<L extends CartLineLike = CartLineLike> {
  groups: { merchantId: string; lines: L[] }[];
}

/** The most of one SKU a cart line may hold (the API's limit). */
export const MAX_LINE_QTY = 999;

export const PLATFORM_MERCHANT_ID = 'mch_platform';

/** The shop a group of lines comes from, as the storefront can name it (the API sends only ids). */
export function merchantLabel(merchantId: string): string {
  return merchantId === PLATFORM_MERCHANT_ID ? 'edgemall 自营' : '品牌店铺';
}

export interface LineState {
  /** can be ticked for checkout */
  selectable: boolean;
  /** greyed out: off sale or sold out (nothing the shopper can change) */
  unavailable: boolean;
  /** 已下架 / 已售罄 / 仅剩N件 */
  badge: string | null;
  /** 比加入时降¥x / 比加入时涨¥x */
  priceNote: string | null;
  /** quantity bounds for the stepper */
  minQty: number;
  maxQty: number;
}

export function lineState(l: CartLineLike): LineState {
  const unavailable = l.offSale || l.outOfStock;
  const badge = l.offSale ? '已下架' : l.outOfStock ? '已售罄' : l.insufficientStock ? `仅剩${l.stock}件` : null;
  let priceNote: string | null = null;
  if (l.priceChanged && !unavailable && l.unitPrice !== l.addedPrice)
    priceNote =
      l.unitPrice < l.addedPrice
        ? `比加入时降${formatFen(l.addedPrice - l.unitPrice)}`
        : `比加入时涨${formatFen(l.unitPrice - l.addedPrice)}`;
  return {
    selectable: l.purchasable,
    unavailable,
    badge,
    priceNote,
    minQty: 1,
    maxQty: Math.max(1, Math.min(MAX_LINE_QTY, l.stock)),
  };
}

const linesOf = <L extends CartLineLike>(cart: CartLike<L>): L[] => cart.groups.flatMap((g) => g.lines);

/** 全选: ticked when every purchasable line is selected (and there is at least one). */
export function allSelected(cart: CartLike): boolean {
  const ok = linesOf(cart).filter((l) => l.purchasable);
  return ok.length > 0 && ok.every((l) => l.selected);
}

/** The lines 全选 ticks: every purchasable one. */
export function selectableIds(cart: CartLike): string[] {
  return linesOf(cart)
    .filter((l) => l.purchasable)
    .map((l) => l.itemId);
}

/** The lines of a shop group 全选 would tick, and whether they all are. */
export function groupSelection(lines: CartLineLike[]): { ids: string[]; all: boolean } {
  const ok = lines.filter((l) => l.purchasable);
  return { ids: ok.map((l) => l.itemId), all: ok.length > 0 && ok.every((l) => l.selected) };
}

/**
 * Selected lines that cannot be bought (sold out since, off sale, short of stock): checkout takes
 * every selected line, so these are unticked before going there.
 */
export function staleSelectedIds(cart: CartLike): string[] {
  return linesOf(cart)
    .filter((l) => l.selected && !l.purchasable)
    .map((l) => l.itemId);
}

/** Lines the shopper can no longer buy at all (for 清空失效商品). */
export function unavailableIds(cart: CartLike): string[] {
  return linesOf(cart)
    .filter((l) => l.offSale || l.outOfStock)
    .map((l) => l.itemId);
}

/** A key for "which lines at which quantity are selected", to tell whether a quote is still current. */
export function selectionKey(cart: CartLike & { groups: { lines: (CartLineLike & { skuId?: string })[] }[] }): string {
  return linesOf(cart)
    .filter((l) => l.selected && l.purchasable)
    .map((l) => `${l.itemId}:${l.quantity}:${l.unitPrice}`)
    .sort()
    .join(',');
}
