// 社区评测 on the H5 storefront, part 1: a shopper whose 保温杯 order was delivered finds it under
// 我的 → 我的评价 → 待评价, gives five stars and two tags, uploads a photo and writes a review with
// a 广告法 word (最好). Screening holds it: the shopper sees 审核中 and the product page does not
// list it. Part 2 (review-moderation.scenario.mjs) approves it in the console.
import path from 'node:path';
import { check, tid, writePng } from './lib.mjs';
import { PHONE, addAddress, idem, sandboxShopper, settled, signInPage, taroFill, until } from './shop.mjs';

export const app = 'storefront';
export const order = 46;
export const needs = ['mine-reviews', 'my-reviews-write', 'review-textarea', 'review-photo-add', 'review-submit'];

export const REVIEW_TEXT = '这是我用过最好的保温杯，保温一整天，做工也很扎实';

export default async function shopReview({ newPage, shopUrl, api, adminToken, screenshot, log, tmpDir, state }) {
  // --- a delivered order, through the API (shop-purchase and shop-after-sale play these steps on the page)
  const shopper = await sandboxShopper(api);
  const { token } = shopper;
  const address = await addAddress(api, token);
  const list = await api.ok('GET', `/store/v1/products?q=${encodeURIComponent('保温杯')}`);
  const product = await api.ok('GET', `/store/v1/products/${list.items[0].id}`);
  const sku = product.skus.find((s) => s.stock >= 1);
  check(sku, `${product.title} has no SKU in stock`);
  const created = await api.ok('POST', '/store/v1/orders', {
    token,
    body: { addressId: address.id, items: [{ skuId: sku.id, quantity: 1 }] },
    headers: { 'idempotency-key': idem() },
  });
  const orderId = created.orders[0].id;
  const pay = await api.ok('POST', `/store/v1/orders/${orderId}/pay`, { token });
  await api.ok('POST', pay.sandboxPayPath);
  await until(async () => (await api.ok('GET', `/store/v1/orders/${orderId}`, { token })).status === 'paid', {
    what: 'the order to be paid',
  });
  await api.ok('POST', `/admin/v1/orders/${orderId}/ship`, {
    token: adminToken,
    body: { carrierCode: 'SF', trackingNo: `SF${Date.now()}` },
  });
  await api.ok('POST', `/store/v1/orders/${orderId}/confirm-receipt`, { token });
  log(`order ${orderId}: ${product.title}, delivered and received`);

  // --- 我的 → 我的评价 → 待评价 → 去评价 -----------------------------------------------------
  const page = await newPage(PHONE);
  await signInPage(page, shopper);
  await page.goto(`${shopUrl}/pages/mine/index`);
  await page.locator(tid('mine-reviews')).click();
  const line = page.locator(tid('my-reviews-line')).first();
  await line.waitFor({ state: 'visible' });
  await settled(page);
  await screenshot('reviews-todo', page);
  await line.locator(tid('my-reviews-write')).click();

  // --- stars, tags, a photo, the text --------------------------------------------------------
  await page.locator(`${tid('review-star')}[data-star="5"]`).click();
  await page.locator(tid('review-tag')).filter({ hasText: '质量好' }).click();
  await page.locator(tid('review-tag')).filter({ hasText: '物流快' }).click();
  await taroFill(page, 'review-textarea', REVIEW_TEXT);
  const photo = writePng(path.join(tmpDir, 'cup-review.png'), { size: 320, rgb: [30, 140, 200] });
  const chooser = page.waitForEvent('filechooser');
  await page.locator(tid('review-photo-add')).click();
  await (await chooser).setFiles(photo);
  await page.locator(tid('review-photo-thumb')).first().waitFor({ state: 'visible', timeout: 20_000 });
  await settled(page);
  await screenshot('review-write', page);
  await page.locator(tid('review-submit')).click();

  // --- held: 审核中 for the shopper, absent from the product page ----------------------------
  const status = page.locator(tid('review-status')).first();
  await status.waitFor({ state: 'visible', timeout: 20_000 });
  await until(async () => (await status.innerText()).includes('审核中'), { what: 'the review to show 审核中' });
  await settled(page);
  await screenshot('review-pending', page);
  const mine = await api.ok('GET', '/store/v1/me/reviews', { token });
  const review = mine.items[0];
  check(review?.status === 'pending', `the review is ${review?.status}, not pending`);
  check(
    review.photos.length === 1 && review.tags.join() === '质量好,物流快',
    `the review kept ${review.photos.length} photos, tags ${review.tags}`,
  );
  const publicList = await api.ok('GET', `/store/v1/products/${product.id}/reviews`);
  check(!publicList.items.some((r) => r.id === review.id), 'a held review is listed on the product page');
  state.review = { id: review.id, productId: product.id, text: REVIEW_TEXT, shopper };
  log(`review ${review.id}: held for moderation (最好), 1 photo`);
}
