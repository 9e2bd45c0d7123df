// The WeChat mini-program build (web/storefront/dist/weapp) runs, not only compiles: the weapp
// host (./host.mjs) loads it in a mini-program-like Node context against the real API. Run by the
// browser suite's runner: `npm run test:browser -- weapp` (app 'weapp': it builds the weapp, no browser).
// The app signs in silently at launch (wx.login → userLogin: a token in storage, a shopper the API
// knows); the home page renders the demo shop; search ?q=保温杯 lists only 保温杯; the
// 316不锈钢保温杯 product page shows its title and price; 加入购物车 opens the SKU picker, a colour
// and a capacity are picked, the picker's 加入购物车 puts that SKU in the shopper's cart (the API
// confirms); 提交订单 on the checkout creates the order and opens the cashier, whose 微信支付 calls
// wx.requestPayment with a paySign that verifies, and once paid (sandbox) says 支付成功; and every
// page of app.json loads once without an exception and renders something.
import path from 'node:path';
import { check } from '../browser/lib.mjs';
import { addAddress, until } from '../browser/shop.mjs';
import { createPublicKey, verify } from 'node:crypto';
import { createHost } from './host.mjs';

export const app = 'weapp';
export const order = 15;

const yuan = (fen) => `¥${(fen / 100).toFixed(2)}`;
/** An element's text without the spaces between its text nodes ("¥ 71 . 20" → "¥71.20"). */
const flat = (s) => s.replace(/\s+/g, '');

export default async function weappStorefront({ api, apiUrl, weappDist, devVars, log }) {
  const t0 = Date.now();
  const host = createHost({ dist: weappDist, apiUrl, log });
  try {
    // --- launch: silent sign-in ---------------------------------------------------------------
    host.launch();
    const session = await untilInHost(
      () => host.wx.getStorageSync('edgemall.session')?.accessToken && host.wx.getStorageSync('edgemall.session'),
      'the silent sign-in at launch (edgemall.session in storage)',
      host,
    );
    check(host.callsOf('login').length === 1, `wx.login was called ${host.callsOf('login').length} times at launch`);
    const token = session.accessToken;
    const me = await api.ok('GET', '/store/v1/me', { token });
    check(me?.id, `GET /store/v1/me with the launch token answers no shopper: ${JSON.stringify(me).slice(0, 200)}`);
    log(`launched; wx.login → userLogin signed in shopper ${me.id}`);

    // --- home -----------------------------------------------------------------------------------
    // The demo's top-level categories and the first of 为你推荐 (best sellers first, as the API lists them).
    const top = (await api.ok('GET', '/store/v1/products?sort=sales&limit=5')).items[0];
    check(top?.title, 'the API lists no products: was the demo shop seeded?');
    const home = host.open('pages/index/index');
    await home.waitForText(top.title);
    await host.settle();
    const homeText = home.text();
    for (const s of ['家居生活', '数码电器', '为你推荐'])
      check(homeText.includes(s), `the home page does not show "${s}": "${homeText.slice(0, 300)}"`);
    host.check('the home page');
    log(`home: ${home.updates} setData calls, ${homeText.length} characters of text`);
    home.close();

    // --- search by query ------------------------------------------------------------------------
    const search = host.open(`pages/search/index?q=${encodeURIComponent('保温杯')}`);
    await search.waitForNode({ testId: 'search-result' });
    await host.settle();
    const results = search.findAll({ testId: 'search-result' }).map((n) => n.text);
    check(
      results.length >= 2 && results.every((t) => t.includes('保温杯')),
      `search 保温杯 shows ${results.length} results, not all 保温杯: ${results.join(' | ').slice(0, 300)}`,
    );
    host.check('the search page');
    search.close();

    // --- the product page -----------------------------------------------------------------------
    const found = await api.ok('GET', `/store/v1/products?q=${encodeURIComponent('保温杯')}`);
    let product;
    for (const p of found.items) {
      const full = await api.ok('GET', `/store/v1/products/${p.id}`);
      if (full.specDims.length >= 2 && full.skus.filter((s) => s.stock > 5).length >= 2) {
        product = full;
        break;
      }
    }
    check(product, 'no 保温杯 with two spec dimensions in the demo shop');
    const promos = await api.ok('GET', `/store/v1/products/${product.id}/promotions`);
    const promoOf = Object.fromEntries((promos.skus ?? []).filter((s) => s.promoPrice < s.price).map((s) => [s.skuId, s.promoPrice]));
    const priceOf = (s) => promoOf[s.id] ?? s.price;
    const minPrice = Math.min(...product.skus.map(priceOf));

    const page = host.open(`pages/product/index?id=${product.id}`);
    await page.waitForNode({ testId: 'product-title' });
    await host.settle();
    const title = page.find({ testId: 'product-title' }).text;
    check(title === product.title, `the product page's title is "${title}", not "${product.title}"`);
    const price = flat(page.find({ testId: 'product-price' }).text);
    check(price.startsWith(yuan(minPrice)), `the product page's price is "${price}", expected it to start at ${yuan(minPrice)}`);
    log(`product ${product.id}: "${title}", ${price}`);

    // 加入购物车 with no SKU chosen opens the picker; pick the first SKU with stock by its spec values.
    const sku = product.skus.find((s) => s.stock > 5);
    await page.tap({ testId: 'product-add-cart' });
    await page.waitForNode({ testId: 'sku-picker' }, { timeout: 5_000 });
    for (const [i, dim] of product.specDims.entries()) {
      const value = sku.specValues[i];
      const option = () => page.findAll({ testId: 'sku-option' }).find((n) => n.text === value && page.dataset(n).spec === dim.name);
      check(option(), `the picker has no ${dim.name} option "${value}"`);
      await page.tap((n) => n.sid === option().sid);
      await page.waitFor(() => /sku-option--selected/.test(option().cls), { timeout: 3_000, what: `${dim.name} ${value} to be selected` });
    }
    const picker = page.find({ testId: 'sku-picker' });
    check(
      flat(picker.text).includes(yuan(priceOf(sku))),
      `the picker does not show the SKU's price ${yuan(priceOf(sku))}: "${flat(picker.text).slice(0, 200)}"`,
    );
    await page.tap({ testId: 'sku-confirm' });
    const line = await until(
      async () =>
        (await api.ok('GET', '/store/v1/cart', { token })).groups
          .flatMap((g) => g.lines)
          .find((l) => l.skuId === sku.id && l.quantity === 1),
      { timeoutMs: 10_000, what: `the cart to hold 1 × ${sku.specValues.join('/')}` },
    );
    await host.settle();
    check(
      host.callsOf('showToast').some((c) => c.args?.title === '已加入购物车'),
      `no 已加入购物车 toast (toasts: ${JSON.stringify(host.callsOf('showToast').map((c) => c.args?.title))})`,
    );
    check(!page.find({ testId: 'sku-picker' }), 'the picker is still open after adding to the cart');
    host.check('the product page');
    log(`cart holds ${line.specKey ?? sku.specValues.join('/')} (${sku.id})`);
    page.close();

    // --- checkout and wx.requestPayment -----------------------------------------------------------
    // The cart's selected line is checked out to the shopper's address; 提交订单 opens the cashier.
    await addAddress(api, token);
    const checkout = host.open('pages/checkout/index');
    await checkout.waitForNode({ testId: 'checkout-submit' }, { timeout: 15_000 });
    await host.settle();
    host.check('the checkout page');
    check(checkout.text().includes(product.title), `the checkout does not list "${product.title}": ${checkout.text().slice(0, 300)}`);
    await checkout.tap({ testId: 'checkout-submit' });
    // The checkout is not worth coming back to: it hands over to the cashier with redirectTo.
    const toPay = await untilInHost(
      () =>
        host
          .callsOf('redirectTo')
          .map((c) => c.args?.url)
          .find((u) => u?.startsWith('/pages/pay/index')),
      '提交订单 to open the cashier',
      host,
    );
    const orderId = new URLSearchParams(toPay.split('?')[1]).get('orderId');
    const order = await api.ok('GET', `/store/v1/orders/${orderId}`, { token });
    check(
      order.status === 'pending_payment' && order.lines.some((l) => l.skuId === sku.id),
      `the new order: ${order.status}, lines ${order.lines.map((l) => l.skuId)}`,
    );
    checkout.close();

    // WeChat's cashier, played by the host: it checks paySign as WeChat would (SHA256withRSA by the
    // merchant key over appId, timeStamp, nonceStr, package), then the shopper pays in the sandbox,
    // whose payment notice reaches the server; the page waits for the paid order.
    // .dev.vars keeps a PEM on one line, its line breaks written as \n
    const mchKey = createPublicKey(String(devVars.WXPAY_SANDBOX_MCH_PUBLIC_KEY).replace(/\\n/g, '\n'));
    let signed = false;
    host.answers.requestPayment = async (p) => {
      const message = `${devVars.WECHAT_APP_ID ?? ''}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
      signed =
        p.signType === 'RSA' &&
        /^prepay_id=/.test(p.package) &&
        verify('RSA-SHA256', Buffer.from(message), mchKey, Buffer.from(p.paySign, 'base64'));
      if (!signed) return { fail: 'invalid paySign' };
      await api.ok('POST', `/sandbox/wechatpay/transactions/${order.checkoutId}/pay`);
      return {};
    };
    const pay = host.open(toPay.slice(1));
    await pay.waitForNode({ testId: 'pay-submit' }, { timeout: 15_000 });
    await host.settle();
    await pay.tap({ testId: 'pay-submit' });
    await pay.waitFor(() => pay.find({ testId: 'pay-status' })?.text.includes('支付成功'), {
      timeout: 30_000,
      what: 'the cashier to say 支付成功',
    });
    check(signed, 'wx.requestPayment was not called with a valid paySign');
    check(host.callsOf('requestPayment').length === 1, `wx.requestPayment was called ${host.callsOf('requestPayment').length} times`);
    const paid = await api.ok('GET', `/store/v1/orders/${orderId}`, { token });
    check(
      paid.status === 'paid' && paid.paidTotal === order.payableTotal,
      `after paying the order is ${paid.status}, paid ${paid.paidTotal} of ${order.payableTotal}`,
    );
    host.check('the cashier');
    log(`paid order ${paid.orderNo} (${yuan(paid.paidTotal)}) through wx.requestPayment (paySign verified) and the sandbox`);
    pay.close();

    // --- every page of app.json once ------------------------------------------------------------
    const queries = {
      'pages/product/index': `id=${product.id}`,
      'pages/search/index': `q=${encodeURIComponent('保温杯')}`,
      'reviews/list/index': `productId=${product.id}`,
    };
    const rendered = [];
    for (const route of host.pages()) {
      const p = host.open(queries[route] ? `${route}?${queries[route]}` : route);
      await p.waitFor(() => p.data.root?.cn?.length > 0, { timeout: 10_000, what: `${route} to render` });
      await host.settle();
      host.check(route);
      check(p.text().trim().length > 0, `${route} rendered no text`);
      rendered.push(`${path.basename(path.dirname(route))} (${p.updates})`);
      p.close();
      await host.settle();
      host.check(`${route} (closing)`);
    }
    log(`every page rendered (setData calls): ${rendered.join(', ')}`);
    if (host.unknown.size) log(`wx APIs the pages called that the host does not emulate: ${[...host.unknown].join(', ')}`);
    const stubs = [...new Set(host.calls.map((c) => c.api))];
    log(`wx APIs called: ${stubs.join(', ')}; ${host.requests.length} requests; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    host.close();
  }
}

/** Waits for `fn()` inside the host, failing at once when the page code has failed. */
async function untilInHost(fn, what, host, timeoutMs = 10_000) {
  const t0 = Date.now();
  for (;;) {
    host.check(what);
    const v = fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
