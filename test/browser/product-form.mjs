// Driving the console's product form (/products/new), shared by the operator and merchant scenarios.
import { check, fileInput, fillField, pickOption, tid } from './lib.mjs';

/**
 * Fills /products/new: title, a category (the first option unless `category` names one), material, origin,
 * the status radio when `status` is given, spec
 * dimensions [[name, [values…]], …], one { price (yuan text), stock } per generated SKU row, and
 * an image file. Does not submit.
 */
export async function fillProductForm(
  page,
  { title, category, material = '纯棉', origin = '浙江杭州', status, specs = [], skus = [], image },
) {
  await fillField(page, 'product-title', title);
  await pickOption(page, 'product-category', category);
  // Material and origin are required before a product may go on sale (catalog.not_publishable).
  if (material) await fillField(page, 'product-material', material);
  if (origin) await fillField(page, 'product-origin', origin);
  // The status radio (draft / on_sale). A merchant asking for on_sale gets pending_review.
  if (status) await page.locator(`${tid('product-status')} input[type=radio][value="${status}"]`).check();

  for (const [i, [name, values]] of specs.entries()) {
    // The form may start with an empty dimension row; add one only when row i is missing.
    if (!(await page.locator(tid(`spec-name-${i}`)).count())) await page.locator(tid('spec-add')).click();
    await fillField(page, `spec-name-${i}`, name);
    await fillSpecValues(page, `spec-values-${i}`, values);
  }

  const rows = skus.length;
  if (rows) await page.locator(tid(`sku-price-${rows - 1}`)).waitFor({ state: 'visible' });
  check((await page.locator(tid(`sku-price-${rows}`)).count()) === 0, `the form shows more than ${rows} SKU rows`);
  for (const [row, { price, stock }] of skus.entries()) {
    await fillField(page, `sku-price-${row}`, price);
    await fillField(page, `sku-stock-${row}`, stock);
  }

  if (image) {
    const input = await fileInput(page, 'image-upload');
    await input.setInputFiles(image);
    // Wait for the upload to finish: antd shows the uploaded item as done / an <img>.
    await page
      .locator('[data-testid="image-preview"], .ant-upload-list-item-done, .ant-upload-list-item img, [data-testid="image-upload"] img')
      .first()
      .waitFor({ state: 'visible', timeout: 20_000 });
  }
}

/** Spec values: a tags Select (type + Enter each), or a text input taking "红,蓝". */
async function fillSpecValues(page, id, values) {
  const el = page.locator(tid(id)).first();
  await el.waitFor({ state: 'visible' });
  const isTags = await el.evaluate((n) => n.classList.contains('ant-select') || !!n.closest('.ant-select'));
  if (isTags) {
    const input = el.locator('input').first();
    for (const v of values) {
      await input.fill(v);
      await input.press('Enter');
    }
    await page.keyboard.press('Escape').catch(() => {});
  } else {
    await fillField(page, id, values.join(','));
    await page
      .locator(tid(id))
      .first()
      .press('Tab')
      .catch(() => {});
  }
}

/** Waits (up to `timeoutMs`) for the API to list a product with exactly this title; returns its summary. */
export async function findProductByTitle(api, token, title, timeoutMs = 15_000) {
  const t0 = Date.now();
  for (;;) {
    const r = await api.ok('GET', `/admin/v1/products?q=${encodeURIComponent(title)}&limit=20`, { token });
    const hit = r.items.find((p) => p.title === title);
    if (hit || Date.now() - t0 > timeoutMs) return hit ?? null;
    await new Promise((res) => setTimeout(res, 500));
  }
}

/**
 * A leaf category (one with no children) and its console label ("家居生活 / 厨房用品 / 保温杯"),
 * so the form gets a category a product may be filed under.
 */
export async function leafCategory(api, token) {
  const { items } = await api.ok('GET', '/admin/v1/categories', { token });
  const parents = new Set(items.map((c) => c.parentId).filter(Boolean));
  const byId = new Map(items.map((c) => [c.id, c]));
  const label = (c) => (c.parentId && byId.get(c.parentId) ? `${label(byId.get(c.parentId))} / ${c.name}` : c.name);
  const leaves = items.filter((c) => !parents.has(c.id) && c.parentId);
  const names = leaves.map((c) => c.name);
  const leaf = leaves.find((c) => names.filter((n) => n === c.name).length === 1) ?? leaves[0] ?? items[0];
  if (!leaf) throw new Error('the API lists no categories (was the demo shop seeded?)');
  return { id: leaf.id, name: leaf.name, label: label(leaf) };
}
