// 到货提醒 and 收藏 on the H5 storefront: a phone shopper opens a sold-out product, taps 到货提醒
// and the heart; staff restock the SKU (adjustStock) and the cron runs; the shopper's restock SMS
// is recorded as sent exactly once (a second cron run sends nothing more); 我的收藏 lists the
// product. If the run falls in quiet hours (22:00–08:00 Beijing) the notice is held, so the dev
// clock is moved to its due time and the cron run again — it goes out then, still once.
import { check, loginViaApi, tid } from './lib.mjs';
import { PHONE, settled, signInPage, until } from './shop.mjs';

export const app = 'storefront';
export const order = 85;
export const needs = ['product-restock', 'product-favorite', 'favorite-item'];

export default async function shopRestock({ newPage, shopUrl, api, adminToken, adminEmail, adminPassword, screenshot, log }) {
  // --- a sold-out single-SKU product in the demo's 保温杯 category -------------------------------
  const cups = await api.ok('GET', `/store/v1/products?q=${encodeURIComponent('保温杯')}`);
  const categoryId = cups.items[0].categoryId;
  const title = `到货提醒测试杯 ${Date.now().toString(36)}`;
  const created = await api.ok('POST', '/admin/v1/products', {
    token: adminToken,
    body: {
      categoryId,
      title,
      subtitle: '补货中',
      material: '316不锈钢',
      origin: '浙江永康',
      specDims: [],
      skus: [{ specValues: [], price: 6900, originalPrice: 8900, stock: 0, lowStockThreshold: 0, weightG: 400 }],
      status: 'on_sale',
    },
  });
  const skuId = created.skus[0].id;

  // --- a phone shopper (SMS is their channel), signed in on the page ---------------------------
  const phone = `136${String(Date.now()).slice(-8)}`;
  const { sandboxCode } = await api.ok('POST', '/store/v1/auth/sms-code', { body: { phone } });
  const login = await api.ok('POST', '/store/v1/auth/sms-login', { body: { phone, code: sandboxCode } });
  const token = login.accessToken;
  const userId = login.user.id;
  const page = await newPage(PHONE);
  await signInPage(page, {
    storage: JSON.stringify({
      data: { accessToken: login.accessToken, refreshToken: login.refreshToken, expiresAt: Date.now() + login.expiresIn * 1000 },
    }),
  });

  // --- product page: 到货提醒 and the heart ----------------------------------------------------
  await page.goto(`${shopUrl}/pages/product/index?id=${created.id}`);
  await page.locator(tid('product-title')).waitFor({ state: 'visible' });
  const remind = page.locator(tid('product-restock'));
  await remind.waitFor({ state: 'visible' });
  check((await remind.innerText()).includes('到货提醒'), `the button reads "${await remind.innerText()}"`);
  await remind.click();
  await until(async () => (await remind.innerText()).includes('已设置到货提醒'), { what: 'the button to show 已设置到货提醒' });
  const subs = await api.ok('GET', '/store/v1/me/restock-subscriptions', { token });
  check(
    subs.items.some((s) => s.skuId === skuId && s.status === 'waiting'),
    'the API holds no waiting 到货提醒 for the SKU',
  );
  await page.locator(tid('product-favorite')).click();
  await until(async () => (await page.locator(tid('product-favorite-text')).innerText()).includes('已收藏'), {
    what: 'the heart to read 已收藏',
  });
  await settled(page);
  await screenshot('product-watch', page);
  log(`${userId} waits for ${skuId} and favourited ${created.id}`);

  // --- staff restock; the cron finds it ---------------------------------------------------------
  await api.ok('POST', `/admin/v1/skus/${skuId}/stock-adjustments`, {
    token: adminToken,
    body: { delta: 20, reason: 'restock', note: '到货' },
    headers: { 'idempotency-key': `restock-${Date.now()}` },
  });
  await api.ok('POST', '/admin/v1/dev/run-cron', { token: adminToken });
  const sendsPath = `/admin/v1/message-sends?userId=${userId}&templateKey=restock`;
  let sends = (await api.ok('GET', sendsPath, { token: adminToken })).items;
  check(sends.length === 1, `expected one restock send, found ${sends.length}`);
  // Staff calls use `staff`: a token signed in again at the moved clock when quiet hours move it.
  let staff = adminToken;
  let moved = false;
  try {
    if (sends[0].status === 'scheduled') {
      // quiet hours (22:00–08:00 Beijing, when the suite runs then): move the dev clock to their
      // end and run the cron there. Tokens are checked against the moved clock: sign in again.
      const clock = await api.ok('GET', '/admin/v1/dev/clock', { token: staff });
      const advanceMs = Date.parse(sends[0].dueAt) - Date.parse(clock.now) + 1000;
      log(`quiet hours: the notice is held until ${sends[0].dueAt}; moving the clock ${Math.round(advanceMs / 60000)} min`);
      if (advanceMs > 0) {
        await api.ok('POST', '/admin/v1/dev/clock', { token: staff, body: { advanceMs } });
        moved = true;
        staff = await loginViaApi(api, adminEmail, adminPassword);
      }
      await api.ok('POST', '/admin/v1/dev/run-cron', { token: staff });
    }
    const sent = await until(
      async () => {
        const items = (await api.ok('GET', sendsPath, { token: staff })).items;
        return items.length === 1 && items[0].status === 'sent' ? items[0] : null;
      },
      { timeoutMs: 40_000, what: 'the restock notice to be sent' },
    );
    check(sent.channel === 'sms' && sent.vars.productName === title, `the notice went by ${sent.channel} for "${sent.vars.productName}"`);
    await api.ok('POST', '/admin/v1/dev/run-cron', { token: staff });
    sends = (await api.ok('GET', sendsPath, { token: staff })).items;
    check(sends.length === 1, `a second cron run sent again: ${sends.length} restock sends`);
  } finally {
    // the clock back to real time, so the shopper's token and later scenarios work
    if (moved) await api.ok('POST', '/admin/v1/dev/clock', { token: staff, body: { offsetMs: 0 } });
  }
  const after = await api.ok('GET', '/store/v1/me/restock-subscriptions', { token });
  check(after.items.find((s) => s.skuId === skuId)?.status === 'notified', 'the subscription is not marked notified');

  // --- 我的收藏 ---------------------------------------------------------------------------------
  await page.goto(`${shopUrl}/member/favorites/index`);
  const item = page.locator(tid('favorite-item')).first();
  await item.waitFor({ state: 'visible' });
  check((await item.innerText()).includes(title), `我的收藏 does not show ${title}: ${await item.innerText()}`);
  await settled(page);
  await screenshot('favorites', page);
}
