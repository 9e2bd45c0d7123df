// After the purchase, on the H5 storefront: a paid order of two 保温杯 is shipped by the operator
// and the carrier posts tracking events (signed webhook). The shopper finds it under 我的订单 →
// 待收货, reads the tracking timeline (newest first), confirms receipt, then asks for a refund of
// one unit (退货退款) with a photo; the after-sales list shows the request and the API holds it
// with the uploaded photo.
import path from 'node:path';
import { check, tid, writePng } from './lib.mjs';
import { PHONE, sandboxShopper, settled, shippedOrder, signInPage, until } from './shop.mjs';

export const app = 'storefront';
export const order = 40;

export default async function shopAfterSale({ newPage, shopUrl, apiUrl, api, adminToken, devVars, screenshot, log, tmpDir }) {
  // --- a paid, shipped order with tracking, through the API (shop-purchase does this on the page)
  const shopper = await sandboxShopper(api);
  const { token } = shopper;
  const { orderId, trackingNo } = await shippedOrder({ api, apiUrl, adminToken, devVars, token });
  log(`order ${orderId}: paid, shipped (SF ${trackingNo}), 2 tracking events`);

  // --- 我的订单 → 待收货 → the order with its timeline --------------------------------------
  const page = await newPage(PHONE);
  await signInPage(page, shopper);
  await page.goto(`${shopUrl}/pages/orders/index?status=shipped`);
  const card = page.locator(tid('order-card')).first();
  await card.waitFor({ state: 'visible' });
  check(
    (await card.locator(tid('order-card-status')).innerText()).includes('待收货'),
    `the card says "${await card.locator(tid('order-card-status')).innerText()}"`,
  );
  await settled(page);
  await screenshot('orders-shipped', page);
  await card.click();
  await page.locator(tid('order-status')).waitFor({ state: 'visible' });
  check(
    (await page.locator(tid('order-status')).innerText()).includes('待收货'),
    `order-status says "${await page.locator(tid('order-status')).innerText()}"`,
  );
  const events = page.locator(tid('order-tracking-event'));
  await events.first().waitFor({ state: 'visible' });
  const texts = await events.allInnerTexts();
  check(texts.length >= 2, `the timeline shows ${texts.length} events`);
  check(
    texts[0].includes('快递员正在派件') && texts.some((x) => x.includes('杭州转运中心')),
    `the timeline is not newest first: ${texts.join(' | ')}`,
  );
  await settled(page);
  await screenshot('order-tracking', page);

  // --- confirm receipt ---------------------------------------------------------------------
  await page.locator(tid('order-confirm')).click();
  await page.locator('.taro-model__confirm').click(); // Taro's H5 showModal: 确定
  await until(async () => ['delivered', 'completed'].includes((await api.ok('GET', `/store/v1/orders/${orderId}`, { token })).status), {
    what: 'the order to be received (confirmReceipt)',
  });
  await until(async () => /已完成|已收货|交易成功/.test(await page.locator(tid('order-status')).innerText()), {
    what: 'order-status to show the receipt',
  });

  // --- after-sale: 退货退款, one unit, a photo ----------------------------------------------
  await page.locator(tid('order-after-sale')).first().click();
  await page.locator(`${tid('after-sale-type')}[data-type="return_refund"]`).click();
  await page.locator(tid('after-sale-reason')).first().click();
  const qty = page.locator(tid('after-sale-qty')).first();
  while (Number(await qty.innerText()) > 1) await page.locator(tid('after-sale-qty-minus')).first().click();
  const photo = writePng(path.join(tmpDir, 'cup-crack.png'), { size: 96, rgb: [40, 120, 220] });
  const chooser = page.waitForEvent('filechooser');
  await page.locator(tid('after-sale-photo-add')).click();
  await (await chooser).setFiles(photo);
  await page.locator(tid('after-sale-photo')).first().waitFor({ state: 'visible', timeout: 20_000 });
  await settled(page);
  await screenshot('after-sale-form', page);
  await page.locator(tid('after-sale-submit')).click();
  const asCard = page.locator(tid('after-sale-card')).first();
  await asCard.waitFor({ state: 'visible', timeout: 20_000 });
  await settled(page);
  await screenshot('after-sales', page);

  const mine = await api.ok('GET', '/store/v1/after-sales', { token });
  check(mine.items.length === 1, `the shopper has ${mine.items.length} after-sales, not 1`);
  const req = mine.items[0];
  check(req.orderId === orderId && req.type === 'return_refund', `the after-sale is ${req.type} for ${req.orderId}`);
  check(JSON.stringify(req).includes('"quantity":1'), `the after-sale is not for 1 unit: ${JSON.stringify(req).slice(0, 300)}`);
  check((req.photos ?? []).length === 1, `the after-sale holds ${(req.photos ?? []).length} photos, not 1`);
  check((await asCard.getAttribute('data-after-sale-id')) === req.id, 'the after-sales list does not show the new request first');
  log(`after-sale ${req.id}: ${req.type}, 1 unit, ${req.photos.length} photo, status ${req.status}`);
}
