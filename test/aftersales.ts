import { expect } from 'vitest';
import { api, env, staffToken } from './helpers';
import { placeOrder, sellable, shopperWithAddress } from './shop';

/** A merchant row (staff of it can then be created with staffToken('merchant', id)). */
export async function makeMerchant(): Promise<string> {
  const id = `mch_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await env.DB.prepare("INSERT INTO merchants (id, name, status, commission_bps, created_at) VALUES (?, ?, 'active', 500, 0)")
    .bind(id, id)
    .run();
  return id;
}

export interface PaidOrder {
  token: string;
  addressId: string;
  admin: string;
  skuId: string;
  productId: string;
  orderId: string;
  checkoutId: string;
  lineId: string;
  /** What the shopper paid for the whole order (goods − discount + shipping). */
  paidTotal: number;
  shippingFee: number;
  /** The line's payable (lineTotal − discountShare). */
  payable: number;
  merchantId: string;
}

/**
 * A paid order of `qty` units at `price`. `discount` fen is taken off the line as if a promotion
 * had apportioned it (written before payment, so the payment covers exactly what is owed).
 */
export async function paidOrder(
  opts: {
    price?: number;
    qty?: number;
    stock?: number;
    discount?: number;
    merchantId?: string;
    shopper?: { token: string; addressId: string };
  } = {},
): Promise<PaidOrder> {
  const { price = 1000, qty = 3, stock = 20, discount = 0 } = opts;
  const { skuId, productId, admin } = await sellable(price, stock, opts.merchantId ? { merchantId: opts.merchantId } : {});
  const shopper = opts.shopper ?? (await shopperWithAddress());
  const o = await placeOrder(shopper.token, shopper.addressId, skuId, qty);
  expect(o.status, JSON.stringify(o.body)).toBe(201);
  const orderId = o.body.orders[0].id as string;
  const checkoutId = o.body.checkoutId as string;
  if (discount) {
    await env.DB.batch([
      env.DB.prepare('UPDATE order_lines SET discount_share = ?1, payable = line_total - ?1 WHERE order_id = ?2').bind(discount, orderId),
      env.DB.prepare('UPDATE orders SET discount_total = ?1, payable_total = payable_total - ?1 WHERE id = ?2').bind(discount, orderId),
      env.DB.prepare('UPDATE checkouts SET payable_total = payable_total - ?1 WHERE id = ?2').bind(discount, checkoutId),
    ]);
  }
  const pay = await api('POST', `/store/v1/orders/${orderId}/pay`, { token: shopper.token });
  expect(pay.status, JSON.stringify(pay.body)).toBe(200);
  const paid = await api('POST', `/sandbox/wechatpay/transactions/${checkoutId}/pay`);
  expect(paid.body.notification.status).toBe(204);
  const detail = await api('GET', `/store/v1/orders/${orderId}`, { token: shopper.token });
  expect(detail.body.status).toBe('paid');
  return {
    ...shopper,
    admin,
    skuId,
    productId,
    orderId,
    checkoutId,
    lineId: detail.body.lines[0].id,
    paidTotal: detail.body.paidTotal,
    shippingFee: detail.body.shippingFee,
    payable: detail.body.lines[0].payable,
    merchantId: detail.body.merchantId,
  };
}

let opsToken: string | null = null;
/** Ships the order (an operator with orders.write). */
export async function shipOrder(orderId: string) {
  opsToken ??= await staffToken('operator');
  const r = await api('POST', `/admin/v1/orders/${orderId}/ship`, {
    token: opsToken,
    body: { carrierCode: 'SF', trackingNo: `SF${Date.now()}${Math.floor(Math.random() * 1000)}` },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}

export const applyAfterSale = (token: string, orderId: string, body: Record<string, unknown>, key?: string) =>
  api('POST', `/store/v1/orders/${orderId}/after-sales`, { token, body, headers: key ? { 'idempotency-key': key } : {} });

export const review = (token: string, id: string, decision: 'approve' | 'reject', reason?: string) =>
  api('POST', `/admin/v1/after-sales/${id}/review`, { token, body: reason === undefined ? { decision } : { decision, reason } });

/** "WeChat finished the refund": the sandbox delivers a signed REFUND.SUCCESS to our notify route. */
export const completeRefund = (outRefundNo: string) => api('POST', `/sandbox/wechatpay/refunds/${outRefundNo}/complete`);

export async function orderRow(orderId: string) {
  return (await env.DB.prepare('SELECT status, paid_total, refunded_total, close_reason FROM orders WHERE id = ?')
    .bind(orderId)
    .first<{ status: string; paid_total: number; refunded_total: number; close_reason: string | null }>())!;
}

export async function lineRow(lineId: string) {
  return (await env.DB.prepare('SELECT refunded_quantity, refunded_amount FROM order_lines WHERE id = ?')
    .bind(lineId)
    .first<{ refunded_quantity: number; refunded_amount: number }>())!;
}

export async function skuStock(skuId: string) {
  return (await env.DB.prepare('SELECT stock FROM skus WHERE id = ?').bind(skuId).first<{ stock: number }>())!.stock;
}

export async function timelineOf(orderId: string, token: string): Promise<string[]> {
  const r = await api('GET', `/store/v1/orders/${orderId}`, { token });
  return r.body.timeline.map((e: { type: string }) => e.type);
}
