// Compliance in the console: a merchant (山野茶铺) saves a product whose title carries an absolute
// term (全网第一) and is refused with the term marked in the title; with the title fixed it is
// saved (and waits for review). An operator runs a spot check (抽查) on that product in 抽查整改,
// issues a correction notice (整改通知) with a deadline, and the merchant sees the notice with its
// reason and countdown on its 整改通知 page.
import { check, createStaff, fillField, loginViaUi, tid, uniq } from './lib.mjs';
import { fillProductForm, findProductByTitle, leafCategory } from './product-form.mjs';

export const order = 72;
export const needs = ['product-blocked', 'screen-mark', 'spot-create', 'spot-issue-', 'notice-submit', 'notices', 'notice-countdown'];

const MERCHANT_ID = 'mch_demo_tea';

export default async function compliance({ newPage, consoleUrl, api, adminToken, screenshot, log }) {
  const merchant = await createStaff(api, adminToken, { role: 'merchant', name: '山野茶铺店长', merchantId: MERCHANT_ID });
  const operator = await createStaff(api, adminToken, { role: 'operator', name: '运营小李' });
  const leaf = await leafCategory(api, adminToken);

  // --- the merchant's refused save ---------------------------------------------------------------
  const mPage = await newPage();
  await loginViaUi(mPage, consoleUrl, merchant.email, merchant.password);
  await mPage.goto(`${consoleUrl}/products/new`);
  const tag = uniq();
  const bad = `全网第一 手工红茶 ${tag}`;
  await fillProductForm(mPage, {
    title: bad,
    category: leaf.label,
    material: '茶叶',
    origin: '云南',
    status: 'on_sale',
    skus: [{ price: '68.00', stock: 20 }],
  });
  await mPage.locator(tid('product-submit')).click();
  await mPage.locator(tid('product-blocked')).waitFor({ state: 'visible' });
  const marks = await mPage.locator(`${tid('screening-field-title')} ${tid('screen-mark')}`).allInnerTexts();
  check(JSON.stringify(marks) === JSON.stringify(['全网第一']), `the title marks ${JSON.stringify(marks)}`);
  check(!(await findProductByTitle(api, adminToken, bad, 1000)), 'nothing was saved');
  await screenshot('compliance-refused', mPage);

  // --- fixed, it goes through (to review: a merchant's listing waits for an operator) -------------
  const good = `手工红茶 ${tag}`;
  await fillField(mPage, 'product-title', good);
  await mPage.locator(tid('product-submit')).click();
  await mPage.waitForURL(/\/products\/prd_/, { timeout: 20_000 });
  const saved = await findProductByTitle(api, adminToken, good);
  check(saved && saved.status === 'pending_review', `saved as ${saved?.status}`);
  log(`product ${saved.id} saved as ${saved.status}`);

  // --- an operator's spot check and correction notice -------------------------------------------
  const oPage = await newPage();
  await loginViaUi(oPage, consoleUrl, operator.email, operator.password);
  await oPage.goto(`${consoleUrl}/spot-checks`);
  await fillField(oPage, 'spot-merchant', MERCHANT_ID);
  await oPage.locator('input[type=radio][value="chosen"]').check();
  await fillField(oPage, 'spot-product-ids', saved.id);
  await oPage.locator(tid('spot-create')).click();
  await oPage.locator(tid(`spot-item-${saved.id}`)).waitFor({ state: 'visible' });
  await oPage.locator(tid(`spot-issue-${saved.id}`)).click();
  const reason = `详情页缺少茶叶等级依据，请补充检测报告 ${tag}`;
  await fillField(oPage, 'notice-reason', reason);
  await oPage.locator(tid('notice-submit')).click();
  await oPage
    .locator(tid(`spot-item-notice-${saved.id}`))
    .filter({ hasText: '待整改' })
    .waitFor({ state: 'visible' });
  await screenshot('compliance-spot-check', oPage);

  // --- the merchant sees it ------------------------------------------------------------------------
  await mPage.goto(`${consoleUrl}/correction-notices`);
  const row = mPage.locator(`${tid('notices')} tr`).filter({ hasText: reason });
  await row.waitFor({ state: 'visible' });
  check((await row.locator(tid('notice-countdown')).innerText()).includes('剩余'), 'the deadline counts down');
  check((await row.innerText()).includes(good), 'the notice names the product');
  await screenshot('compliance-merchant-notices', mPage);
}
