// The console's side of members and growth: 会员 → 等级与权益 lists the demo ladder with its perks,
// and 会员查询 finds the shopper of shop-member-center (when it ran first) in 银卡会员 with the
// upgrade in the tier history; otherwise a demo shopper (林晓, 金卡会员).
import { check, fillField, loginViaUi, tid } from './lib.mjs';
import { until } from './shop.mjs';

export const order = 91;
export const needs = ['member-tiers-page', 'member-detail'];

export default async function memberTiers({ newPage, consoleUrl, api, adminToken, adminEmail, adminPassword, screenshot, state }) {
  const admin = await newPage();
  await loginViaUi(admin, consoleUrl, adminEmail, adminPassword);
  await admin.goto(`${consoleUrl}/member-tiers`);
  const tiers = admin.locator(tid('member-tiers-page'));
  await tiers.waitFor({ state: 'visible' });
  await until(async () => (await tiers.innerText()).includes('钻石会员'), { what: 'the tier ladder' });
  const text = await tiers.innerText();
  for (const w of ['普通会员', '银卡会员', '金卡会员', '钻石会员', '9.8折', '2倍积分'])
    check(text.includes(w), `the tiers page shows ${w}`);
  await screenshot('console-member-tiers', admin);

  let userId = state.memberCenter?.userId;
  let tier = '银卡会员';
  if (!userId) {
    const found = await api.ok('GET', `/admin/v1/member-search?q=${encodeURIComponent('13700000001')}`, { token: adminToken });
    userId = found.items[0].id;
    tier = '金卡会员';
  }
  await admin.goto(`${consoleUrl}/member-lookup`);
  await fillField(admin, 'member-search-input', userId);
  await admin.locator(tid('member-search')).click();
  const detail = admin.locator(tid('member-detail'));
  await detail.waitFor({ state: 'visible' });
  await until(async () => (await detail.innerText()).includes(tier), { what: `the shopper in ${tier}` });
  check((await admin.locator(tid('member-tier-history')).innerText()).includes('升级'), 'the console shows the upgrade');
  await screenshot('console-member-lookup', admin);
}
