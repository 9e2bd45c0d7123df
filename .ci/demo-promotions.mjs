#!/usr/bin/env node
// The seeded 双十一 campaign, end to end, against a running `npm run dev` (http://localhost:8787):
// a new shopper gets the new-user pack, sees the campaign's banners, claims the platform coupons,
// quotes a cart (限时折扣, 满减, the suggested coupons, why the others do not apply), orders and
// pays, then spins the lucky wheel. Prints every discount line.
// Usage: node .ci/demo-promotions.mjs [baseUrl]
import { readDevVars } from './dev-vars.mjs';
import { demoClient, key, step, yuan } from './demo-client.mjs';

const BASE = process.argv[2] ?? 'http://localhost:8787';
const vars = readDevVars();
const { request, call } = demoClient(BASE);

const { accessToken: admin } = await call('POST', '/admin/v1/auth/login', {
  body: { email: 'admin@edgemall.local', password: vars.SEED_ADMIN_PASSWORD },
});

step('a new shopper signs in: the new-user pack (新人礼包) is granted once');
const { accessToken: token, user } = await call('POST', '/store/v1/auth/wx-login', {
  body: { code: `demo-promo-${Date.now().toString(36)}` },
});
const { id: addressId } = await call('POST', '/store/v1/addresses', {
  token,
  body: { name: '韩梅梅', phone: '13700000000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路11号' },
});
for (const c of (await call('GET', '/store/v1/me/coupons', { token })).items)
  console.log(`  ${c.name} · ${c.label} · 至 ${c.validTo.slice(0, 10)}`);

step('home: the live campaign');
const { campaign } = await call('GET', '/store/v1/home/campaign', { token });
if (!campaign) throw new Error('no live campaign: run `npm run dev` (it seeds the 双十一 demo)');
console.log(`  ${campaign.name} · until ${campaign.endsAt.slice(0, 10)}`);
for (const b of campaign.banners) console.log(`  banner: ${b.title} → ${b.link}`);
if (campaign.popup) console.log(`  popup:  ${campaign.popup.title}`);

step('coupon centre (领券中心): claim the campaign coupons');
const centre = await call('GET', '/store/v1/coupons', { token });
for (const t of centre.items.filter((x) => campaign.couponTemplateIds.includes(x.templateId) && x.canClaim)) {
  const r = await call('POST', '/store/v1/coupons/claim', {
    token,
    body: { templateId: t.templateId },
    headers: { 'idempotency-key': key() },
  });
  console.log(`  claimed ${r.name} (${t.remaining} left before this one)`);
}

step('cart: the 保温杯 (限时8折) and ¥200+ of other goods from the same shop');
const cupHit = (await call('GET', `/store/v1/products?q=${encodeURIComponent('316不锈钢保温杯')}&inStock=true`)).items[0];
const cup = await call('GET', `/store/v1/products/${cupHit.id}`);
const cupSku = cup.skus.find((s) => s.stock > 0);
const others = (await call('GET', '/store/v1/products?limit=100&inStock=true')).items.filter(
  (p) => p.merchantId === cup.merchantId && p.id !== cup.id && p.minPrice >= 10000,
);
const other = await call('GET', `/store/v1/products/${others[0].id}`);
const otherSku = other.skus.find((s) => s.stock > 1);
const items = [
  { skuId: cupSku.id, quantity: 1 },
  { skuId: otherSku.id, quantity: 2 },
];
console.log(
  `  ${cup.title} ${cupSku.specKey} × 1 @ ${yuan(cupSku.price)}\n  ${other.title} ${otherSku.specKey} × 2 @ ${yuan(otherSku.price)}`,
);

step('quoteCheckout: each discount line, the suggested coupons and why the others are not used');
const q = await call('POST', '/store/v1/checkout/quote', { token, body: { items, addressId } });
for (const g of q.groups) {
  for (const l of g.lines) console.log(`  ${l.title.slice(0, 14)}… ${yuan(l.lineTotal)} − ${yuan(l.discountShare)} = ${yuan(l.payable)}`);
  for (const d of g.discounts) console.log(`  − ${yuan(d.amount).padStart(8)}  ${d.label}  (${d.source} ${d.sourceId})`);
  console.log(`  shipping ${yuan(g.shipping.fee)} − ${yuan(g.shipping.discount)} (${g.shipping.reason})`);
}
for (const h of q.hints) console.log(`  hint: ${h.label}: ${h.message}`);
for (const o of q.coupons.options) console.log(`  ${o.applied ? '✓' : '·'} ${o.name}${o.reason ? ` — ${o.reason}` : ''}`);
console.log(
  `  goods ${yuan(q.goodsTotal)} − discounts ${yuan(q.discountTotal)} + shipping ${yuan(q.shippingTotal)} = payable ${yuan(q.payableTotal)}`,
);

step('createOrder with the suggested coupons, pay in the sandbox');
const order = await call('POST', '/store/v1/orders', {
  token,
  body: { items, addressId, couponIds: q.coupons.appliedIds, expectedPayableTotal: q.payableTotal },
  headers: { 'idempotency-key': key() },
});
await call('POST', `/store/v1/orders/${order.orders[0].id}/pay`, { token });
await call('POST', `/sandbox/wechatpay/transactions/${order.checkoutId}/pay`);
const detail = await call('GET', `/store/v1/orders/${order.orders[0].id}`, { token });
console.log(
  `  order ${detail.orderNo}: ${detail.status}, paid ${yuan(detail.payableTotal)}; coupons used: ${(await call('GET', '/store/v1/me/coupons?status=used', { token })).items.map((c) => c.name).join(', ')}`,
);

step('lucky wheel (幸运大转盘): one free draw a day, then 50 points a draw');
const lotteryId = campaign.lotteryIds[0];
const draw = await call('POST', `/store/v1/lotteries/${lotteryId}/draw`, { token, headers: { 'idempotency-key': key() } });
console.log(`  won: ${draw.prize.name} (${draw.prize.kind}); free draws left today ${draw.drawsLeftToday}`);
const again = await request('POST', `/store/v1/lotteries/${lotteryId}/draw`, { token, headers: { 'idempotency-key': key() } });
console.log(`  second draw → ${again.status} ${again.body.error?.code ?? again.body.prize?.name}`);

step('the campaign budget');
const c = await call('GET', `/admin/v1/campaigns/${campaign.id}`, { token: admin });
console.log(`  ${c.name}: used ${yuan(c.budgetUsed)} of ${yuan(c.budget)}`);
console.log(`\nshopper ${user.id}: done`);
