// The console's 积分/余额调整: an operator-level admin finds a shopper by user id, adds points with
// a reason and takes some balance back; the page's ledgers and the API agree, and the audit log
// holds the adjustments. Then 积分规则: the cap is changed and saved (and put back).
import { callOp, check, loginViaUi, tid } from './lib.mjs';
import { sandboxShopper } from './shop.mjs';

export const order = 60;
export const needs = ['points-adjust-page', 'points-rules-page'];

export default async function pointsAdjust({ newPage, consoleUrl, api, adminToken, adminEmail, adminPassword, screenshot, state, log }) {
  let userId = state.pointsShopperId;
  if (!userId) {
    const s = await sandboxShopper(api);
    userId = (await api.ok('GET', '/store/v1/me', { token: s.token })).id;
  }
  await api.ok('POST', `/admin/v1/users/${userId}/wallet`, { token: adminToken, body: { delta: 1000, reason: '场景准备' } });
  const before = await api.ok('GET', `/admin/v1/members/lookup?q=${userId}`, { token: adminToken });

  const page = await newPage();
  await loginViaUi(page, consoleUrl, adminEmail, adminPassword);
  await page.locator(tid('nav-points-adjust')).click();
  await page.locator(tid('points-adjust-page')).waitFor({ state: 'visible' });
  await page.locator(tid('member-lookup')).fill(userId);
  await page.locator(tid('member-lookup')).press('Enter');
  await page.locator(tid('member-account')).waitFor({ state: 'visible' });
  check(
    (await page.locator(tid('member-points')).innerText()).trim() === String(before.points),
    'the page shows other points than the API',
  );

  await page.locator(tid('adjust-points-amount')).fill('300');
  await page.locator(tid('adjust-points-reason')).fill('客服补偿 场景');
  await page.locator(tid('adjust-points-submit')).click();
  await page
    .locator(tid('member-points'))
    .filter({ hasText: String(before.points + 300) })
    .waitFor({ state: 'visible' });
  await page.locator(`${tid('adjust-balance')} label:has-text("扣减")`).click();
  await page.locator(tid('adjust-balance-amount')).fill('2.50');
  await page.locator(tid('adjust-balance-reason')).fill('误发收回');
  await page.locator(tid('adjust-balance-submit')).click();
  await page
    .locator(tid('member-balance'))
    .filter({ hasText: ((before.balance - 250) / 100).toFixed(2) })
    .waitFor({ state: 'visible' });
  await page.locator(tid('ledger-points')).getByText('客服补偿 场景').waitFor({ state: 'visible' });
  await screenshot('points-adjust', page);

  const after = await api.ok('GET', `/admin/v1/members/lookup?q=${userId}`, { token: adminToken });
  check(after.points === before.points + 300 && after.balance === before.balance - 250, `the API has ${JSON.stringify(after)}`);
  const log1 = await callOp(api, 'listAuditLog', { token: adminToken, query: { action: 'adjustPoints', limit: '20' } });
  check(
    log1.json.items.some((e) => e.targetId === userId || JSON.stringify(e).includes(userId)),
    'the audit log has no adjustPoints for the shopper',
  );

  // --- 积分规则 --------------------------------------------------------------------------------
  await page.locator(tid('nav-points-rules')).click();
  await page.locator(tid('points-rules-page')).waitFor({ state: 'visible' });
  const cap = page.locator(tid('points-rules-cap'));
  await cap.fill('40');
  await page.locator(tid('points-rules-save')).click();
  await page.getByText('已保存').first().waitFor({ state: 'visible' });
  const rules = await api.ok('GET', '/admin/v1/points-rules', { token: adminToken });
  check(rules.maxSharePercent === 40, `the rules' cap is ${rules.maxSharePercent}`);
  await screenshot('points-rules', page);
  await api.ok('PUT', '/admin/v1/points-rules', {
    token: adminToken,
    body: {
      enabled: rules.enabled,
      pointsPerYuan: rules.pointsPerYuan,
      maxSharePercent: 50,
      minPoints: rules.minPoints,
      expiryMonths: rules.expiryMonths,
    },
  });
  log(`adjusted ${userId}: +300 points, −¥2.50; rules cap saved`);
}
