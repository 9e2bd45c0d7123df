#!/usr/bin/env node
// Walks the closed shopping loop against a running `npm run dev` (http://localhost:8787):
// shopper logs in → address → cart → quote → order → pays in the WeChat Pay sandbox → admin
// ships → carrier tracking webhook (signed) → shopper sees tracking → confirms receipt.
// Usage: node .ci/demo-loop.mjs [baseUrl]
import { createHmac } from 'node:crypto';
import { readDevVars } from './dev-vars.mjs';
import { demoClient, step, yuan } from './demo-client.mjs';

const BASE = process.argv[2] ?? 'http://localhost:8787';
const vars = readDevVars();

const { call } = demoClient(BASE);

step('shopper signs in (sandbox wx.login code "demo-loop")');
const { accessToken: shopper, user } = await call('POST', '/store/v1/auth/wx-login', { body: { code: 'demo-loop' } });
console.log(`  shopper ${user.id}`);

step('search 保温杯 and pick the first in-stock SKU');
const found = await call('GET', `/store/v1/products?q=${encodeURIComponent('保温杯')}&inStock=true`);
const product = await call('GET', `/store/v1/products/${found.items[0].id}`);
const sku = product.skus.find((s) => s.stock > 0);
console.log(`  ${product.title} · ${sku.specKey} · ${yuan(sku.price)} · stock ${sku.stock}`);

step('address book + cart');
const addrs = await call('GET', '/store/v1/addresses', { token: shopper });
const addressId =
  addrs.items?.[0]?.id ??
  (
    await call('POST', '/store/v1/addresses', {
      token: shopper,
      body: { name: '王小明', phone: '13912345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路100号' },
    })
  ).id;
await call('POST', '/store/v1/cart/items', { token: shopper, body: { skuId: sku.id, quantity: 2 } });

step('quote');
const quote = await call('POST', '/store/v1/checkout/quote', { token: shopper, body: { addressId } });
for (const g of quote.groups)
  console.log(
    `  ${g.merchantId}: goods ${yuan(g.goodsTotal)} − discounts ${yuan(g.discountTotal)} + shipping ${yuan(g.shipping.fee)} (${g.shipping.reason}) = ${yuan(g.payableTotal)}`,
  );

step('create the order (Idempotency-Key)');
const key = `demo-${Date.now()}`;
const created = await call('POST', '/store/v1/orders', {
  token: shopper,
  body: { addressId, expectedPayableTotal: quote.payableTotal },
  headers: { 'idempotency-key': key },
});
const again = await call('POST', '/store/v1/orders', {
  token: shopper,
  body: { addressId, expectedPayableTotal: quote.payableTotal },
  headers: { 'idempotency-key': key },
});
const orderId = created.orders[0].id;
console.log(
  `  order ${created.orders[0].orderNo} (${orderId}); retry with the same key replayed=${again.replayed}, same id=${again.orders[0].id === orderId}`,
);

step('pay: payOrder → wx.requestPayment params; the sandbox plays the shopper and WeChat');
const pay = await call('POST', `/store/v1/orders/${orderId}/pay`, { token: shopper });
console.log(`  package ${pay.requestPayment.package}, paySign ${pay.requestPayment.paySign.slice(0, 16)}…`);
const paid = await call('POST', pay.sandboxPayPath);
console.log(`  signed TRANSACTION.SUCCESS delivered → our notify answered ${paid.notification.status}`);

step('admin signs in and ships');
const { accessToken: admin } = await call('POST', '/admin/v1/auth/login', {
  body: { email: vars.SEED_ADMIN_EMAIL ?? 'admin@edgemall.local', password: vars.SEED_ADMIN_PASSWORD },
});
const trackingNo = `SF${Date.now()}`;
await call('POST', `/admin/v1/orders/${orderId}/ship`, { token: admin, body: { carrierCode: 'SF', trackingNo } });

step('the carrier posts tracking events (HMAC-signed webhook)');
const events = {
  carrierCode: 'SF',
  trackingNo,
  events: [
    {
      at: new Date(Date.now() - 3600_000).toISOString(),
      status: 'in_transit',
      description: '快件已到达【杭州转运中心】',
      location: '杭州',
    },
    { at: new Date().toISOString(), status: 'delivered', description: '已签收，签收人：本人', location: '杭州西湖区' },
  ],
};
const raw = JSON.stringify(events);
const t = Math.floor(Date.now() / 1000);
const sig = createHmac('sha256', vars.LOGISTICS_WEBHOOK_SECRET).update(`${t}.${raw}`).digest('hex');
await call('POST', '/webhooks/logistics/tracking', {
  raw,
  headers: { 'content-type': 'application/json', 'x-edgemall-signature': `t=${t},v1=${sig}` },
});
const tracking = await call('GET', `/store/v1/orders/${orderId}/tracking`, { token: shopper });
for (const e of tracking.items[0].events) console.log(`  ${e.at ?? e.eventAt} ${e.status} ${e.description}`);

step('shopper confirms receipt');
const done = await call('POST', `/store/v1/orders/${orderId}/confirm-receipt`, { token: shopper });
console.log(`  status ${done.status}`);

step('shopper asks for a partial refund: 1 of the 2 units (仅退款)');
const line = done.lines[0];
const as = await call('POST', `/store/v1/orders/${orderId}/after-sales`, {
  token: shopper,
  body: { type: 'refund_only', reason: '质量问题', description: '一个杯盖有裂纹', lines: [{ orderLineId: line.id, quantity: 1 }] },
  headers: { 'idempotency-key': `as-${Date.now()}` },
});
console.log(`  after-sale ${as.id}: refund ${yuan(as.refundAmount)} of the line's ${yuan(line.payable)}`);

step('staff approve; the refund goes to WeChat Pay (sandbox)');
const reviewed = await call('POST', `/admin/v1/after-sales/${as.id}/review`, { token: admin, body: { decision: 'approve' } });
console.log(`  status ${reviewed.status}, refund ${reviewed.refund?.outRefundNo} ${reviewed.refund?.status}`);
const completed = await call('POST', `/sandbox/wechatpay/refunds/${reviewed.refund.outRefundNo}/complete`);
console.log(`  signed REFUND.SUCCESS delivered → our refund-notify answered ${completed.notification.status}`);
const finalAs = await call('GET', `/store/v1/after-sales/${as.id}`, { token: shopper });
console.log(`  after-sale ${finalAs.status}`);

const order = await call('GET', `/store/v1/orders/${orderId}`, { token: shopper });
console.log(`  order paid ${yuan(order.paidTotal)}, refunded ${yuan(order.refundedTotal)}`);
console.log('  timeline:');
for (const e of order.timeline)
  console.log(`    ${e.at}  ${e.type.padEnd(18)} ${e.actorType.padEnd(7)} ${e.fromStatus ?? ''} → ${e.toStatus ?? ''} ${e.note}`);
