// An operator (created through the API) signs in through the login page, creates a product with
// two spec dimensions (颜色: 红/蓝 × 尺码: S/M → 4 SKUs) with prices, stock and an uploaded
// image, submits, and puts it on sale from the product list. The API must then show it on sale
// with 4 SKUs and a main image.
import path from 'node:path';
import { check, createStaff, fillField, loginViaUi, tid, uniq, writePng } from './lib.mjs';
import { fillProductForm, findProductByTitle, leafCategory } from './product-form.mjs';

export const order = 10;
export const needs = [
  'product-title',
  'product-category',
  'product-material',
  'product-origin',
  'spec-add',
  'spec-name-',
  'spec-values-',
  'sku-price-',
  'sku-stock-',
  'image-upload',
  'product-submit',
  'product-onsale-',
];

export default async function operatorProduct(ctx) {
  const { newPage, consoleUrl, api, adminToken, screenshot, tmpDir, state, log } = ctx;
  const operator = await createStaff(api, adminToken, { role: 'operator', name: '运营小王' });
  log(`operator ${operator.email}`);

  const page = await newPage();
  await loginViaUi(page, consoleUrl, operator.email, operator.password);

  await page.goto(`${consoleUrl}/products/new`);
  const title = `浏览器测试T恤 ${uniq()}`;
  const image = writePng(path.join(tmpDir, 'tshirt.png'), { rgb: [200, 30, 40] });
  const skus = [
    { price: '59.00', stock: 10 },
    { price: '69.00', stock: 20 },
    { price: '79.00', stock: 30 },
    { price: '89.00', stock: 40 },
  ];
  const category = await leafCategory(api, adminToken);
  await fillProductForm(page, {
    title,
    category: category.label,
    specs: [
      ['颜色', ['红', '蓝']],
      ['尺码', ['S', 'M']],
    ],
    skus,
    image,
  });
  await screenshot('product-form', page);
  await page.locator(tid('product-submit')).click();

  // The API is the judge: the product exists with 4 SKUs and a main image.
  const found = await findProductByTitle(api, adminToken, title);
  check(found, `no product titled ${title} after submitting the form`);
  state.operatorProductId = found.id;
  log(`created ${found.id}`);

  await page.goto(`${consoleUrl}/products`);
  await fillField(page, 'filter-keyword', title);
  await page.locator(tid('filter-submit')).click();
  const onSale = page.locator(tid(`product-onsale-${found.id}`));
  await onSale.click();
  // A confirmation (Popconfirm / Modal) if the console asks for one.
  const confirm = page.locator('.ant-popconfirm:visible .ant-btn-primary, .ant-modal-confirm:visible .ant-btn-primary');
  if (await confirm.count()) await confirm.first().click();
  await page.locator(tid(`product-offsale-${found.id}`)).waitFor({ state: 'visible' });
  await screenshot('product-list', page);

  const p = await api.ok('GET', `/admin/v1/products/${found.id}`, { token: adminToken });
  check(p.status === 'on_sale', `status is ${p.status}, want on_sale`);
  check(p.categoryId === category.id, `category ${p.categoryId}, want ${category.id} (${category.label})`);
  check(p.skus.length === 4, `${p.skus.length} SKUs, want 4`);
  check(p.mainImage && p.mainImage.url, 'no main image');
  const dims = Object.fromEntries(p.specDims.map((d) => [d.name, [...d.values].sort()]));
  check(
    JSON.stringify(dims['颜色']) === JSON.stringify(['红', '蓝'].sort()) && JSON.stringify(dims['尺码']) === JSON.stringify(['M', 'S']),
    `specDims ${JSON.stringify(p.specDims)}`,
  );
  const prices = p.skus.map((s) => s.price).sort((a, b) => a - b);
  check(JSON.stringify(prices) === JSON.stringify([5900, 6900, 7900, 8900]), `SKU prices ${prices} (fen)`);
  const stock = p.skus.reduce((n, s) => n + s.stock, 0);
  check(stock === 100, `total stock ${stock}, want 100`);
  // The image the browser uploaded is really served.
  const img = await fetch(new URL(p.mainImage.url, ctx.apiUrl));
  check(
    img.ok && (img.headers.get('content-type') ?? '').startsWith('image/'),
    `main image ${p.mainImage.url} → ${img.status} ${img.headers.get('content-type')}`,
  );
  // The storefront sees it too.
  const store = await api('GET', `/store/v1/products/${found.id}`);
  check(store.status === 200 && store.json.skus.length === 4, `storefront getProduct → ${store.status}`);
}
