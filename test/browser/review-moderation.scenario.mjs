// 社区评测, part 2 (after shop-review): an operator opens 评价审核 in the console, sees the held
// review with 最好 marked in its text and the fix hint, and approves it; the review then shows on
// the product page of the H5 storefront with its photo.
import { check, createStaff, loginViaUi, tid } from './lib.mjs';
import { PHONE, settled, until } from './shop.mjs';

export const order = 76;
export const needs = ['nav-', 'review-moderation-page', 'moderation-item', 'moderation-approve'];

export default async function reviewModeration({ newPage, consoleUrl, shopUrl, api, adminToken, screenshot, skip, log, state }) {
  if (!state.review) return skip('shop-review did not run (it leaves the held review this scenario approves)');
  const { id, productId, text } = state.review;
  const ops = await createStaff(api, adminToken, { role: 'operator' });
  const page = await newPage();
  await loginViaUi(page, consoleUrl, ops.email, ops.password);
  await page.locator(tid('nav-review-moderation')).click();
  const item = page.locator(`${tid('moderation-item')}[data-review-id="${id}"]`).first();
  await item.waitFor({ state: 'visible', timeout: 20_000 });
  const marks = await item.locator(tid('screen-mark')).allInnerTexts();
  check(marks.includes('最好'), `the held text marks ${JSON.stringify(marks)}, not 最好`);
  check((await item.locator(tid('moderation-text')).innerText()).includes(text.slice(0, 6)), 'the held text is shown');
  await screenshot('review-moderation', page);
  await item.locator(tid('moderation-approve')).click();
  await item.waitFor({ state: 'detached', timeout: 20_000 });

  const listed = await until(async () => (await api.ok('GET', `/store/v1/products/${productId}/reviews`)).items.find((r) => r.id === id), {
    what: 'the approved review on the product page (listProductReviews)',
  });
  check(listed.photos.length === 1, 'the published review lost its photo');
  log(`review ${id}: approved by an operator, listed on product ${productId}`);

  if (!shopUrl) return log('the storefront is not served in this run: checked the product page through the API only');
  const shop = await newPage(PHONE);
  await shop.goto(`${shopUrl}/pages/product/index?id=${productId}`);
  const card = shop.locator(`${tid('product-reviews')} ${tid('review-card')}[data-review-id="${id}"]`);
  await card.waitFor({ state: 'visible', timeout: 20_000 });
  check((await card.locator(tid('review-text')).innerText()).includes(text.slice(0, 6)), 'the product page shows another text');
  await card.scrollIntoViewIfNeeded();
  await settled(shop);
  await screenshot('product-reviews', shop);
}
