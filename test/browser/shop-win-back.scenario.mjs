// 专属回归礼包, the shopper's side: a shopper who ordered once goes quiet. The dev clock moves the
// server 61 days on and runs the cron (the nightly 用户分层): the shopper is now 沉睡 and gets the
// pack. On the H5 home page they see 欢迎回来, find the coupon in 我的优惠券, and come back with
// an order that uses it (cart → checkout suggests the pack coupon → sandbox payment).
// win-back.scenario.mjs (the console's side) runs next, sees the return counted, and resets the clock.
import { check, loginViaApi, tid } from './lib.mjs';
import { PHONE, addAddress, idem, sandboxShopper, settled, signInPage, until } from './shop.mjs';

export const app = 'storefront';
// Last: the clock stays moved until win-back.scenario.mjs has seen the report.
export const order = 96;
export const needs = ['home-welcome-back'];

const DAY = 86_400_000;
const textOf = async (loc) => (await loc.innerText()).replace(/\s+/g, ' ').trim();

export default async function shopWinBack({
  newPage,
  shopUrl,
  api,
  adminToken: firstAdminToken,
  adminEmail,
  adminPassword,
  screenshot,
  log,
  state,
}) {
  // Tokens keep their real expiry while the clock moves on: sign in again after each move.
  let adminToken = firstAdminToken;
  const settings = await api.ok('GET', '/admin/v1/member-segments/settings', { token: adminToken });
  check(settings.winBack.enabled && settings.winBack.templateIds.length, `the demo shop has no win-back pack: ${JSON.stringify(settings)}`);

  // --- a shopper's first order, paid now --------------------------------------------------
  let shopper = await sandboxShopper(api);
  let { token } = shopper;
  const me = await api.ok('GET', '/store/v1/me', { token });
  const address = await addAddress(api, token);
  const list = await api.ok('GET', '/store/v1/products?inStock=true&limit=50');
  let sku;
  for (const p of list.items.filter((x) => x.minPrice >= 9900)) {
    const full = await api.ok('GET', `/store/v1/products/${p.id}`);
    sku = full.skus.find((s) => s.stock >= 5 && s.price >= 9900);
    if (sku) break;
  }
  check(sku, 'no in-stock SKU of ¥99 or more to reach the pack coupon (满99减20)');
  const buy = async () => {
    const created = await api.ok('POST', '/store/v1/orders', {
      token,
      body: { addressId: address.id, items: [{ skuId: sku.id, quantity: 1 }], couponIds: [] },
      headers: { 'idempotency-key': idem() },
    });
    const pay = await api.ok('POST', `/store/v1/orders/${created.orders[0].id}/pay`, { token });
    await api.ok('POST', pay.sandboxPayPath);
  };
  await buy();

  // --- the shop lives through 61 days: classified 新客 on day 20, 沉睡 on day 61 -------------
  const moveAndRun = async (days) => {
    await api.ok('POST', '/admin/v1/dev/clock', { token: adminToken, body: { advanceMs: days * DAY } });
    adminToken = await loginViaApi(api, adminEmail, adminPassword);
    await api.ok('POST', '/admin/v1/dev/run-cron', { token: adminToken });
  };
  state.winBackClockMoved = true;
  try {
    // Day 20 first (still 新客: registered < 30 days ago), a Beijing day no earlier scenario ran
    // the cron on (they move to +1…7, +16 and the next 08:00): a nightly run that day already done
    // would never classify this new shopper, and going straight to 沉睡 is not an entry.
    await moveAndRun(20);
    await moveAndRun(41);
    shopper = await sandboxShopper(api, shopper.code);
    token = shopper.token;
    // A big shop's run continues minute by minute: run the cron until the pack is there.
    const pack = await until(
      async () => {
        const w = await api.ok('GET', '/store/v1/me/win-back', { token });
        if (!w.active) await api.ok('POST', '/admin/v1/dev/run-cron', { token: adminToken });
        return w.active && w;
      },
      { timeoutMs: 60_000, everyMs: 500, what: 'the win-back pack after the nightly run' },
    );
    const couponId = pack.coupons[0].couponId;
    log(`${me.id} is 沉睡 and holds ${pack.coupons.map((c) => c.name).join(', ')}`);

    // --- 欢迎回来 on the home page, the coupon in 我的优惠券 ------------------------------------
    const page = await newPage(PHONE);
    await signInPage(page, shopper);
    await page.goto(`${shopUrl}/pages/index/index`);
    const banner = page.locator(tid('home-welcome-back'));
    await banner.waitFor({ state: 'visible', timeout: 20_000 });
    check((await textOf(banner)).includes('欢迎回来'), `the banner reads "${await textOf(banner)}"`);
    const popup = page.locator(tid('home-popup-close'));
    if (await popup.isVisible().catch(() => false)) await popup.click();
    await settled(page);
    await screenshot('home-welcome-back', page);
    await banner.click();
    await until(async () => (await page.locator('body').innerText()).includes(pack.coupons[0].name), {
      what: `我的优惠券 to show ${pack.coupons[0].name}`,
    });
    await settled(page);
    await screenshot('my-coupons', page);

    // --- the return order: the checkout suggests the pack coupon -----------------------------
    await api.ok('POST', '/store/v1/cart/items', { token, body: { skuId: sku.id, quantity: 1 } });
    await page.goto(`${shopUrl}/pages/cart/index`);
    await page.locator(tid('cart-item')).first().waitFor({ state: 'visible' });
    await page.locator(tid('cart-checkout')).click();
    await page.locator(tid('checkout-line')).first().waitFor({ state: 'visible' });
    const quote = await api.ok('POST', '/store/v1/checkout/quote', { token, body: { addressId: address.id } });
    check(
      quote.coupons.appliedIds.includes(couponId),
      `the suggested coupons ${JSON.stringify(quote.coupons.appliedIds)} leave out the pack's ${couponId}`,
    );
    await until(async () => (await page.locator(tid('checkout-discount')).allInnerTexts()).join(' ').includes('20.00'), {
      what: 'the checkout to show the ¥20 pack discount',
    });
    await settled(page);
    await screenshot('checkout-with-pack', page);
    await page.locator(tid('checkout-submit')).click();
    await page.locator(tid('pay-amount')).waitFor({ state: 'visible' });
    await page.locator(tid('pay-submit')).click();
    await until(
      async () =>
        (await page.locator(tid('pay-status')).isVisible()) && (await textOf(page.locator(tid('pay-status')))).includes('支付成功'),
      {
        timeoutMs: 30_000,
        what: 'pay-status 支付成功',
      },
    );
    await settled(page);
    await screenshot('paid', page);
    const after = await api.ok('GET', '/store/v1/me/win-back', { token });
    check(!after.active, 'the pack still shows as unused after the order that used it');
    state.winBack = { userId: me.id, couponId, paid: quote.payableTotal };
    log(`${me.id} came back: paid ${quote.payableTotal} fen with the pack coupon`);
  } catch (e) {
    await api('POST', '/admin/v1/dev/clock', { token: await loginViaApi(api, adminEmail, adminPassword), body: { offsetMs: 0 } });
    state.winBackClockMoved = false;
    throw e;
  }
}
