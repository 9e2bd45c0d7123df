// The points mall (积分商城) on the H5 storefront: a shopper given 3000 points by the operator
// (adjustPoints) opens 我的 → 积分商城, exchanges the demo's 无门槛10元券 (coupon, points only), then
// the 316不锈钢保温杯 (1500积分 + ¥29.90): picks the delivery address, confirms, pays the cash part in
// the WeChat Pay sandbox like any order, and finds both in 兑换记录. The API confirms each step:
// the balance, the coupon in the wallet, the paid order, the records.
import { check, tid } from './lib.mjs';
import { PHONE, addAddress, sandboxShopper, settled, signInPage, until } from './shop.mjs';

export const app = 'storefront';
export const order = 60;
export const needs = ['mall-item', 'mall-redeem', 'mall-record'];

const textOf = async (loc) => (await loc.innerText()).replace(/\s+/g, ' ').trim();

export default async function shopPointsMall({ newPage, shopUrl, api, adminToken, screenshot, log }) {
  const shopper = await sandboxShopper(api);
  const { token } = shopper;
  const me = await api.ok('GET', '/store/v1/me', { token });
  await addAddress(api, token);
  await api.ok('POST', `/admin/v1/users/${me.id}/points`, {
    token: adminToken,
    body: { delta: 3000, reason: '积分商城体验', ref: `mall-${me.id}` },
  });
  const mall = await api.ok('GET', '/store/v1/points-mall/items', { token });
  const coupon = mall.items.find((i) => i.kind === 'coupon' && i.title === '无门槛10元券');
  const cup = mall.items.find((i) => i.kind === 'goods' && i.cashPrice > 0);
  check(coupon && cup, `the demo mall lacks the 10元券 or a points + cash item: ${mall.items.map((i) => i.title).join(', ')}`);

  const page = await newPage(PHONE);
  await signInPage(page, shopper);
  await page.goto(`${shopUrl}/pages/mine/index`);
  await page.locator(tid('mine-points-mall')).click();
  await page.locator(tid('mall-item')).first().waitFor({ state: 'visible' });
  await until(async () => (await textOf(page.locator(tid('mall-points')))) === '3000', { what: 'the mall header to show 3000 points' });
  const cupCard = page.locator(`${tid('mall-item')}[data-item-id="${cup.id}"]`);
  check(
    (await textOf(cupCard)).includes('1500') && (await textOf(cupCard)).includes('¥29.90'),
    `the cup card reads "${await textOf(cupCard)}"`,
  );
  await settled(page);
  await screenshot('mall', page);

  // --- the coupon: 立即兑换 → confirm → 兑换成功
  await page.locator(`${tid('mall-tab')}[data-kind="coupon"]`).click();
  await page.locator(`${tid('mall-item')}[data-item-id="${coupon.id}"]`).click();
  await page.locator(tid('mall-item-title')).waitFor({ state: 'visible' });
  await page.locator(tid('mall-redeem')).click();
  await page.locator('.taro-model__confirm').click(); // Taro's H5 showModal: 确认兑换
  const done = page.locator(tid('mall-redeem-done'));
  await done.waitFor({ state: 'visible' });
  check((await textOf(done)).includes('优惠券已放入'), `the success card reads "${await textOf(done)}"`);
  await settled(page);
  await screenshot('coupon-done', page);
  const afterCoupon = await api.ok('GET', '/store/v1/me/points', { token });
  check(afterCoupon.balance === 3000 - coupon.pointsPrice, `the balance is ${afterCoupon.balance} after the coupon`);
  const wallet = await api.ok('GET', '/store/v1/me/coupons', { token });
  check(
    wallet.items.some((c) => c.name === '积分兑换 无门槛10元'),
    'the exchanged coupon is not in the wallet',
  );

  // --- the cup: address, confirm, pay ¥29.90 in the sandbox
  await page.goto(`${shopUrl}/member/mall-item/index?id=${cup.id}`);
  await page.locator(tid('mall-item-address')).waitFor({ state: 'visible' });
  check((await textOf(page.locator(tid('mall-item-detail-price')))).includes('1500积分 + ¥29.90'), 'the detail shows another price');
  await settled(page);
  await screenshot('cup-detail', page);
  await page.locator(tid('mall-redeem')).click();
  await page.locator('.taro-model__confirm').click();
  await page.locator(tid('pay-amount')).waitFor({ state: 'visible', timeout: 20_000 });
  check(
    (await textOf(page.locator(tid('pay-amount')))).includes('29.90'),
    `the cashier asks ${await textOf(page.locator(tid('pay-amount')))}`,
  );
  await page.locator(tid('pay-submit')).click();
  await until(
    async () => (await page.locator(tid('pay-status')).isVisible()) && (await textOf(page.locator(tid('pay-status')))).includes('支付成功'),
    {
      timeoutMs: 30_000,
      what: 'pay-status 支付成功',
    },
  );
  await settled(page);
  await screenshot('cup-paid', page);

  // --- 兑换记录
  await page.goto(`${shopUrl}/member/mall-records/index`);
  const rows = page.locator(tid('mall-record'));
  await until(async () => (await rows.count()) === 2, { what: 'two exchange records' });
  const kinds = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  check(kinds.join(',') === 'goods,coupon', `the records are ${kinds.join(',')}, newest first expected goods,coupon`);
  check((await textOf(rows.first())).includes('待发货'), `the cup's record reads "${await textOf(rows.first())}"`);
  await settled(page);
  await screenshot('records', page);
  const records = await api.ok('GET', '/store/v1/me/points-mall/exchanges', { token });
  const goods = records.items.find((x) => x.kind === 'goods');
  check(
    goods?.status === 'completed' && goods.order?.status === 'paid',
    `the cup's exchange is ${goods?.status} / ${goods?.order?.status}`,
  );
  const points = await api.ok('GET', '/store/v1/me/points', { token });
  check(points.balance === 3000 - coupon.pointsPrice - cup.pointsPrice, `the balance is ${points.balance}`);
  log(`exchanged ${coupon.title} and ${cup.title} (order ${goods.order.orderNo}); ${points.balance} points left`);
}
