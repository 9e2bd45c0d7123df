// 商户入驻 end to end: a visitor applies on /apply with a licence image → the admin approves it
// with an 8% commission on /merchant-applications → the new merchant signs in, creates a product
// and asks for 上架 → it is pending review, not on sale → the merchant cannot reach admin-only
// screens (no menu items, `forbidden` when typed in) → the merchant's token cannot read another
// merchant's order or the audit log through the API either.
import path from 'node:path';
import {
  callOp,
  check,
  creditCode,
  fileInput,
  fillField,
  loginViaApi,
  loginViaUi,
  pickOption,
  placeShopperOrder,
  tid,
  uniq,
  writePng,
} from './lib.mjs';
import { fillProductForm, findProductByTitle, leafCategory } from './product-form.mjs';

export const order = 20;
export const needs = ['apply-submit', 'apply-result', 'approve-', 'commission-bps', 'review-confirm', 'product-submit', 'forbidden'];

export default async function merchantOnboarding(ctx) {
  const { newPage, consoleUrl, api, adminToken, adminEmail, adminPassword, screenshot, tmpDir, state, log } = ctx;
  const id = uniq();
  const applicant = {
    company: `杭州浏览器测试日用品有限公司${id}`,
    creditCode: creditCode(),
    shop: `测试旗舰店${id.slice(-4)}`,
    contactName: '王小明',
    phone: '13912345678',
    contactEmail: `contact-${id}@browser.test`,
    email: `merchant-${id}@browser.test`,
    password: `merchant-pw-${id}`,
  };

  // 1. A visitor applies.
  const visitor = await newPage();
  await visitor.goto(`${consoleUrl}/apply`);
  await fillApplication(visitor, applicant, writePng(path.join(tmpDir, 'licence.png'), { size: 96, rgb: [30, 90, 200] }));
  await screenshot('apply-form', visitor);
  await visitor.locator(tid('apply-submit')).click();
  const result = visitor.locator(tid('apply-result'));
  await result.waitFor({ state: 'visible' });
  const statusEl = visitor.locator(tid('apply-result-status'));
  const resultText = (await statusEl.count()) ? (await statusEl.innerText()).trim() : await result.innerText();
  check(/^pending$|待审核|审核中/i.test(resultText), `apply-result says "${resultText.slice(0, 200)}", want pending`);
  await screenshot('apply-result', visitor);

  // The API has the pending application.
  const pending = await callOp(api, 'listMerchantApplications', { token: adminToken, query: { status: 'pending', limit: '50' } });
  check(pending.status === 200, `listMerchantApplications → ${pending.status} ${pending.text.slice(0, 200)}`);
  const app = pending.json.items.find((a) => a.email === applicant.email);
  check(app, `no pending application for ${applicant.email}`);
  log(`application ${app.id}`);

  // 2. The admin approves it with commission 800 (8%).
  const admin = await newPage();
  await loginViaUi(admin, consoleUrl, adminEmail, adminPassword);
  await admin.locator(tid('nav-merchant-applications')).click();
  await admin.locator(tid(`approve-${app.id}`)).click();
  await fillField(admin, 'commission-bps', 800);
  await screenshot('approve-dialog', admin);
  await admin.locator(tid('review-confirm')).click();
  await admin
    .locator(tid(`approve-${app.id}`))
    .waitFor({ state: 'detached' })
    .catch(() => {});
  await screenshot('applications-after-approval', admin);

  const detail = await waitFor(async () => {
    const r = await callOp(api, 'getMerchantApplication', { token: adminToken, params: { applicationId: app.id, id: app.id } });
    return r.status === 200 && r.json.status === 'approved' ? r.json : null;
  }, 'the application to be approved');
  check(detail.commissionBps === 800, `commissionBps ${detail.commissionBps}, want 800`);
  check(detail.merchantId, 'approved application has no merchantId');
  state.merchantId = detail.merchantId;
  state.applicationId = app.id;

  // 3. The merchant signs in with the applied email/password and creates a product.
  const merchant = await newPage();
  await loginViaUi(merchant, consoleUrl, applicant.email, applicant.password);
  const title = `商家测试保温杯 ${id}`;
  await merchant.goto(`${consoleUrl}/products/new`);
  await fillProductForm(merchant, {
    title,
    category: (await leafCategory(api, adminToken)).label,
    // The merchant asks for 上架; a merchant's product goes to review first.
    status: 'on_sale',
    specs: [['容量', ['350ml', '500ml']]],
    skus: [
      { price: '39.90', stock: 5 },
      { price: '49.90', stock: 5 },
    ],
    image: writePng(path.join(tmpDir, 'cup.png'), { rgb: [20, 160, 90] }),
  });
  await merchant.locator(tid('product-submit')).click();
  const merchantToken = await loginViaApi(api, applicant.email, applicant.password);
  const product = await findProductByTitle(api, adminToken, title);
  check(product, `no product titled ${title} after the merchant submitted it`);
  check(product.merchantId === detail.merchantId, `product belongs to ${product.merchantId}, want ${detail.merchantId}`);
  check(product.status === 'pending_review', `merchant's new product is ${product.status}, want pending_review`);
  state.merchantProductId = product.id;
  const inStore = await api('GET', `/store/v1/products/${product.id}`);
  check(inStore.status === 404, `storefront getProduct of a product pending review → ${inStore.status}, want 404`);
  await merchant.goto(`${consoleUrl}/products`);
  await merchant
    .locator(tid(`product-row-${product.id}`))
    .waitFor({ state: 'visible' })
    .catch(() => {});
  await screenshot('merchant-products', merchant);

  // 4. No admin-only screens for the merchant: not in the menu, and `forbidden` when typed in.
  await merchant.locator(tid('nav-products')).waitFor({ state: 'visible' }); // the menu is there…
  for (const key of ['merchant-applications', 'audit-log', 'staff', 'merchants']) {
    check((await merchant.locator(tid(`nav-${key}`)).count()) === 0, `the merchant's menu has nav-${key}`);
  }
  for (const route of ['/merchant-applications', '/audit-log']) {
    await merchant.goto(`${consoleUrl}${route}`);
    await merchant.locator(tid('forbidden')).waitFor({ state: 'visible' });
  }
  await screenshot('merchant-forbidden', merchant);

  // 5. …and the API agrees: another merchant's order and the audit log are off limits.
  const other = await placeShopperOrder(api, { notMerchantId: detail.merchantId });
  const theirs = await api('GET', `/admin/v1/orders/${other.orderId}`, { token: merchantToken });
  check([403, 404].includes(theirs.status), `merchant GET another merchant's order ${other.orderId} → ${theirs.status}, want 403/404`);
  const asAdmin = await api('GET', `/admin/v1/orders/${other.orderId}`, { token: adminToken });
  check(asAdmin.status === 200, `admin GET the same order → ${asAdmin.status} (the order should exist)`);
  const audit = await callOp(api, 'listAuditLog', { token: merchantToken });
  check([403, 404].includes(audit.status), `merchant listAuditLog → ${audit.status}, want 403/404`);
  const apps = await callOp(api, 'listMerchantApplications', { token: merchantToken });
  check([403, 404].includes(apps.status), `merchant listMerchantApplications → ${apps.status}, want 403/404`);
}

/** The /apply form. Field testids: apply-<field>; the licence is a file input (or an Upload wrapping one). */
async function fillApplication(page, a, licenceFile) {
  const fields = [
    ['apply-company-name', a.company],
    ['apply-credit-code', a.creditCode],
    ['apply-shop-name', a.shop],
    ['apply-contact-name', a.contactName],
    ['apply-contact-phone', a.phone],
    ['apply-contact-email', a.contactEmail],
    ['apply-email', a.email],
    ['apply-password', a.password],
  ];
  for (const [id, v] of fields) await fillField(page, id, v);
  await pickOption(page, 'apply-category');
  const file = await fileInput(page, 'apply-licence');
  await file.setInputFiles(licenceFile);
  await page
    .locator('.ant-upload-list-item-done, [data-testid="apply-licence"] img, [data-testid="apply-licence-done"]')
    .first()
    .waitFor({ state: 'visible', timeout: 20_000 });
}

async function waitFor(fn, what, timeoutMs = 15_000) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
