/**
 * Checkout and payment rules the pages share: buy-now parameters, the price breakdown rows, the
 * coupon row and coupon choice, the Idempotency-Key of an order attempt, address checks and
 * masking, the sandbox trade number, and polling. Pure: no Taro.
 */
import type { OperationResult } from '@edgemall/client/operation-client';
import { formatFen } from './format';
import { newIdempotencyKey } from './promo-keys';

/** The storage key the address book answers a pick through (read once, then removed). */
export const ADDRESS_PICK_KEY = 'edgemall.address.pick';

// ---- buy now ----------------------------------------------------------------------------------

/** `?skuId=&qty=` → the one line of a buy-now checkout; undefined checks out the selected cart lines. */
export function buyNowItems(params: {
  skuId?: string;
  qty?: string;
  quantity?: string;
}): { skuId: string; quantity: number }[] | undefined {
  const skuId = params.skuId?.trim();
  if (!skuId) return undefined;
  const n = Number(params.qty ?? params.quantity ?? 1);
  const quantity = Number.isInteger(n) && n >= 1 ? Math.min(n, 999) : 1;
  return [{ skuId, quantity }];
}

// ---- amounts ----------------------------------------------------------------------------------

export interface DiscountLike {
  source: string;
  sourceId?: string | null;
  label: string;
  amount: number;
}

export interface AmountRow {
  key: string;
  label: string;
  /** fen; discounts are negative */
  amount: number;
  kind: 'goods' | 'discount' | 'shipping' | 'total' | 'refund';
  /** 包邮 instead of ¥0.00 */
  note?: string;
}

const SHIPPING_COUPON = 'shipping_coupon';

/**
 * The breakdown of an order or a quote group: 商品总额, each discount, 运费 (before a shipping
 * coupon — the coupon is one of the discounts), and the total. `shippingPayable` is what is paid
 * for shipping after a shipping coupon (an order's shippingFee, a quote's shipping.payable).
 */
export function amountRows(a: {
  goodsTotal: number;
  discounts: readonly DiscountLike[];
  shippingPayable: number;
  total: number;
  totalLabel?: string;
  freeShipping?: boolean;
  refunded?: number;
}): AmountRow[] {
  const shippingCoupon = a.discounts.filter((d) => d.source === SHIPPING_COUPON).reduce((s, d) => s + d.amount, 0);
  const shipping = a.shippingPayable + shippingCoupon;
  const rows: AmountRow[] = [{ key: 'goods', label: '商品总额', amount: a.goodsTotal, kind: 'goods' }];
  a.discounts.forEach((d, i) => {
    if (d.amount > 0) rows.push({ key: `d${i}`, label: d.label || discountSourceLabel(d.source), amount: -d.amount, kind: 'discount' });
  });
  rows.push({
    key: 'shipping',
    label: '运费',
    amount: shipping,
    kind: 'shipping',
    note: shipping === 0 && a.freeShipping !== false ? '包邮' : undefined,
  });
  rows.push({ key: 'total', label: a.totalLabel ?? '实付款', amount: a.total, kind: 'total' });
  if (a.refunded && a.refunded > 0) rows.push({ key: 'refund', label: '已退款', amount: a.refunded, kind: 'refund' });
  return rows;
}

const SOURCE_LABEL: Record<string, string> = {
  member_price: '会员价',
  member_discount: '会员折扣',
  limited_time: '限时折扣',
  full_reduction: '满减',
  full_discount: '满折',
  coupon: '优惠券',
  shipping_coupon: '运费券',
};

export function discountSourceLabel(source: string): string {
  return SOURCE_LABEL[source] ?? '优惠';
}

/** Σ of a quote's (or order's) discounts that come from coupons (goods and shipping coupons). */
export function couponSaving(groups: readonly { discounts: readonly DiscountLike[] }[]): number {
  return groups.reduce(
    (s, g) => s + g.discounts.filter((d) => d.source === 'coupon' || d.source === SHIPPING_COUPON).reduce((x, d) => x + d.amount, 0),
    0,
  );
}

// ---- coupons ----------------------------------------------------------------------------------

/** The quote's coupon block and one of its options, as the API answers them. */
export type QuoteCouponsLike = Pick<OperationResult<'quoteCheckout'>['coupons'], 'appliedIds' | 'suggestedIds' | 'options'>;
export type CouponOptionLike = QuoteCouponsLike['options'][number];

/** The coupon row of checkout: -¥x when coupons are applied, else N张可用 / 无可用. */
export function couponRowText(coupons: QuoteCouponsLike, saving: number): { text: string; active: boolean } {
  if (coupons.appliedIds.length > 0 && saving > 0) return { text: `-${formatFen(saving)}`, active: true };
  const usable = coupons.options.filter((o) => o.usable).length;
  return usable > 0 ? { text: `${usable}张可用`, active: false } : { text: '无可用', active: false };
}

/** How coupons stack (the default policy): one per shop, one platform coupon, one shipping coupon. */
export function couponSlot(c: Pick<CouponOptionLike, 'kind' | 'merchantId'>, platformMerchantId = 'mch_platform'): string {
  if (c.kind === 'free_shipping') return 'shipping';
  return c.merchantId === platformMerchantId ? 'platform' : `shop:${c.merchantId}`;
}

/**
 * Ticking a coupon in the sheet: another coupon of the same slot is replaced (they cannot be used
 * together); ticking a chosen one unticks it. Unusable coupons cannot be ticked.
 */
export function toggleCoupon(chosen: readonly string[], option: CouponOptionLike, options: readonly CouponOptionLike[]): string[] {
  if (chosen.includes(option.couponId)) return chosen.filter((id) => id !== option.couponId);
  if (!option.usable) return [...chosen];
  const slot = couponSlot(option);
  const byId = new Map(options.map((o) => [o.couponId, o]));
  return [
    ...chosen.filter((id) => {
      const o = byId.get(id);
      return !o || couponSlot(o) !== slot;
    }),
    option.couponId,
  ];
}

/** Usable coupons first (applied, then suggested), then the others; each group by expiry. */
export function sortCouponOptions<T extends CouponOptionLike>(options: readonly T[]): { usable: T[]; unusable: T[] } {
  const byExpiry = (a: T, b: T) => Date.parse(a.validTo) - Date.parse(b.validTo);
  return {
    usable: options
      .filter((o) => o.usable)
      .sort((a, b) => Number(b.applied) - Number(a.applied) || Number(b.suggested) - Number(a.suggested) || byExpiry(a, b)),
    unusable: options.filter((o) => !o.usable).sort(byExpiry),
  };
}

// ---- order attempt ----------------------------------------------------------------------------

/**
 * The Idempotency-Key of one 提交订单 attempt. The server remembers the key with the request, so
 * the same request sent again (a retry after a timeout, a second tap) carries the same key and
 * gets the same orders; a changed request (other address, coupons, note, a new total) is a new
 * attempt with a new key. After a definite answer the attempt is over (`settle`).
 */
export class OrderAttempt {
  private current: { key: string; body: string } | null = null;
  constructor(private make: () => string = () => newIdempotencyKey('co')) {}

  keyFor(body: unknown): string {
    const b = JSON.stringify(body);
    if (!this.current || this.current.body !== b) this.current = { key: this.make(), body: b };
    return this.current.key;
  }

  settle(): void {
    this.current = null;
  }
}

// ---- payment ----------------------------------------------------------------------------------

/** `/sandbox/wechatpay/transactions/{outTradeNo}/pay` → outTradeNo (null when it is not that path). */
export function sandboxTradeNo(path: string | undefined | null): string | null {
  if (!path) return null;
  const m = /\/sandbox\/wechatpay\/transactions\/([^/?#]+)\/pay(?:$|[?#])/.exec(path);
  return m ? decodeURIComponent(m[1]!) : null;
}

/** Was wx.requestPayment's failure the shopper closing the cashier? */
export function paymentCancelled(e: unknown): boolean {
  const msg = String((e as { errMsg?: string } | undefined)?.errMsg ?? '');
  return /cancel/i.test(msg);
}

/**
 * Calls `fn` every `everyMs` until `done(result)` or `timeoutMs` passed; answers the last result
 * and whether it got there. `sleep` and `now` are passed in so tests need no timers.
 */
export async function pollUntil<T>(
  fn: () => Promise<T>,
  done: (r: T) => boolean,
  { everyMs = 700, timeoutMs = 20_000, sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), now = () => Date.now() } = {},
): Promise<{ result: T | undefined; ok: boolean }> {
  const end = now() + timeoutMs;
  let result: T | undefined;
  for (;;) {
    try {
      result = await fn();
      if (done(result)) return { result, ok: true };
    } catch {
      // a failed poll (network blip) is just one miss
    }
    if (now() + everyMs > end) return { result, ok: false };
    await sleep(everyMs);
  }
}

// ---- addresses --------------------------------------------------------------------------------

/** The parts of an address the pages show and edit, as the API has them. */
export type AddressLike = Pick<OperationResult<'getAddress'>, 'name' | 'phone' | 'province' | 'city' | 'district' | 'detail'>;

/** 13800138000 → 138****8000; an already masked or unusual number is left as it is. */
export function maskPhone(phone: string): string {
  return /^1\d{10}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone;
}

/** 浙江省杭州市西湖区 文三路 100 号 (a city repeating its province — 北京市北京市 — once). */
export function fullAddress(a: Pick<AddressLike, 'province' | 'city' | 'district' | 'detail'>): string {
  const region = [a.province, a.city === a.province ? '' : a.city, a.district].filter(Boolean).join('');
  return [region, a.detail].filter(Boolean).join(' ');
}

export type AddressForm = AddressLike & { isDefault: boolean };

export const EMPTY_ADDRESS: AddressForm = { name: '', phone: '', province: '', city: '', district: '', detail: '', isDefault: false };

/** The first problem with an address form (what the API would refuse), or null. */
export function addressProblem(f: AddressLike): string | null {
  const name = f.name.trim();
  if (!name) return '请填写收货人';
  if (Array.from(name).length > 20) return '收货人姓名最多20个字';
  if (!/^1[3-9]\d{9}$/.test(f.phone.trim())) return '请填写正确的11位手机号';
  for (const [v, what] of [
    [f.province, '省份'],
    [f.city, '城市'],
    [f.district, '区县'],
  ] as const) {
    if (!v.trim()) return `请填写${what}`;
    if (Array.from(v.trim()).length > 20) return `${what}最多20个字`;
  }
  const detail = f.detail.trim();
  if (Array.from(detail).length < 2) return '请填写详细地址';
  if (Array.from(detail).length > 120) return '详细地址最多120个字';
  return null;
}

/** The API body of an address form (trimmed). */
export function addressBody(f: AddressForm): AddressForm {
  return {
    name: f.name.trim(),
    phone: f.phone.trim(),
    province: f.province.trim(),
    city: f.city.trim(),
    district: f.district.trim(),
    detail: f.detail.trim(),
    isDefault: f.isDefault,
  };
}
