#!/usr/bin/env node
// A flash sale and a group buy, end to end, against a running `npm run dev` (http://localhost:8787):
// many shoppers race for a flash sale's units (anti-bot token, one per shopper), some pay, some
// cancel, reconciliation proves D1 and the SKU's Durable Object agree; then a 3-person group buy
// where a crowd races for the team's two free seats. Prints sold/oversold figures.
// Usage: node .ci/demo-flash.mjs [baseUrl] [shoppers]
import { readDevVars } from './dev-vars.mjs';
import { demoClient, key, step, yuan } from './demo-client.mjs';

const BASE = process.argv[2] ?? 'http://localhost:8787';
const SHOPPERS = Number(process.argv[3] ?? 300);
const vars = readDevVars();

const { request, call } = demoClient(BASE);
/** Runs fn over items with at most n in flight. */
async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}
const run = Date.now().toString(36);
async function shopper(i) {
  const { accessToken } = await call('POST', '/store/v1/auth/wx-login', { body: { code: `demo-flash-${run}-${i}` } });
  await call('POST', '/store/v1/addresses', {
    token: accessToken,
    body: { name: '李雷', phone: '13800000000', province: '浙江省', city: '杭州市', district: '西湖区', detail: `文三路${i}号` },
  });
  return accessToken;
}
const pay = async (token, order) => {
  await call('POST', `/store/v1/orders/${order.orderId}/pay`, { token });
  await call('POST', `/sandbox/wechatpay/transactions/${order.checkoutId}/pay`);
};

const { accessToken: admin } = await call('POST', '/admin/v1/auth/login', {
  body: { email: 'admin@edgemall.local', password: vars.SEED_ADMIN_PASSWORD },
});

step('pick a seeded product with stock (保温杯)');
const found = await call('GET', `/store/v1/products?q=${encodeURIComponent('保温杯')}&inStock=true`);
const product = await call('GET', `/store/v1/products/${found.items[0].id}`);
const sku = [...product.skus].sort((a, b) => b.stock - a.stock)[0];
if (sku.stock < 60)
  await call('POST', `/admin/v1/skus/${sku.id}/stock-adjustments`, {
    token: admin,
    body: { delta: 200, reason: 'restock', note: 'demo:flash' },
    headers: { 'idempotency-key': key() },
  });
console.log(`  ${product.title} · ${sku.specKey} · list ${yuan(sku.price)}`);

const ALLOCATED = 50;
step(`create a live flash sale: ${ALLOCATED} units at ${yuan(Math.floor(sku.price / 3))}, 1 per shopper, anti-bot token on`);
const now = Date.now();
const sale = await call('POST', '/admin/v1/flash-sales', {
  token: admin,
  body: {
    skuId: sku.id,
    salePrice: Math.floor(sku.price / 3),
    allocated: ALLOCATED,
    perShopperLimit: 1,
    startsAt: new Date(now - 1000).toISOString(),
    endsAt: new Date(now + 3600_000).toISOString(),
    requireToken: true,
  },
});
console.log(`  sale ${sale.id}: remaining ${sale.remaining}`);

step(`${SHOPPERS} shoppers sign in and add an address`);
const tokens = await pool([...Array(SHOPPERS).keys()], 16, (i) => shopper(i));

step(`all ${SHOPPERS} race: take the sale token, then reserve (each twice, as impatient thumbs do)`);
const t0 = Date.now();
const results = await Promise.all(
  tokens.map(async (token) => {
    const t = await call('POST', `/store/v1/flash-sales/${sale.id}/token`, { token });
    return Promise.all(
      [0, 1].map(() =>
        request('POST', `/store/v1/flash-sales/${sale.id}/reserve`, {
          token,
          body: { quantity: 1 },
          headers: { 'idempotency-key': key(), 'x-flash-token': t.token },
        }),
      ),
    );
  }),
);
const flat = results.flat();
const won = flat.filter((r) => r.status === 201);
const tally = flat.reduce(
  (m, r) => ({
    ...m,
    [r.status === 201 ? 'reserved' : (r.body?.error?.code ?? r.status)]:
      (m[r.status === 201 ? 'reserved' : (r.body?.error?.code ?? r.status)] ?? 0) + 1,
  }),
  {},
);
console.log(`  ${flat.length} requests in ${Date.now() - t0} ms →`, tally);
const winners = new Set(won.map((r) => r.body.order.orderId));
console.log(`  sold ${won.length} of ${ALLOCATED}; oversold ${Math.max(0, won.length - ALLOCATED)}; distinct orders ${winners.size}`);

step('winners poll their result (抢购结果): the pending orders, written from the durable reservations');
const winnersByToken = tokens.map((token, i) => ({ token, r: results[i].find((x) => x.status === 201) })).filter((x) => x.r);
const t1 = Date.now();
await pool(winnersByToken, 16, async (w) => {
  w.r.body = await call('GET', `/store/v1/flash-sales/${sale.id}/reservations/${w.r.body.reservationId}`, { token: w.token });
});
console.log(
  `  ${winnersByToken.length} orders pending payment (${Date.now() - t1} ms; the queue had written most already), e.g. ${winnersByToken[0].r.body.order.orderNo} ${yuan(winnersByToken[0].r.body.order.payableTotal)}`,
);

step('10 winners pay in the WeChat Pay sandbox, 5 cancel, the rest stay unpaid');
await pool(winnersByToken.slice(0, 10), 5, ({ token, r }) => pay(token, r.body.order));
await pool(winnersByToken.slice(10, 15), 5, ({ token, r }) =>
  call('POST', `/store/v1/orders/${r.body.order.orderId}/cancel`, { token, body: {} }),
);
const report = await call('POST', `/admin/v1/flash-sales/${sale.id}/reconcile`, { token: admin });
console.log(
  `  DO: sold ${report.do.sold}, reserved ${report.do.reserved}, remaining ${report.do.remaining}; D1: sold ${report.d1.soldUnits}, pending ${report.d1.pendingUnits}; agree=${report.agree}`,
);
const list = await call('GET', '/store/v1/flash-sales');
console.log(
  `  storefront shows remaining ${list.items.find((i) => i.id === sale.id).remaining} (the 5 cancelled units are back in the sale)`,
);

step('group buy: a 3-person deal, leader price');
const gb = await call('POST', '/admin/v1/group-buys', {
  token: admin,
  body: {
    skuId: sku.id,
    groupPrice: Math.floor(sku.price * 0.6),
    leaderPrice: Math.floor(sku.price * 0.5),
    groupSize: 3,
    allocated: 30,
    startsAt: new Date(now - 1000).toISOString(),
    endsAt: new Date(now + 86400_000).toISOString(),
  },
});
console.log(
  `  deal ${gb.id}: ${yuan(gb.groupPrice)} (leader ${yuan(gb.leaderPrice)}), ${gb.groupSize} people, ${gb.timeLimitMinutes} min to fill`,
);
const [leader, ...crowd] = tokens.slice(0, 21);
const opened = await call('POST', `/store/v1/group-buys/${gb.id}/teams`, { token: leader, headers: { 'idempotency-key': key() } });
await pay(leader, opened.order);
const teamId = opened.team.id;
let view = await call('GET', `/store/v1/group-buy-teams/${teamId}`);
console.log(`  leader paid → team ${view.status}, share card: "${view.shareCard.title}" → ${view.shareCard.path}`);
const joins = await Promise.all(
  crowd.map((token) =>
    request('POST', `/store/v1/group-buy-teams/${teamId}/join`, { token, body: {}, headers: { 'idempotency-key': key() } }),
  ),
);
const seated = joins.map((r, i) => ({ r, token: crowd[i] })).filter((x) => x.r.status === 201);
const codes = joins.reduce(
  (m, r) => ({ ...m, [r.status === 201 ? 'seated' : r.body.error.code]: (m[r.status === 201 ? 'seated' : r.body.error.code] ?? 0) + 1 }),
  {},
);
console.log(`  ${crowd.length} shoppers race for 2 free seats →`, codes, seated.length === 2 ? '(never more than the team size)' : '!!');
for (const { r, token } of seated) await pay(token, r.body.order);
view = await call('GET', `/store/v1/group-buy-teams/${teamId}`);
console.log(
  `  both paid → team ${view.status} (${view.shareCard.progress}); members: ${view.members.map((m) => `${m.name}${m.role === 'leader' ? '(团长)' : ''}`).join(', ')}`,
);

const oversold = Math.max(0, won.length - ALLOCATED) + Math.max(0, seated.length - 2);
console.log(
  `\n${oversold === 0 && report.agree ? '✔' : '✘'} flash sale sold ${won.length}/${ALLOCATED}, group team ${view.paidCount}/${view.size}; oversold ${oversold}; D1 and DO agree: ${report.agree}`,
);
process.exit(oversold === 0 && report.agree ? 0 : 1);
