// The console's 合规词库: an operator checks copy in 文本检测 (evasive spellings are marked in the
// text with their fix hint, ordinary copy passes), adds a word in the dictionary editor, sees the
// version move and the new word caught, then disables it.
import { callOp, check, fillField, loginViaUi, tid, uniq } from './lib.mjs';

export const order = 70;
export const needs = ['screening-page', 'screen-input', 'word-new'];

export default async function screening({ newPage, consoleUrl, api, adminToken, adminEmail, adminPassword, screenshot, log }) {
  const page = await newPage();
  await loginViaUi(page, consoleUrl, adminEmail, adminPassword);
  await page.locator(tid('nav-screening')).click();
  await page.locator(tid('screening-page')).waitFor({ state: 'visible' });
  await page.locator(tid('word-table')).getByText('国家级', { exact: true }).waitFor({ state: 'visible' });

  // --- 文本检测 ---------------------------------------------------------------------------------
  await page.getByRole('tab', { name: '文本检测' }).click();
  const text = '本店全网最低价！通过國家級检测，祛痘１００％有效。第一次使用请先清洗。';
  await fillField(page, 'screen-input', text);
  await page.locator(tid('screen-run')).click();
  await page.locator(tid('screen-verdict')).filter({ hasText: '拦截' }).waitFor({ state: 'visible' });
  const marks = await page.locator(tid('screen-mark')).allInnerTexts();
  check(JSON.stringify(marks) === JSON.stringify(['最低价', '國家級', '１００％有效']), `marked ${JSON.stringify(marks)}`);
  check((await page.locator(tid('screen-match')).count()) === 3, 'three matches listed');
  await screenshot('screening-check', page);

  await fillField(page, 'screen-input', '第一次使用前请清洗，采用食品级硅胶材质，最近到货。');
  await page.locator(tid('screen-run')).click();
  await page.locator(tid('screen-verdict')).filter({ hasText: '通过' }).waitFor({ state: 'visible' });

  // --- 词库: add, catch, disable ---------------------------------------------------------------
  const term = `场景词${uniq()}`;
  await page.getByRole('tab', { name: '词库' }).click();
  const before = (await callOp(api, 'listSensitiveWords', { token: adminToken })).json.version;
  await page.locator(tid('word-new')).click();
  await fillField(page, 'word-term', term);
  await fillField(page, 'word-hint', '场景测试：删除');
  await page.locator(tid('word-save')).click();
  const search = page.locator(`input${tid('word-search')}, ${tid('word-search')} input`).first();
  await search.fill(term);
  await search.press('Enter');
  await page.locator(tid('word-table')).getByText(term, { exact: true }).waitFor({ state: 'visible' });
  await page
    .locator(tid('dictionary-version'))
    .filter({ hasText: `v${before + 1}` })
    .waitFor({ state: 'visible' });

  const caught = await callOp(api, 'screenText', { token: adminToken, body: { text: `这是${term.split('').join(' ')}` } });
  check(caught.json.verdict === 'review' && caught.json.matches[0]?.term === term, `screenText ${JSON.stringify(caught.json)}`);

  await page.locator(tid(`word-enabled-${term}`)).click();
  await page
    .locator(tid('dictionary-version'))
    .filter({ hasText: `v${before + 2}` })
    .waitFor({ state: 'visible' });
  const after = await callOp(api, 'screenText', { token: adminToken, body: { text: term } });
  check(after.json.verdict === 'pass', 'a disabled word no longer matches');
  await screenshot('screening-words', page);
  log(`dictionary v${before} → v${before + 2}`);
}
