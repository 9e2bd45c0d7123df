// A new shopper on the H5 storefront: signs in with phone + SMS code (the sandbox shows the code),
// searches 保温杯, opens a product, picks a SKU (colour + capacity) in the picker, adds it to the
// cart, checks out (adding a delivery address on the way), switches the coupon to one of the
// new-user pack's, pays in the WeChat Pay sandbox and sees the order as paid (待发货). The API
// confirms each step: the cart line, the quote the page shows, the order's coupon and status.
import { check, tid } from './lib.mjs';
import { PHONE, pageSession, taroFill, until, settled } from './shop.mjs';

export const app = 'storefront';
export const order = 20;

const textOf = async (loc) => (await loc.innerText()).replace(/\s+/g, ' ').trim();
/** "¥1,234.50" anywhere in a text → 123450 fen. */
const fenIn = (s) => {
  const m = /¥\s*([\d,]+)(?:\.(\d{1,2}))?/.exec(s);
  return m ? Number(m[1].replace(/,/g, '')) * 100 + Number((m[2] ?? '0').padEnd(2, '0')) : NaN;
};

export default async function shopPurchase({ newPage, shopUrl, api, screenshot, log, state }) {
  const page = await newPage(PHONE);

  // --- sign in with phone + SMS code --------------------------------------------------------
  const phone = `139${String(Date.now()).slice(-8)}`;
  await page.goto(`${shopUrl}/pages/login/index`);
  await taroFill(page, 'login-phone', phone);
  await page.locator(tid('login-send-code')).click();
  const hint = page.locator(tid('login-sandbox-hint'));
  await hint.waitFor({ state: 'visible' });
  const code = /\d{6}/.exec(await hint.innerText())?.[0];
  check(code, `the sandbox hint shows no 6-digit code: "${await hint.innerText()}"`);
  await taroFill(page, 'login-code', code);
  await settled(page);
  await screenshot('login', page);
  await page.locator(tid('login-submit')).click();
  const session = await until(() => pageSession(page), { what: 'the storefront session after the SMS login' });
  const token = session.accessToken;
  const me = await api.ok('GET', '/store/v1/me', { token });
  check(JSON.stringify(me).includes(phone.slice(-4)), `getMe after the SMS login does not name the phone ${phone}`);
  const { items } = await api.ok('GET', '/store/v1/me/coupons', { token });
  const five = items.find((c) => c.name === '新人专享 无门槛5元' && c.status === 'available');
  check(five, `the new shopper holds no 新人专享 无门槛5元 coupon (holds: ${items.map((c) => c.name).join(', ')})`);
  log(`signed in as ${me.id} (${phone}); ${items.length} coupons from the new-user pack`);

  // --- search 保温杯 --------------------------------------------------------------------------
  // Home: the 双十一 campaign's popup greets a new visitor once; close it, then search.
  await page.locator(tid('home-search')).first().waitFor({ state: 'visible' });
  const popup = page.locator(tid('home-popup'));
  if (
    await popup.waitFor({ state: 'visible', timeout: 5_000 }).then(
      () => true,
      () => false,
    )
  ) {
    await settled(page);
    await screenshot('home-popup', page);
    await page.locator(tid('home-popup-close')).click();
    await popup.waitFor({ state: 'hidden' });
  }
  await settled(page);
  await screenshot('home', page);
  await page.locator(tid('home-search')).first().click();
  await taroFill(page, 'search-input', '保温杯');
  await page.locator(tid('search-submit')).click();
  const results = page.locator(tid('search-result'));
  await results.first().waitFor({ state: 'visible' });
  const titles = await results.allInnerTexts();
  check(
    titles.length >= 2 && titles.every((t) => t.includes('保温杯')),
    `search 保温杯 shows ${titles.length} results, not all 保温杯: ${titles.join(' | ').slice(0, 300)}`,
  );
  await settled(page);
  await screenshot('search', page);

  // The product with two spec dimensions (the demo's 316不锈钢保温杯: 颜色 × 容量).
  const api保温杯 = await api.ok('GET', `/store/v1/products?q=${encodeURIComponent('保温杯')}`);
  let product;
  for (const p of api保温杯.items) {
    const full = await api.ok('GET', `/store/v1/products/${p.id}`);
    if (full.specDims.length >= 2 && full.skus.filter((s) => s.stock > 5).length >= 2) {
      product = full;
      break;
    }
  }
  check(product, 'no 保温杯 with two spec dimensions in the demo shop');
  const index = titles.findIndex((t) => t.includes(product.title));
  check(index >= 0, `the results do not show ${product.title}`);
  await results.nth(index).click();

  // --- product page: pick a SKU in the picker, add to cart ---------------------------------
  await page.locator(tid('product-title')).waitFor({ state: 'visible' });
  check((await textOf(page.locator(tid('product-title')))).includes(product.title), 'the product page shows another title');
  // The dearest in-stock SKU, so the 满99 tiers of the pack apply too.
  const sku = [...product.skus].filter((s) => s.stock > 5).sort((a, b) => b.price - a.price)[0];
  await page.locator(tid('product-add-cart')).click();
  const picker = page.locator(tid('sku-picker'));
  await picker.waitFor({ state: 'visible' });
  await settled(page);
  await screenshot('sku-picker-open', page);
  for (const [i, dim] of product.specDims.entries()) {
    const option = picker.locator(`${tid('sku-option')}[data-spec="${dim.name}"][data-value="${sku.specValues[i]}"]`);
    // Tapping a chosen option unchooses it: tap only the ones not chosen yet.
    if (!/sku-option--selected/.test((await option.getAttribute('class')) ?? '')) await option.click();
    await until(async () => /sku-option--selected/.test((await option.getAttribute('class')) ?? ''), {
      timeoutMs: 3_000,
      what: `${dim.name} ${sku.specValues[i]} to be chosen`,
    });
  }
  const selected = await textOf(picker.locator(tid('sku-selected')));
  for (const v of sku.specValues) check(selected.includes(v), `the picker's 已选 "${selected}" misses ${v}`);
  check(
    fenIn(await textOf(picker)) === sku.price || (await textOf(picker)).includes((sku.price / 100).toFixed(2)),
    `the picker does not show the SKU's price ${sku.price}`,
  );
  await settled(page);
  await screenshot('sku-picked', page);
  await picker.locator(tid('sku-confirm')).click();
  const cartLines = async () => (await api.ok('GET', '/store/v1/cart', { token })).groups.flatMap((g) => g.lines);
  const line = await until(async () => (await cartLines()).find((l) => l.skuId === sku.id && l.quantity === 1), {
    what: `the cart to hold 1 × ${sku.specKey}`,
  });
  log(`cart holds ${line.specKey} (${sku.id})`);

  // --- cart → checkout --------------------------------------------------------------------
  await page.goto(`${shopUrl}/pages/cart/index`);
  await page.locator(tid('cart-item')).first().waitFor({ state: 'visible' });
  check(
    (await textOf(page.locator(tid('cart-item')).first())).includes(sku.specKey.split('/')[0]),
    'the cart line does not name the chosen colour',
  );
  await settled(page);
  await screenshot('cart', page);
  await page.locator(tid('cart-checkout')).click();

  // No address yet: add one from the checkout.
  await page.locator(tid('checkout-address-add')).click();
  await page
    .locator(tid('address-add'))
    .click()
    .catch(() => undefined); // the form may open at once
  await taroFill(page, 'address-name', '李小红');
  await taroFill(page, 'address-phone', '13812345678');
  await taroFill(page, 'address-province', '浙江省');
  await taroFill(page, 'address-city', '杭州市');
  await taroFill(page, 'address-district', '西湖区');
  await taroFill(page, 'address-detail', '文三路 90 号 2 幢 501 室');
  await page.locator(tid('address-save')).click();
  // Saved in select mode: either straight back to the checkout, or pick it from the list.
  await until(
    async () => {
      if (await page.locator(tid('checkout-address')).isVisible()) return true;
      const item = page.locator(tid('address-item')).first();
      if (await item.isVisible()) await item.click();
      return false;
    },
    { what: 'the checkout with the new address' },
  );
  const { items: addresses } = await api.ok('GET', '/store/v1/addresses', { token });
  check(addresses.length === 1, `the address book holds ${addresses.length} addresses, not 1`);
  const address = await api.ok('GET', `/store/v1/addresses/${addresses[0].id}`, { token }); // the list masks; one address reads in full
  check(
    address.name === '李小红' && address.phone === '13812345678' && address.detail === '文三路 90 号 2 幢 501 室',
    `the saved address is ${JSON.stringify(address).slice(0, 200)}`,
  );
  await until(async () => (await textOf(page.locator(tid('checkout-address')))).includes('李小红'), {
    what: 'the checkout to show 李小红',
  });

  // --- coupons: the server suggests the best set; the shopper clears it, then takes only the 5元 one
  await page.locator(tid('checkout-line')).first().waitFor({ state: 'visible' });
  const payableIs = (fen, what) =>
    until(async () => fenIn(await textOf(page.locator(tid('checkout-payable')))) === fen, {
      what: `checkout-payable to show ${fen} fen ${what}`,
    });
  const quoteWith = (couponIds) => api.ok('POST', '/store/v1/checkout/quote', { token, body: { addressId: address.id, couponIds } });
  const sheet = page.locator(tid('checkout-coupon-sheet'));
  const fiveOption = sheet.locator(`${tid('checkout-coupon-option')}[data-coupon-id="${five.id}"]`);

  await page.locator(tid('checkout-coupons')).click();
  await sheet.waitFor({ state: 'visible' });
  await settled(page);
  await screenshot('checkout-coupons', page);
  await sheet.locator(tid('checkout-coupon-none')).click();
  await sheet.locator(tid('checkout-coupon-confirm')).click();
  await sheet.waitFor({ state: 'hidden' });
  const bare = await quoteWith([]);
  await payableIs(bare.payableTotal, 'with no coupon');

  await page.locator(tid('checkout-coupons')).click();
  await sheet.waitFor({ state: 'visible' });
  await fiveOption.click();
  await settled(page);
  await screenshot('checkout-coupon-5', page);
  await sheet.locator(tid('checkout-coupon-confirm')).click();
  await sheet.waitFor({ state: 'hidden' });
  const quote = await quoteWith([five.id]);
  check(
    quote.coupons.appliedIds.length === 1 && quote.coupons.appliedIds[0] === five.id,
    `the API applies ${JSON.stringify(quote.coupons.appliedIds)}, not just ${five.id}`,
  );
  check(bare.payableTotal - quote.payableTotal === 500, `the 5元 coupon takes ${bare.payableTotal - quote.payableTotal} fen off, not 500`);
  await payableIs(quote.payableTotal, 'with the 5元 coupon');
  const discounts = (await page.locator(tid('checkout-discount')).allInnerTexts()).join(' | ');
  check(/5\.00/.test(discounts), `the discount lines do not show the 5元 coupon: ${discounts}`);
  await settled(page);
  await screenshot('checkout', page);
  await page.locator(tid('checkout-submit')).click();

  // --- pay in the sandbox -----------------------------------------------------------------
  await page.locator(tid('pay-amount')).waitFor({ state: 'visible' });
  check(fenIn(await textOf(page.locator(tid('pay-amount')))) === quote.payableTotal, 'the pay page shows another amount than the quote');
  await settled(page);
  await screenshot('pay', page);
  await page.locator(tid('pay-submit')).click();
  await until(
    async () => (await page.locator(tid('pay-status')).isVisible()) && (await textOf(page.locator(tid('pay-status')))).includes('支付成功'),
    {
      timeoutMs: 30_000,
      what: 'pay-status 支付成功',
    },
  );
  await settled(page);
  await screenshot('paid', page);

  const { items: orders } = await api.ok('GET', '/store/v1/orders', { token });
  check(orders.length === 1, `the shopper has ${orders.length} orders, not 1`);
  const placed = orders[0];
  const detail = await api.ok('GET', `/store/v1/orders/${placed.id}`, { token });
  check(detail.status === 'paid', `getOrder says ${detail.status}, not paid`);
  check(
    detail.payableTotal === quote.payableTotal && detail.paidTotal === quote.payableTotal,
    `the order's payable/paid ${detail.payableTotal}/${detail.paidTotal} ≠ quote ${quote.payableTotal}`,
  );
  const used = (await api.ok('GET', '/store/v1/me/coupons?status=used', { token })).items.find((c) => c.id === five.id);
  // A platform coupon belongs to the whole checkout (orderId null); the order carries its discount.
  check(
    used?.status === 'used' && (used.orderId === null || used.orderId === placed.id),
    `the 5元 coupon is ${used?.status} (order ${used?.orderId})`,
  );
  check(detail.discountTotal === quote.discountTotal, `the order's discounts ${detail.discountTotal} ≠ the quote's ${quote.discountTotal}`);

  await page.locator(tid('pay-view-order')).click();
  await page.locator(tid('order-status')).waitFor({ state: 'visible' });
  await until(async () => (await textOf(page.locator(tid('order-status')))).includes('待发货'), { what: 'order-status 待发货' });
  check(
    (await page.locator(tid('order-line')).allInnerTexts()).join(' ').includes(product.title.slice(0, 6)),
    'the order page does not list the product',
  );
  await settled(page);
  await screenshot('order', page);

  check(!(await cartLines()).some((l) => l.skuId === sku.id), 'the ordered SKU is still in the cart');
  state.shopOrderId = placed.id;
  log(`order ${placed.orderNo ?? placed.id} paid ${detail.paidTotal} fen, shown as 待发货`);
}
