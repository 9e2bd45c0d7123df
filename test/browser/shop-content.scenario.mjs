// 内容运营, the shopper's side: the scene guide content-schedule.scenario.mjs scheduled (or, run
// alone, one scheduled here through the API) and a 首页装修 topic entry pointing at it are not on the
// H5 storefront before its publish time; the dev clock moves past it (no cron run: reads decide by
// time) and it appears in the 内容 list and on the home page, and opens. The clock goes back to 0.
import { check, loginViaApi, tid, uniq } from './lib.mjs';
import { PHONE, settled, until } from './shop.mjs';

export const app = 'storefront';
export const order = 89;
export const needs = ['articles-page', 'article-item', 'article-page', 'home-topic-entry'];

const MIN = 60_000;

export default async function shopContent({
  newPage,
  shopUrl,
  api,
  adminToken: firstToken,
  adminEmail,
  adminPassword,
  screenshot,
  log,
  state,
}) {
  let adminToken = firstToken;
  let guide = state.scheduledGuide;
  if (!guide) {
    const clock = await api.ok('GET', '/admin/v1/dev/clock', { token: adminToken });
    const publishAt = Date.parse(clock.now) + 3 * MIN;
    const title = `周末露营场景指南 ${uniq()}`;
    const d = await api.ok('POST', '/admin/v1/content/articles', {
      token: adminToken,
      body: { kind: 'scene_guide', title, body: `<p>露营清单 ${uniq()}</p>`, publishAt: new Date(publishAt).toISOString() },
    });
    await api.ok('POST', `/admin/v1/content/articles/${d.id}/submit`, { token: adminToken });
    guide = { id: d.id, title, publishAt };
  }
  const entryTitle = `露营${uniq().slice(-4)}`;
  await api.ok('POST', '/admin/v1/home-sections', {
    token: adminToken,
    body: {
      kind: 'topic_entry',
      title: '本周场景',
      payload: { entries: [{ title: entryTitle, link: { type: 'article', target: guide.id } }] },
    },
  });

  const page = await newPage(PHONE);
  const listed = async () => {
    await page.goto(`${shopUrl}/content/list/index`);
    await page.locator(tid('articles-page')).waitFor({ state: 'visible' });
    await page.locator(tid('article-item')).first().waitFor({ state: 'visible' });
    return page.locator(`${tid('article-item')}[data-article-id="${guide.id}"]`).count();
  };
  const onHome = async () => {
    await page.goto(`${shopUrl}/pages/index/index`);
    await page.locator(tid('home-sections')).waitFor({ state: 'visible' });
    return page.locator(`${tid('home-topic-entry')}[data-link-target="${guide.id}"]`).count();
  };

  // --- before its time: nowhere -------------------------------------------------------------------
  check((await listed()) === 0, 'the guide is listed before its publish time');
  check((await onHome()) === 0, 'the home links to the guide before its publish time');
  const early = await api('GET', `/store/v1/articles/${guide.id}`);
  check(early.status === 404, `the guide answers ${early.status} before its time`);
  await screenshot('content-before', page);

  let moved = false;
  try {
    const clock = await api.ok('GET', '/admin/v1/dev/clock', { token: adminToken });
    const advanceMs = guide.publishAt - Date.parse(clock.now) + MIN;
    await api.ok('POST', '/admin/v1/dev/clock', { token: adminToken, body: { advanceMs } });
    moved = true;
    // tokens are checked against the moved clock
    adminToken = await loginViaApi(api, adminEmail, adminPassword);
    log(`clock moved ${Math.round(advanceMs / 1000)} s past the guide's publish time`);

    // --- after: in the list and on the home (no cron has run) --------------------------------------
    await until(async () => (await listed()) === 1, { what: 'the guide in the 内容 list' });
    await settled(page);
    await screenshot('content-list-after', page);
    await until(async () => (await onHome()) === 1, { timeoutMs: 20_000, what: 'the home topic entry to the guide' });
    await settled(page);
    await screenshot('content-home-after', page);
    await page.locator(`${tid('home-topic-entry')}[data-link-target="${guide.id}"]`).click();
    const titleEl = page.locator(tid('article-page-title'));
    await titleEl.waitFor({ state: 'visible' });
    check((await titleEl.innerText()).includes(guide.title), `the article page shows "${await titleEl.innerText()}"`);
    await settled(page);
    await screenshot('content-article', page);
    const admin = await api.ok('GET', `/admin/v1/content/articles/${guide.id}`, { token: adminToken });
    check(admin.live, 'the console does not show the guide live');
  } finally {
    if (moved) await api.ok('POST', '/admin/v1/dev/clock', { token: adminToken, body: { offsetMs: 0 } });
  }
}
