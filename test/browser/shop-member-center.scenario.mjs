// Members and growth on the H5 storefront: a shopper's order of more than ¥490 is paid, shipped and
// received; the dev clock then lives through the 15-day after-sales window and the cron settles
// the order — the moment it is final. Growth and order points arrive in the same step, the tier
// goes from 普通会员 to 银卡会员 at once, and the member centre (我的 → 会员中心) shows the tier card,
// the progress to 金卡, the points and the upgrade in the history. The clock is put back at the end;
// member-tiers.scenario.mjs then checks the console's side.
import { check, tid } from './lib.mjs';
import { PHONE, addAddress, idem, sandboxShopper, settled, signInPage, until } from './shop.mjs';

export const app = 'storefront';
export const order = 90;
export const needs = ['member-tier-card'];

const DAY = 86_400_000;

export default async function shopMemberCenter({ newPage, shopUrl, api, adminToken, adminEmail, adminPassword, screenshot, state, log }) {
  const shopper = await sandboxShopper(api);
  const { token } = shopper;
  const before = await api.ok('GET', '/store/v1/me/membership', { token });
  check(
    before.tier?.name === '普通会员' && before.growth === 0,
    `a new shopper starts in 普通会员 with 0 growth, got ${JSON.stringify(before.tier)}`,
  );

  // --- an order worth more than ¥490 (→ more than 500 growth), paid, shipped, received -------------
  const address = await addAddress(api, token);
  const list = await api.ok('GET', '/store/v1/products?sort=price_desc&limit=20');
  let placed = null;
  for (const item of list.items) {
    const product = await api.ok('GET', `/store/v1/products/${item.id}`);
    // Between ¥490 and ¥1989 paid: past 银卡 (500 growth), short of 金卡 (2000).
    const sku = product.skus.find((s) => s.stock > 0 && s.price <= 150_000);
    if (!sku) continue;
    const quantity = Math.ceil(55_000 / sku.price);
    if (quantity > sku.stock) continue;
    const items = [{ skuId: sku.id, quantity }];
    const quote = await api.ok('POST', '/store/v1/checkout/quote', { token, body: { addressId: address.id, items, couponIds: [] } });
    if (quote.problems.length || quote.payableTotal < 49_000 || quote.payableTotal > 198_000) continue;
    placed = await api.ok('POST', '/store/v1/orders', {
      token,
      body: { addressId: address.id, items, couponIds: [], expectedPayableTotal: quote.payableTotal },
      headers: { 'idempotency-key': idem() },
    });
    log(`ordered ${quantity} × ${product.title} for ¥${quote.payableTotal / 100}`);
    break;
  }
  check(placed, 'no demo product makes an order between ¥490 and ¥1989');
  const orderId = placed.orders[0].id;
  const paid = placed.orders[0].payableTotal;
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

  // --- 16 days later the cron settles it: the order is final, growth and points arrive ------------
  const clock = await api.ok('GET', '/admin/v1/dev/clock', { token: adminToken });
  await api.ok('POST', '/admin/v1/dev/clock', { token: adminToken, body: { advanceMs: 16 * DAY } });
  // Tokens are checked against the server clock: sign in again at the moved time.
  const staff = (await api.ok('POST', '/admin/v1/auth/login', { body: { email: adminEmail, password: adminPassword } })).accessToken;
  try {
    const again = await sandboxShopper(api, shopper.code);
    Object.assign(shopper, { token: again.token, storage: again.storage });
    const token = again.token;
    await api.ok('POST', '/admin/v1/dev/run-cron', { token: staff });
    const m = await until(
      async () => {
        const r = await api.ok('GET', '/store/v1/me/membership', { token });
        return r.growth > 0 ? r : null;
      },
      { timeoutMs: 30_000, what: 'the settled order to earn growth' },
    );
    const growth = Math.floor(paid / 100) + 10;
    check(m.growth === growth, `growth is ¥${paid / 100} + 10 = ${growth}, got ${m.growth}`);
    check(m.points === Math.floor(paid / 100), `points are 1 per ¥1 (普通 ×1) = ${Math.floor(paid / 100)}, got ${m.points}`);
    check(m.tier.name === '银卡会员', `the tier went up at once, got ${m.tier.name}`);
    log(`final: growth ${m.growth}, points ${m.points}, tier ${m.tier.name}`);

    // --- 我的 → 会员中心 ---------------------------------------------------------------------
    const page = await newPage(PHONE);
    await signInPage(page, shopper);
    await page.goto(`${shopUrl}/pages/mine/index`);
    await page.locator(tid('mine-member')).click();
    const card = page.locator(tid('member-tier-card'));
    await card.waitFor({ state: 'visible' });
    await until(async () => (await page.locator(tid('member-tier-name')).innerText()).includes('银卡会员'), { what: 'the 银卡 card' });
    check((await page.locator(tid('member-growth')).innerText()).includes(String(growth)), 'the card shows the growth');
    const progress = await page.locator(tid('member-progress')).innerText();
    check(progress.includes(`再获得 ${2000 - growth} 成长值升级为金卡会员`), `progress: "${progress}"`);
    check((await page.locator(tid('member-points')).innerText()).includes(String(m.points)), 'the points figure');
    const history = await page.locator(tid('member-history')).innerText();
    check(history.includes('成长值达到银卡会员'), `history: "${history}"`);
    check((await page.locator(tid('member-perks')).innerText()).includes('1.2倍积分'), 'the 银卡 perks are listed');
    await page.locator(tid('member-entry-checkin')).waitFor({ state: 'visible' });
    await settled(page);
    await screenshot('member-center', page);

    state.memberCenter = { userId: (await api.ok('GET', '/store/v1/me', { token })).id };
  } finally {
    await api.ok('POST', '/admin/v1/dev/clock', { token: staff, body: { offsetMs: clock.offsetMs } });
  }
}
