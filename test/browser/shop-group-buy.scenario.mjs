// 拼团 on the H5 storefront. The operator (API) runs a 2-person group buy. Shopper A opens a team
// from the group-buy page, pays in the sandbox, and the cashier sends them to the team: 拼团中,
// 还差1人, and a share card with the team's title and price. The order is 待成团 (no refund while
// the team forms). Shopper B opens the shared team link, joins, pays, and both see 拼团成功; A's
// order is then 待发货. The API agrees: the team succeeded with two paid members.
import { check, tid } from './lib.mjs';
import { PHONE, addAddress, sandboxShopper, signInPage, until, settled } from './shop.mjs';

export const app = 'storefront';
export const order = 35;

export default async function shopGroupBuy({ newPage, shopUrl, api, adminToken, screenshot, log }) {
  // A SKU no other shop scenario buys: a 马克杯 (the others take 保温杯).
  const list = await api.ok('GET', `/store/v1/products?q=${encodeURIComponent('马克杯')}`);
  check(list.items.length, 'the demo shop has no 马克杯 to run a group buy on');
  const product = await api.ok('GET', `/store/v1/products/${list.items[0].id}`);
  const sku = product.skus.find((s) => s.stock >= 5);
  check(sku, `${product.title} has no SKU with 5 in stock`);
  const groupPrice = Math.max(100, Math.floor(sku.price * 0.6));
  const deal = await api.ok('POST', '/admin/v1/group-buys', {
    token: adminToken,
    body: {
      skuId: sku.id,
      groupPrice,
      groupSize: 2,
      allocated: 10,
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 60 * 60_000).toISOString(),
    },
  });
  log(`group buy ${deal.id}: 2人团 ${product.title} ${sku.specKey} at ${groupPrice} fen`);

  /** Pays the order on the cashier page in the sandbox and waits for 支付成功. */
  async function payHere(page, who) {
    await page.locator(tid('pay-submit')).waitFor({ state: 'visible', timeout: 20_000 });
    await page.locator(tid('pay-submit')).click();
    await until(
      async () =>
        (
          await page
            .locator(tid('pay-status'))
            .first()
            .innerText()
            .catch(() => '')
        ).includes('支付成功'),
      {
        timeoutMs: 30_000,
        what: `${who}'s payment to succeed`,
      },
    );
  }
  // B goes team → cashier → team: Taro's H5 keeps the first team page in the DOM, hidden.
  const status = (page) => page.locator(tid('team-status')).filter({ visible: true }).innerText();

  // --- A opens a team from the group-buy page and pays -------------------------------------------
  const a = await sandboxShopper(api);
  await addAddress(api, a.token);
  const pageA = await newPage(PHONE);
  await signInPage(pageA, a);
  await pageA.goto(`${shopUrl}/pages/group-buy/index?id=${deal.id}`);
  const card = pageA.locator(`${tid('group-deal')}[data-deal-id="${deal.id}"]`);
  await card.waitFor({ state: 'visible', timeout: 20_000 });
  await card.locator(tid('group-open')).click();
  await payHere(pageA, 'A');
  const sub = await pageA.locator(tid('pay-done-sub')).innerText();
  check(sub.includes('拼团中'), `after paying a team seat the cashier says "${sub}", not 拼团中`);
  await settled(pageA);
  await screenshot('paid', pageA);

  const [ordA] = (await api.ok('GET', '/store/v1/orders', { token: a.token })).items;
  check(
    ordA?.promo?.type === 'group_buy' && ordA.promo.id === deal.id && ordA.awaitingGroup === true,
    `A's order: ${JSON.stringify(ordA)}`,
  );
  const teamId = ordA.promo.teamId;

  // The cashier leads to the team: 拼团中, one of two paid, the share card.
  await pageA.locator(tid('pay-team')).click();
  await pageA.waitForURL(/\/pages\/team\/index/, { timeout: 10_000 });
  await until(async () => (await status(pageA)) === '拼团中', { what: "A's team page to say 拼团中" });
  const missing = await pageA.locator(tid('team-missing')).innerText();
  check(missing.includes('1'), `the team's progress reads "${missing}", not 还差1人`);
  await pageA.locator(tid('team-share')).click();
  const share = pageA.locator(tid('team-share-card'));
  await share.waitFor({ state: 'visible' });
  const shareTitle = await share.locator(tid('team-share-title')).innerText();
  check(shareTitle.includes('还差1人'), `the share card's title is "${shareTitle}"`);
  await settled(pageA);
  await screenshot('share-card', pageA);

  // 我的订单: A's order waits for the team and offers 邀请好友, not a refund.
  await pageA.goto(`${shopUrl}/pages/orders/index`);
  const cardA = pageA.locator(`${tid('order-card')}[data-order-id="${ordA.id}"]`);
  await cardA.waitFor({ state: 'visible' });
  check(
    (await cardA.locator(tid('order-card-status')).innerText()) === '待成团',
    `A's order card says "${await cardA.locator(tid('order-card-status')).innerText()}"`,
  );
  check(await cardA.locator(tid('order-card-team')).isVisible(), 'the 待成团 order card has no 邀请好友 button');
  check(!(await cardA.locator(tid('order-card-refund')).count()), 'the 待成团 order card offers a refund');

  // --- B opens the shared link, joins and pays ---------------------------------------------------
  const b = await sandboxShopper(api);
  await addAddress(api, b.token);
  const pageB = await newPage(PHONE);
  await signInPage(pageB, b);
  await pageB.goto(`${shopUrl}/pages/team/index?id=${teamId}`);
  await until(async () => (await status(pageB)) === '拼团中', { what: "B's team page to say 拼团中" });
  await pageB.locator(tid('team-join')).click();
  await payHere(pageB, 'B');
  await pageB.locator(tid('pay-team')).click();
  await pageB.waitForURL(/\/pages\/team\/index/, { timeout: 10_000 });
  await until(async () => (await status(pageB)) === '拼团成功', { timeoutMs: 20_000, what: "B's team page to say 拼团成功" });
  await settled(pageB);
  await screenshot('succeeded', pageB);

  // A's team page says so too, and A's order is now 待发货.
  await pageA.goto(`${shopUrl}/pages/team/index?id=${teamId}`);
  await until(async () => (await status(pageA)) === '拼团成功', { what: "A's team page to say 拼团成功" });
  const team = await api.ok('GET', `/store/v1/group-buy-teams/${teamId}`);
  check(team.status === 'succeeded' && team.paidCount === 2, `the team: ${team.status}, ${team.paidCount} paid`);
  const after = await until(
    async () => {
      const o = await api.ok('GET', `/store/v1/orders/${ordA.id}`, { token: a.token });
      return o.awaitingGroup === false && o;
    },
    { what: "A's order to stop waiting for the team" },
  );
  check(after.status === 'paid', `A's order is ${after.status}`);
  log(`team ${teamId} formed: A and B paid ${groupPrice} fen each, A's order ready to ship`);
}
