// The admin opens /audit-log and sees rows for the writes the earlier scenarios made
// (createStaff, createProduct, updateProduct, approveMerchantApplication, …); the API's
// listAuditLog has the same entries.
import { callOp, check, createStaff, loginViaUi, tid } from './lib.mjs';

export const order = 90;
export const needs = ['audit-row', 'nav-'];

export default async function auditLog({ newPage, consoleUrl, api, adminToken, adminEmail, adminPassword, screenshot, state, log }) {
  // One write of its own, so the scenario also stands alone (npm run test:browser -- audit).
  const auditor = await createStaff(api, adminToken, { role: 'support', name: '审计测试客服' });

  // The API first: what the console must show.
  const r = await callOp(api, 'listAuditLog', { token: adminToken, query: { limit: '100' } });
  check(r.status === 200, `listAuditLog → ${r.status} ${r.text.slice(0, 200)}`);
  const actions = new Set(r.json.items.map((e) => e.action));
  const want = ['createStaff'];
  if (state.operatorProductId) want.push('createProduct', 'updateProduct');
  if (state.applicationId) want.push('approveMerchantApplication');
  for (const a of want) check(actions.has(a), `listAuditLog has no ${a} entry (has: ${[...actions].join(', ')})`);
  if (state.operatorProductId)
    check(
      r.json.items.some((e) => e.targetId === state.operatorProductId),
      `no audit entry targets ${state.operatorProductId}`,
    );
  const mine =
    r.json.items.find((e) => e.action === 'createStaff' && e.targetId === auditor.id) ??
    r.json.items.find((e) => e.action === 'createStaff');
  check(mine && mine.staffEmail === adminEmail, `the createStaff entry does not name the admin (${JSON.stringify(mine)?.slice(0, 200)})`);
  check(!JSON.stringify(r.json.items).includes(auditor.password), "an audit entry contains the new staff member's password");
  log(`API: ${r.json.items.length} entries; actions ${[...actions].join(', ')}`);

  const page = await newPage();
  await loginViaUi(page, consoleUrl, adminEmail, adminPassword);
  await page.locator(tid('nav-audit-log')).click();
  const rows = page.locator(tid('audit-row'));
  await rows.first().waitFor({ state: 'visible' });
  const n = await rows.count();
  check(n > 0, 'no audit-row on /audit-log');
  const text = (await rows.allInnerTexts()).join('\n');
  // The page shows the newest entries first, as the API lists them: every action among the API's
  // first n entries is on it (earlier scenarios' writes may be on later pages by now).
  const firstPage = new Set(r.json.items.slice(0, n).map((e) => e.action));
  check(firstPage.has('createStaff'), 'this scenario’s createStaff is not among the newest entries');
  for (const a of firstPage) check(text.includes(a), `/audit-log shows no ${a} row (${n} rows on the page)`);
  await screenshot('audit-log', page);
}
