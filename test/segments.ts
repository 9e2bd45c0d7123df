// Helpers of the member segments and win-back tests.
import { expect } from 'vitest';
import { api, env, shopperToken } from './helpers';
import { shopperWithAddress } from './shop';

export const DAY = 86_400_000;

/** A signed-in shopper with an address in 杭州市; `code` signs them in again (a moved clock expires tokens). */
export async function shopper(code = `seg-${crypto.randomUUID().slice(0, 8)}`) {
  return { ...(await shopperWithAddress(code)), code };
}

/** A fresh token for the shopper at the server's (possibly moved) clock. */
export const signInAgain = (s: { code: string }) => shopperToken(s.code);

/** Buys one unit of the SKU and pays through the WeChat Pay sandbox (at the server clock). */
export async function buy(s: { token: string; addressId: string }, skuId: string, couponIds: string[] = []) {
  const o = await api('POST', '/store/v1/orders', {
    token: s.token,
    body: { addressId: s.addressId, items: [{ skuId, quantity: 1 }], couponIds },
    headers: { 'idempotency-key': `k-${crypto.randomUUID()}` },
  });
  expect(o.status, JSON.stringify(o.body)).toBe(201);
  const orderId = o.body.orders[0].id as string;
  const checkoutId = o.body.checkoutId as string;
  const pay = await api('POST', `/store/v1/orders/${orderId}/pay`, { token: s.token });
  expect(pay.status, JSON.stringify(pay.body)).toBe(200);
  const paid = await api('POST', `/sandbox/wechatpay/transactions/${checkoutId}/pay`);
  expect(paid.body.notification.status, JSON.stringify(paid.body)).toBe(204);
  const row = await env.DB.prepare('SELECT paid_total AS paid, discount_total AS discount FROM orders WHERE id = ?')
    .bind(orderId)
    .first<{ paid: number; discount: number }>();
  return { orderId, paid: row!.paid, discount: row!.discount };
}

/** Forgets every nightly run and profile, so a test starts from a shop that was never segmented. */
export async function resetSegments(): Promise<void> {
  await env.DB.batch(
    [
      'segment_runs',
      'member_profiles',
      'member_layer_changes',
      'segment_sizes',
      'win_back_grants',
      'message_sends',
      'segment_settings',
    ].map((t) => env.DB.prepare(`DELETE FROM ${t}`)),
  );
}

/** A shopper's stored profile. */
export const profileOf = (userId: string) =>
  env.DB.prepare('SELECT layer, order_count AS orderCount, spend, city, day FROM member_profiles WHERE user_id = ?')
    .bind(userId)
    .first<{ layer: string; orderCount: number; spend: number; city: string | null; day: string }>();
