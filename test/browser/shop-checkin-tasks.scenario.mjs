// 签到 and 任务中心 on the H5 storefront, living through a week on the development clock. A new
// shopper checks in on 7 consecutive Beijing days — the server's clock moves a day between
// (POST /admin/v1/dev/clock {advanceMs}) — and the 7th check-in pays the streak bonus of the day-7
// rung; the calendar shows the week checked and the ladder full. The clock goes back to real time,
// then the shopper finishes a task (stays on a product page long enough) and claims it once in the
// task centre. The API agrees at each step: the streak, the bonus in the ledger, one task payout.
import { check, loginViaApi, tid, uniq } from './lib.mjs';
import { PHONE, sandboxShopper, until, settled } from './shop.mjs';

export const app = 'storefront';
export const order = 45;
export const needs = ['checkin-button', 'checkin-result-text', 'task-item', 'task-action'];

const DAY_MS = 86_400_000;

export default async function shopCheckinTasks({ newPage, shopUrl, api, adminToken, adminEmail, adminPassword, screenshot, log }) {
  const rules = await api.ok('GET', '/admin/v1/checkin/settings', { token: adminToken });
  check(rules.enabled && rules.cycleDays === 7, `the demo's check-in rules are not a 7-day ladder: ${JSON.stringify(rules)}`);
  const day7 = rules.bonuses.find((b) => b.day === 7)?.points ?? 0;
  check(day7 > 0, 'the demo ladder pays no day-7 bonus');

  const shopper = await sandboxShopper(api);
  const me = await api.ok('GET', '/store/v1/me', { token: shopper.token });
  const page = await newPage(PHONE);
  // The session goes into the page's storage once per day (not by an init script, which would put
  // the first day's tokens back on every reload after the page has rotated them).
  const openAs = async (s) => {
    if (!page.url().startsWith(shopUrl)) await page.goto(`${shopUrl}/pages/index/index`);
    await page.evaluate((v) => localStorage.setItem('edgemall.session', v), s.storage);
    await page.goto(`${shopUrl}/member/checkin/index`);
  };
  const button = () => page.locator(tid('checkin-button')).filter({ visible: true });
  // Access tokens expire by the server's clock: after each move, sign in again (the page refreshes its own).
  let admin = adminToken;
  let token = shopper.token;
  let current = shopper;

  // --- seven days of check-ins ---------------------------------------------------------------
  try {
    for (let i = 1; i <= 7; i++) {
      await openAs(current);
      await until(async () => (await button().getAttribute('data-state')) === 'ready', { what: `day ${i}: the 签到 button to be ready` });
      await button().click();
      const result = page.locator(tid('checkin-result-text')).filter({ visible: true });
      await result.waitFor({ state: 'visible' });
      const text = await result.innerText();
      check(text.includes('签到成功'), `day ${i}: the result says "${text}"`);
      if (i === 7) {
        check(text.includes(`+${day7}`), `day 7: the result does not show the +${day7} streak bonus: "${text}"`);
        await settled(page);
        await screenshot('checkin-day7', page);
      }
      await page.locator(tid('checkin-result-close')).filter({ visible: true }).click();
      const cal = await api.ok('GET', '/store/v1/me/checkin/calendar', { token });
      check(
        cal.checkedInToday && cal.currentStreak === i,
        `day ${i}: the API says streak ${cal.currentStreak}, checked today ${cal.checkedInToday}`,
      );
      await until(
        async () => (await page.locator(tid('checkin-streak')).filter({ visible: true }).getAttribute('data-streak')) === String(i),
        {
          what: `day ${i}: the page to show a streak of ${i}`,
        },
      );
      if (i === 1) {
        await settled(page);
        await screenshot('checkin-day1', page);
      }
      if (i < 7) {
        await api.ok('POST', '/admin/v1/dev/clock', { token: admin, body: { advanceMs: DAY_MS } });
        admin = await loginViaApi(api, adminEmail, adminPassword);
        current = await sandboxShopper(api, shopper.code);
        token = current.token;
      }
    }
    const reached = await page
      .locator(tid('checkin-ladder-step'))
      .filter({ visible: true })
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-reached')));
    check(reached.length === 7 && reached.every((r) => r === 'true'), `the ladder is not full after 7 days: ${reached.join(',')}`);
    const points = await api.ok('GET', '/store/v1/me/points?limit=50', { token });
    const bonuses = points.items.filter((e) => e.reason === 'checkin_bonus').map((e) => e.delta);
    check(bonuses.includes(day7), `no +${day7} checkin_bonus entry in the ledger: ${JSON.stringify(bonuses)}`);
    check(points.items.filter((e) => e.reason === 'checkin').length === 7, 'the ledger does not hold 7 daily check-in grants');
    log(`7 days checked in; streak bonuses ${bonuses.join(', ')}; balance ${points.balance}`);
  } finally {
    await api.ok('POST', '/admin/v1/dev/clock', { token: admin, body: { offsetMs: 0 } });
  }

  // --- a task: browse a product long enough, claim once -------------------------------------
  const task = await api.ok('POST', '/admin/v1/tasks', {
    token: adminToken,
    body: {
      title: `浏览好物3秒 ${uniq()}`,
      kind: 'browse_product',
      period: 'daily',
      targetCount: 1,
      browseSeconds: 3,
      reward: { kind: 'points', points: 15 },
      sortOrder: 0,
    },
  });
  const { items } = await api.ok('GET', `/store/v1/products?q=${encodeURIComponent('毛巾')}`);
  check(items.length, 'the demo shop has no 毛巾 to browse');
  await page.goto(`${shopUrl}/pages/product/index?id=${items[0].id}`);
  await page.locator(tid('product-price')).first().waitFor({ state: 'visible' });
  await until(
    async () =>
      (await api.ok('GET', '/store/v1/me/tasks', { token: shopper.token })).items.find((t) => t.id === task.id)?.state === 'claimable',
    { timeoutMs: 20_000, what: 'the browse to count (the product page reports its viewing time)' },
  );

  await page.goto(`${shopUrl}/member/tasks/index`);
  const row = page.locator(`${tid('task-item')}[data-task-id="${task.id}"]`).filter({ visible: true });
  await until(async () => (await row.getAttribute('data-state')) === 'claimable', { what: 'the task to show 可领取' });
  await settled(page);
  await screenshot('tasks-claimable', page);
  await row.locator(tid('task-action')).click();
  await until(async () => (await row.getAttribute('data-state')) === 'claimed', { what: 'the task to show 已领取' });
  await row
    .locator(tid('task-action'))
    .click({ force: true })
    .catch(() => undefined); // disabled: a second tap pays nothing
  await settled(page);
  await screenshot('tasks-claimed', page);

  const again = await api('POST', `/store/v1/me/tasks/${task.id}/claim`, { token: shopper.token });
  check(again.status === 200 && again.json.alreadyClaimed, `a repeated claim answered ${again.status} ${again.text}`);
  const ledger = await api.ok('GET', '/store/v1/me/points?limit=50', { token: shopper.token });
  const paid = ledger.items.filter((e) => e.reason === 'task' && e.ref.includes(task.id));
  check(paid.length === 1 && paid[0].delta === 15, `the task paid ${JSON.stringify(paid)}`);
  log(`task ${task.id} claimed once by ${me.id}`);
}
