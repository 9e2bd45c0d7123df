// 专属回归礼包, the console's side (after shop-win-back.scenario.mjs): the operator opens 回归礼包
// and sees the returned shopper counted (packs issued, coupons used, returned, GMV, cost), and 用户
// 分层 shows the four layers. The API's getWinBackReport agrees. Then the dev clock goes back to
// real time, whatever happened.
import { callOp, check, loginViaApi, loginViaUi, tid } from './lib.mjs';
import { until } from './shop.mjs';

export const order = 97;
export const needs = ['win-back-page', 'segments-page'];

export default async function winBack({ newPage, consoleUrl, api, adminEmail, adminPassword, screenshot, state, log, skip }) {
  try {
    // A token signed in at the (moved) server clock: the run's first token expired when the clock moved.
    const adminToken = await loginViaApi(api, adminEmail, adminPassword);
    if (!state.winBack) return skip('shop-win-back did not run (npm run test:browser -- win-back runs both)');
    // the console's default window (近 12 周), so both count the same packs
    const r = await callOp(api, 'getWinBackReport', { token: adminToken, query: { weeks: '12' } });
    check(r.status === 200, `getWinBackReport → ${r.status} ${r.text.slice(0, 200)}`);
    const t = r.json.totals;
    const mine = r.json.recent.find((x) => x.userId === state.winBack.userId);
    check(
      mine && mine.couponsUsed === 1 && mine.returnedAt && mine.gmv >= state.winBack.paid,
      `the report does not count the return: ${JSON.stringify(mine)}`,
    );
    check(t.returned >= 1 && t.couponsUsed >= 1 && t.cost >= 2000 && t.gmv >= state.winBack.paid, `totals ${JSON.stringify(t)}`);
    log(`API: ${t.packsIssued} packs, ${t.returned} returned, GMV ${t.gmv}, cost ${t.cost}`);

    const page = await newPage();
    await loginViaUi(page, consoleUrl, adminEmail, adminPassword);
    await page.locator(tid('nav-win-back')).click();
    await page.locator(tid('win-back-page')).waitFor({ state: 'visible' });
    const returned = page.locator(tid('win-back-returned'));
    await until(async () => (await returned.innerText()).includes(String(t.returned)), { what: `回归人数 to show ${t.returned}` });
    const weeks = page.locator(tid('win-back-weeks'));
    await weeks.waitFor({ state: 'visible' });
    check(
      (await page.locator('body').innerText()).includes(state.winBack.userId) ||
        (await page.locator('body').innerText()).includes('回归下单'),
      'the latest packs table is missing',
    );
    await page.waitForTimeout(600); // the charts' entry animation
    await screenshot('win-back-report', page);

    await page.locator(tid('nav-member-segments')).click();
    await page.locator(tid('segments-page')).waitFor({ state: 'visible' });
    const dormant = page.locator(tid('layer-card-dormant'));
    await dormant.waitFor({ state: 'visible' });
    const list = await callOp(api, 'listSegments', { token: adminToken });
    const size = list.json.items.find((s) => s.id === 'layer:dormant').size;
    await until(async () => (await dormant.innerText()).replace(/,/g, '').includes(String(size)), { what: `沉睡 to show ${size}` });
    await page.waitForTimeout(600);
    await screenshot('segments', page);
    await dormant.click();
    await page.locator(tid('segment-members')).first().waitFor({ state: 'visible' });
    await screenshot('segment-members', page);
  } finally {
    if (state.winBackClockMoved)
      await api('POST', '/admin/v1/dev/clock', { token: await loginViaApi(api, adminEmail, adminPassword), body: { offsetMs: 0 } });
    state.winBackClockMoved = false;
  }
}
