// 限时秒杀 on the H5 storefront. The operator (API) puts 2 units of a SKU on sale starting in a few
// seconds, 1 per shopper. Three shoppers have the flash-sale page open before it starts: each sees
// 即将开始 and a countdown that turns into 抢购中 on its own (no reload, the server's clock).
// Shoppers A and B buy one each (A pays in the sandbox); shopper C taps after the two units are
// gone and gets a clean 已抢光: the status and button say so, no error page. The API agrees:
// nothing left, exactly two reservations, C's reserve refused as sold out.
import { check, tid } from './lib.mjs';
import { PHONE, addAddress, sandboxShopper, signInPage, taroDisabled, until, settled } from './shop.mjs';
import { randomUUID } from 'node:crypto';

export const app = 'storefront';
export const order = 30;

const LEAD_MS = 12_000; // long enough for three pages to load before the start

export default async function shopFlashSale({ newPage, shopUrl, api, adminToken, screenshot, log }) {
  // A SKU of its own: the second-dearest in-stock SKU of a 保温杯 product the purchase scenario did not pick.
  const list = await api.ok('GET', `/store/v1/products?q=${encodeURIComponent('保温杯')}`);
  const product = await api.ok('GET', `/store/v1/products/${list.items[list.items.length - 1].id}`);
  const sku = product.skus.find((s) => s.stock >= 5);
  check(sku, `${product.title} has no SKU with 5 in stock`);

  const startsAt = new Date(Date.now() + LEAD_MS).toISOString();
  const endsAt = new Date(Date.now() + 30 * 60_000).toISOString();
  const sale = await api.ok('POST', '/admin/v1/flash-sales', {
    token: adminToken,
    body: {
      skuId: sku.id,
      salePrice: Math.max(100, Math.floor(sku.price / 2)),
      allocated: 2,
      perShopperLimit: 1,
      startsAt,
      endsAt,
      requireToken: false,
    },
  });
  log(`flash sale ${sale.id}: 2 × ${product.title} ${sku.specKey} at ${sale.salePrice} fen from ${startsAt}`);

  const shoppers = [];
  for (const name of ['A', 'B', 'C']) {
    const s = await sandboxShopper(api);
    await addAddress(api, s.token);
    const page = await newPage(PHONE);
    await signInPage(page, s);
    await page.goto(`${shopUrl}/pages/flash-sale/index?id=${sale.id}`);
    shoppers.push({ name, ...s, page, item: page.locator(`${tid('flash-item')}[data-sale-id="${sale.id}"]`) });
  }
  const [a, b, c] = shoppers;
  const status = (s) => s.item.locator(tid('flash-status')).innerText();

  // Before the start: 即将开始, a running countdown under a minute, the button not buyable.
  await a.item.waitFor({ state: 'visible' });
  check((await status(a)) === '即将开始', `before the start the status is "${await status(a)}"`);
  const first = await a.item.locator(tid('flash-countdown')).innerText();
  check(/^00:00:[0-5]\d$/.test(first), `the countdown shows "${first}", not HH:MM:SS under a minute`);
  check(await taroDisabled(a.item.locator(tid('flash-buy'))), 'the buy button is enabled before the start');
  await settled(a.page);
  await screenshot('upcoming', a.page);
  await until(async () => (await a.item.locator(tid('flash-countdown')).innerText()) !== first, {
    timeoutMs: 3_000,
    what: 'the countdown to tick',
  });

  // The start: every open page flips to 抢购中 by itself.
  for (const s of shoppers)
    await until(async () => (await status(s)) === '抢购中', {
      timeoutMs: LEAD_MS + 10_000,
      what: `shopper ${s.name}'s page to show 抢购中 without a reload`,
    });
  check(!(await taroDisabled(a.item.locator(tid('flash-buy')))), 'the buy button is still disabled once live');
  await settled(a.page);
  await screenshot('live', a.page);

  // A and B buy one each: each lands on the pay page of their order.
  for (const s of [a, b]) {
    await s.item.locator(tid('flash-buy')).click();
    await s.page.locator(tid('pay-amount')).waitFor({ state: 'visible', timeout: 20_000 });
  }
  await settled(a.page);
  await screenshot('pay', a.page);
  await a.page.locator(tid('pay-submit')).click();
  await until(
    async () =>
      (await a.page.locator(tid('pay-status')).isVisible()) && (await a.page.locator(tid('pay-status')).innerText()).includes('支付成功'),
    {
      timeoutMs: 30_000,
      what: "A's payment to succeed",
    },
  );

  // C's page still shows the sale as live (it loaded before the sell-out); the tap gets 已抢光.
  await c.item.locator(tid('flash-buy')).click();
  await until(async () => (await status(c)) === '已抢光', { what: "C's status to turn 已抢光" });
  check(await taroDisabled(c.item.locator(tid('flash-buy'))), 'the sold-out sale can still be tapped');
  const result = c.page.locator(tid('flash-result'));
  check((await result.innerText()).includes('已抢光'), `C reads "${await result.innerText()}", not 已抢光`);
  check(!(await c.page.locator(tid('page-error')).count()), 'C sees an error page');
  check(!c.page.url().includes('/pages/pay/'), 'C was sent to a pay page');
  await settled(c.page);
  await screenshot('sold-out', c.page);

  // A fresh load says 已抢光 too, and the API agrees: none left, C refused, two orders in all.
  await c.page.reload();
  await c.item.waitFor({ state: 'visible' });
  check((await status(c)) === '已抢光', `after a reload C's status is "${await status(c)}"`);
  const live = (await api.ok('GET', '/store/v1/flash-sales')).items.find((x) => x.id === sale.id);
  check(live?.remaining === 0, `listFlashSales says ${live?.remaining} left, not 0`);
  const again = await api('POST', `/store/v1/flash-sales/${sale.id}/reserve`, {
    token: c.token,
    body: { quantity: 1 },
    headers: { 'idempotency-key': randomUUID() },
  });
  check(
    again.status === 409 && again.json?.error?.code === 'flash_sales.sold_out',
    `C's own reserve → ${again.status} ${again.text?.slice(0, 200)}`,
  );
  const ordersOf = async (s) => (await api.ok('GET', '/store/v1/orders', { token: s.token })).items;
  const [oa, ob, oc] = await Promise.all(shoppers.map(ordersOf));
  check(oa.length === 1 && ob.length === 1 && oc.length === 0, `orders per shopper: A ${oa.length}, B ${ob.length}, C ${oc.length}`);
  const paid = await api.ok('GET', `/store/v1/orders/${oa[0].id}`, { token: a.token });
  check(
    paid.status === 'paid' && paid.paidTotal === sale.salePrice + paid.shippingFee,
    `A's order: ${paid.status}, paid ${paid.paidTotal} ≠ sale price ${sale.salePrice} + shipping ${paid.shippingFee}`,
  );
  log(`sold out cleanly: A paid ${paid.paidTotal} fen, B holds an unpaid order, C refused (409 flash_sales.sold_out)`);
}
