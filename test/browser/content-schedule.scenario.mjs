// 内容运营, the operator's side: in 内容管理 an operator writes a scene guide (场景指南), sets its
// publish time a few minutes ahead of the server clock, and submits it; the screening passes it
// and it shows as 待发布 (scheduled). shop-content.scenario.mjs (next) checks the storefront hides
// it until then, moves the dev clock past it and sees it appear, and puts the clock back.
import { check, fillField, loginViaUi, tid, uniq } from './lib.mjs';

export const order = 88;
export const needs = ['content-list-page', 'content-new', 'editor-title', 'editor-body', 'editor-publish-at', 'editor-submit'];

const MIN = 60_000;

export default async function contentSchedule({ newPage, consoleUrl, api, adminToken, adminEmail, adminPassword, screenshot, log, state }) {
  const clock = await api.ok('GET', '/admin/v1/dev/clock', { token: adminToken });
  // the next whole minute at least 3 minutes ahead: the picker works in minutes
  const publishAt = Math.ceil((Date.parse(clock.now) + 3 * MIN) / MIN) * MIN;
  const title = `周末露营场景指南 ${uniq()}`;

  const page = await newPage();
  await loginViaUi(page, consoleUrl, adminEmail, adminPassword);
  await page.locator(tid('nav-content-list')).click();
  await page.locator(tid('content-list-page')).waitFor({ state: 'visible' });
  await page.locator(tid('content-new')).click();
  await fillField(page, 'editor-title', title);
  await fillField(page, 'editor-summary', '帐篷、灯、保温杯：一次出发的清单');
  await fillField(page, 'editor-body', `<h2>出发前</h2><p>帐篷提前在家试搭一次，夜里气温低，带一只保温杯装热水。编号 ${uniq()}</p>`);
  // the picker takes the time in the browser's own zone
  const typed = await page.evaluate((t) => {
    const d = new Date(t);
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
  }, publishAt);
  const picker = page.locator(`${tid('editor-publish-at')} input, input${tid('editor-publish-at')}`).first();
  await picker.click();
  await picker.fill(typed);
  await picker.press('Enter');
  // Enter confirms a typed time; if the panel is still open, its OK button does
  await page.waitForTimeout(400);
  const ok = page.locator('.ant-picker-dropdown:visible .ant-picker-ok button').first();
  if (await ok.isVisible()) await ok.click({ timeout: 3_000 }).catch(() => undefined);
  check((await picker.inputValue()) === typed, `the publish time reads "${await picker.inputValue()}", not "${typed}"`);

  await page.locator(tid('editor-submit')).click();
  await page.locator(tid('editor-status')).filter({ hasText: '待发布' }).waitFor({ state: 'visible', timeout: 15_000 });
  await screenshot('content-editor-scheduled', page);

  const list = await api.ok('GET', `/admin/v1/content/articles?q=${encodeURIComponent(title)}`, { token: adminToken });
  const guide = list.items.find((c) => c.title === title);
  check(guide, 'the guide is not in 内容管理');
  check(guide.status === 'scheduled' && !guide.live, `the guide is ${guide.status}, live ${guide.live}`);
  check(Date.parse(guide.publishAt) === publishAt, `publishAt ${guide.publishAt}, expected ${new Date(publishAt).toISOString()}`);
  state.scheduledGuide = { id: guide.id, title, publishAt };
  log(`${guide.id} scheduled for ${guide.publishAt}`);

  // the 内容日历 shows it on its day
  await page.locator('.ant-drawer-close').click();
  await page.locator(tid('nav-content-calendar')).click();
  await page.locator(`${tid('calendar-item')}[data-content-title="${title}"]`).waitFor({ state: 'visible' });
  await screenshot('content-calendar', page);
}
