// 老带新 on the H5 storefront: shopper A opens 邀请有礼 and takes the invite link from the share
// poster; a new shopper B opens that link, signs up by SMS through it (bound to A), places and
// pays an order, which is shipped and received; then the dev clock moves past the after-sales
// window and the cron runs (settlement → the final-order hook), and A's invite page shows B as
// 已奖励 with A's reward. The clock is reset at the end.
import { check, loginViaApi, tid } from './lib.mjs';
import { PHONE, idem, pageSession, sandboxShopper, settled, signInPage, taroFill, until } from './shop.mjs';

export const app = 'storefront';
export const order = 60;
export const needs = ['invite-code', 'invite-share', 'invite-link', 'invite-accept-login', 'invite-friend-status', 'invite-reward'];

const DAY = 86_400_000;

export default async function shopReferral({ newPage, shopUrl, api, adminToken, adminEmail, adminPassword, screenshot, log }) {
  // --- A: the invite page, the share poster and its link ------------------------------------
  const a = await sandboxShopper(api);
  const settings = await api.ok('GET', '/admin/v1/referrals/settings', { token: adminToken });
  check(settings.enabled, 'the demo seed did not turn the referral programme on');
  let pageA = await newPage(PHONE);
  await signInPage(pageA, a);
  await pageA.goto(`${shopUrl}/member/invite/index`);
  const codeA = (await pageA.locator(tid('invite-code')).innerText()).trim();
  check(/^[2-9A-HJKMNP-TV-Z]{8}$/.test(codeA), `the invite page shows no code: "${codeA}"`);
  await pageA.locator(tid('invite-share')).click();
  const link = (await pageA.locator(tid('invite-link')).innerText()).trim();
  check(link.startsWith(shopUrl) && link.includes(`inviteCode=${codeA}`), `the poster's link is "${link}"`);
  await settled(pageA);
  await screenshot('referral-poster', pageA);
  log(`A's code ${codeA}, link ${link}`);

  // --- B: opens the link, signs up by SMS through it ----------------------------------------
  const pageB = await newPage(PHONE);
  await pageB.goto(link);
  await pageB.locator(tid('invite-landing')).waitFor({ state: 'visible' });
  await settled(pageB);
  await screenshot('referral-landing', pageB);
  await pageB.locator(tid('invite-accept-login')).click();
  const phone = `139${String(Date.now()).slice(-8)}`;
  await taroFill(pageB, 'login-phone', phone);
  await pageB.locator(tid('login-send-code')).click();
  const hint = pageB.locator(tid('login-sandbox-hint'));
  await hint.waitFor({ state: 'visible' });
  const sms = /\d{6}/.exec(await hint.innerText())?.[0];
  check(sms, 'no sandbox SMS code');
  await taroFill(pageB, 'login-code', sms);
  await pageB.locator(tid('login-submit')).click();
  const session = await until(() => pageSession(pageB), { what: "B's session after the SMS login" });
  const b = session.accessToken;
  // back on the invite page, bound to A
  // Taro's H5 router keeps the page it left (hidden) in the DOM: the invite page it came back to is the last
  await pageB.locator(tid('invite-code')).last().waitFor({ state: 'visible' });
  const bView = await api.ok('GET', '/store/v1/me/referral', { token: b });
  check(bView.invitedBy, 'B signed up through the link but is not bound to A');
  const aView = await api.ok('GET', '/store/v1/me/referral', { token: a.token });
  check(aView.friends.length === 1 && aView.friends[0].status === 'registered', `A's friends: ${JSON.stringify(aView.friends)}`);
  log(`B (${phone}) bound to A`);

  // --- B's first order: placed, paid, shipped, received --------------------------------------
  const address = await api.ok('POST', '/store/v1/addresses', {
    token: b,
    body: {
      name: '邀请好友',
      phone,
      province: '江苏省',
      city: '苏州市',
      district: '姑苏区',
      detail: '人民路 88 号 2 幢 1101 室',
      isDefault: true,
    },
  });
  const list = await api.ok('GET', `/store/v1/products?q=${encodeURIComponent('保温杯')}`);
  const product = await api.ok('GET', `/store/v1/products/${list.items[0].id}`);
  const sku = product.skus.find((s) => s.stock >= 1);
  await api.ok('POST', '/store/v1/cart/items', { token: b, body: { skuId: sku.id, quantity: 1 } });
  const quote = await api.ok('POST', '/store/v1/checkout/quote', { token: b, body: { addressId: address.id } });
  const created = await api.ok('POST', '/store/v1/orders', {
    token: b,
    body: { addressId: address.id, buyerNote: '', expectedPayableTotal: quote.payableTotal },
    headers: { 'idempotency-key': idem() },
  });
  const orderIds = created.orders.map((o) => o.id);
  const pay = await api.ok('POST', `/store/v1/orders/${orderIds[0]}/pay`, { token: b });
  await api.ok('POST', pay.sandboxPayPath);
  for (const id of orderIds) {
    await until(async () => (await api.ok('GET', `/store/v1/orders/${id}`, { token: b })).status === 'paid', { what: `order ${id} paid` });
    await api.ok('POST', `/admin/v1/orders/${id}/ship`, { token: adminToken, body: { carrierCode: 'SF', trackingNo: `SF${Date.now()}` } });
    await api.ok('POST', `/store/v1/orders/${id}/confirm-receipt`, { token: b });
  }
  check((await api.ok('GET', '/store/v1/me/referral', { token: a.token })).friends[0].status === 'ordered', 'A does not see B as 已下单');
  await pageA.reload();
  await pageA.locator(tid('invite-friend-status')).first().waitFor({ state: 'visible' });
  check((await pageA.locator(tid('invite-friend-status')).first().innerText()).includes('已下单'), "A's page does not say 已下单");
  log(`B's order ${orderIds.join(', ')} paid, shipped and received`);

  // --- past the after-sales window: the cron settles it and the hook rewards A ---------------
  // Tokens expire on the server's clock: sign in again once it has moved.
  let staff = adminToken;
  try {
    await api.ok('POST', '/admin/v1/dev/clock', { token: adminToken, body: { advanceMs: 16 * DAY } });
    staff = await loginViaApi(api, adminEmail, adminPassword);
    await api.ok('POST', '/admin/v1/dev/run-cron', { token: staff });
    const a2 = await sandboxShopper(api, a.code);
    const rewarded = await until(
      async () => {
        const v = await api.ok('GET', '/store/v1/me/referral', { token: a2.token });
        return v.friends[0]?.status === 'rewarded' && v.rewards.length > 0 ? v : null;
      },
      { timeoutMs: 45_000, everyMs: 1_000, what: "A's reward after the window (settlement queue → final-order hook)" },
    );
    await pageA.close();
    pageA = await newPage(PHONE);
    await signInPage(pageA, a2);
    await pageA.goto(`${shopUrl}/member/invite/index`);
    await pageA.locator(tid('invite-reward')).first().waitFor({ state: 'visible' });
    check((await pageA.locator(tid('invite-friend-status')).first().innerText()).includes('已奖励'), "A's page does not say 已奖励");
    const shown = await pageA.locator(tid('invite-reward')).first().innerText();
    check(shown.includes(rewarded.rewards[0].label.split(' ')[0]), `A's reward row says "${shown}"`);
    await settled(pageA);
    await screenshot('referral-rewarded', pageA);
    log(`A rewarded: ${rewarded.rewards.map((r) => r.label).join(', ')}`);
  } finally {
    await api.ok('POST', '/admin/v1/dev/clock', { token: staff, body: { offsetMs: 0 } });
  }
}
