import { expect } from 'vitest';
import { api, env, shopperToken } from './helpers';
import { paidOrder, shipOrder, type PaidOrder } from './aftersales';
import { encodePng } from '../workers/dev/png';

/** A paid, shipped order whose shopper confirmed receipt: its line may be reviewed. */
export async function deliveredOrder(opts: Parameters<typeof paidOrder>[0] = {}): Promise<PaidOrder> {
  const o = await paidOrder({ qty: 1, ...opts });
  await shipOrder(o.orderId);
  const r = await api('POST', `/store/v1/orders/${o.orderId}/confirm-receipt`, { token: o.token });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return o;
}

export const createReview = (token: string, body: Record<string, unknown>, key?: string) =>
  api('POST', '/store/v1/reviews', { token, body, headers: key ? { 'idempotency-key': key } : {} });

/** A PNG of the given size (review photos need at least 200×200). */
export const png = (w = 300, h = 300) => encodePng(w, h, (x, y) => [x & 255, y & 255, 128]);

export async function uploadPhoto(token: string, w = 300, h = 300) {
  const bytes = await png(w, h);
  return api('POST', '/store/v1/reviews/media', { token, raw: bytes, headers: { 'content-type': 'image/png' } });
}

/** A fresh shopper's token. */
export const someShopper = () => shopperToken(`rv-${crypto.randomUUID().slice(0, 8)}`);

export async function reviewRow(id: string) {
  return env.DB.prepare('SELECT status, hold_reason, helpful_count, report_count FROM reviews WHERE id = ?').bind(id).first<{
    status: string;
    hold_reason: string | null;
    helpful_count: number;
    report_count: number;
  }>();
}
