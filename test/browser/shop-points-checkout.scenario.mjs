// 积分抵扣 on the H5 storefront: a shopper the admin granted 2000 points (adjustPoints) buys a
// 保温杯 now, turns on 积分抵扣 at the checkout ("可用 N 积分抵 ¥x"), sees the deduction line and
// the lower total, pays in the WeChat Pay sandbox, and finds the spend on 积分明细 (tab 使用).
// The API confirms the quote, the order's points line, the amount charged and the ledger.
import { check, tid } from './lib.mjs';
import { PHONE, addAddress, sandboxShopper, settled, signInPage, until } from './shop.mjs';

export const app = 'storefront';
export const order = 45;
export const needs = ['checkout-points-switch', 'points-ledger'];

const textOf = async (loc) => (await loc.innerText()).replace(/\s+/g, ' ').trim();
const fenIn = (s) => {
  const m = /¥\s*([\d,]+)(?:\.(\d{1,2}))?/.exec(s);
  return m ? Number(m[1].replace(/,/g, '')) * 100 + Number((m[2] ?? '0').padEnd(2, '0')) : NaN;
};

export default async function shopPointsCheckout({ newPage, shopUrl, api, adminToken, screenshot, log, state }) {
  const shopper = await sandboxShopper(api);
  const { token } = shopper;
  const address = await addAddress(api, token);
  const me = await api.ok('GET', '/store/v1/me', { token });
  await api.ok('POST', `/admin/v1/users/${me.id}/points`, { token: adminToken, body: { delta: 2000, reason: '浏览器场景赠送' } });

  const list = await api.ok('GET', `/store/v1/products?q=${encodeURIComponent('保温杯')}`);
  const product = await api.ok('GET', `/store/v1/products/${list.items[0].id}`);
  const sku = product.skus.find((s) => s.stock >= 3);
  check(sku, `${product.title} has no SKU in stock`);
  const items = [{ skuId: sku.id, quantity: 1 }];
  const withPoints = await api.ok('POST', '/store/v1/checkout/quote', { token, body: { items, addressId: address.id, usePoints: 'max' } });
  const without = await api.ok('POST', '/store/v1/checkout/quote', { token, body: { items, addressId: address.id } });
  check(withPoints.points.used > 0 && withPoints.points.amount > 0, `the API quote uses no points: ${JSON.stringify(withPoints.points)}`);
  check(
    without.payableTotal - withPoints.payableTotal === withPoints.points.amount,
    `points take ${without.payableTotal - withPoints.payableTotal} fen off, not ${withPoints.points.amount}`,
  );

  // --- checkout: 积分抵扣 on ---------------------------------------------------------------
  const page = await newPage(PHONE);
  await signInPage(page, shopper);
  await page.goto(`${shopUrl}/pages/checkout/index?skuId=${sku.id}&qty=1`);
  const pointsText = page.locator(tid('checkout-points-text'));
  await until(async () => (await textOf(pointsText)).includes(`可用 ${withPoints.points.maxPoints} 积分`), {
    what: `checkout-points-text to offer ${withPoints.points.maxPoints} points`,
  });
  const payable = page.locator(tid('checkout-payable'));
  await until(async () => fenIn(await textOf(payable)) === without.payableTotal, {
    what: `the total ${without.payableTotal} before points`,
  });
  await settled(page);
  await screenshot('points-off', page);
  await page.locator(tid('checkout-points-switch')).click();
  await until(async () => fenIn(await textOf(payable)) === withPoints.payableTotal, {
    what: `checkout-payable to show ${withPoints.payableTotal} with points`,
  });
  const line = await textOf(page.locator(tid('checkout-points-line')));
  check(line.includes(`${withPoints.points.used}积分`), `the points line says "${line}"`);
  await settled(page);
  await screenshot('points-on', page);
  await page.locator(tid('checkout-submit')).click();

  // --- pay ----------------------------------------------------------------------------------
  await page.locator(tid('pay-amount')).waitFor({ state: 'visible' });
  check(fenIn(await textOf(page.locator(tid('pay-amount')))) === withPoints.payableTotal, 'the pay page shows another amount');
  await page.locator(tid('pay-submit')).click();
  await until(
    async () => (await page.locator(tid('pay-status')).isVisible()) && (await textOf(page.locator(tid('pay-status')))).includes('支付成功'),
    { timeoutMs: 30_000, what: 'pay-status 支付成功' },
  );
  const { items: orders } = await api.ok('GET', '/store/v1/orders', { token });
  const detail = await api.ok('GET', `/store/v1/orders/${orders[0].id}`, { token });
  check(
    detail.status === 'paid' && detail.paidTotal === withPoints.payableTotal,
    `the order is ${detail.status}, paid ${detail.paidTotal}`,
  );
  const pointsLine = detail.discounts.find((d) => d.source === 'points');
  check(pointsLine?.amount === withPoints.points.amount, `the order's points line is ${JSON.stringify(pointsLine)}`);
  const ledger = await api.ok('GET', '/store/v1/me/points/ledger?type=spend', { token });
  check(
    ledger.items[0]?.reason === 'checkout' && ledger.items[0].delta === -withPoints.points.used,
    `the spend entry is ${JSON.stringify(ledger.items[0])}`,
  );
  check(ledger.balance === 2000 - withPoints.points.used, `the balance is ${ledger.balance}`);

  // --- 积分明细 ------------------------------------------------------------------------------
  await page.goto(`${shopUrl}/member/points/index`);
  await until(async () => (await textOf(page.locator(tid('points-balance')))) === String(ledger.balance), {
    what: `points-balance ${ledger.balance}`,
  });
  await page.locator(tid('points-tab-spend')).click();
  const rows = page.locator(tid('points-ledger-row'));
  await until(async () => (await rows.count()) === 1 && (await rows.first().getAttribute('data-reason')) === 'checkout', {
    what: 'one 下单抵扣 row under 使用',
  });
  check((await textOf(rows.first())).includes(`-${withPoints.points.used}`), `the row says "${await textOf(rows.first())}"`);
  await settled(page);
  await screenshot('points-ledger', page);
  state.pointsShopperId = me.id;
  log(`paid ${detail.paidTotal} fen with ${withPoints.points.used} points (−${withPoints.points.amount} fen); 积分明细 shows the spend`);
}
