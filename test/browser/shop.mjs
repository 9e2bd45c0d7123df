// Helpers for the H5 storefront's scenarios (shop-*.scenario.mjs). Taro renders its components
// as web components (<taro-input-core> around a real <input>, <taro-button-core>, …), so a
// data-testid sits on the wrapper: these helpers reach the element inside where needed.
import { randomUUID } from 'node:crypto';
import { tid } from './lib.mjs';

/** A phone's viewport: the storefront is a mobile page. */
export const PHONE = { viewport: { width: 390, height: 844 } };

/** Types into a Taro Input/Textarea by its data-testid. */
export async function taroFill(page, testId, value) {
  const host = page.locator(tid(testId)).first();
  await host.waitFor({ state: 'visible' });
  const inner = host.locator('input, textarea');
  const target = (await inner.count()) ? inner.first() : host;
  await target.fill(value);
}

/** The value of a Taro Input by its data-testid. */
export async function taroValue(page, testId) {
  const host = page.locator(tid(testId)).first();
  const inner = host.locator('input, textarea');
  return (await inner.count()) ? inner.first().inputValue() : host.inputValue();
}

/** Polls `fn` until it returns a truthy value (or throws after `timeoutMs`). */
export async function until(fn, { timeoutMs = 15_000, everyMs = 250, what = 'condition' } = {}) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < timeoutMs) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`,
  );
}

/** A sandbox shopper through the API (userLogin): { token, storage } for signInPage. */
export async function sandboxShopper(api, code = `shop-${randomUUID()}`) {
  const r = await api.ok('POST', '/store/v1/auth/wx-login', { body: { code } });
  return {
    token: r.accessToken,
    code,
    storage: JSON.stringify({
      data: { accessToken: r.accessToken, refreshToken: r.refreshToken, expiresAt: Date.now() + r.expiresIn * 1000 },
    }),
  };
}

/** Makes the page start signed in as `shopper` (the storefront's own storage key, in Taro's format). */
export async function signInPage(page, shopper) {
  await page.addInitScript((s) => localStorage.setItem('edgemall.session', s), shopper.storage);
}

/** The session the storefront holds in the page (after an SMS login), or null. */
export async function pageSession(page) {
  const raw = await page.evaluate(() => localStorage.getItem('edgemall.session'));
  return raw ? JSON.parse(raw).data : null;
}

/** Gives a shopper a default address through the API. */
export function addAddress(api, token) {
  return api.ok('POST', '/store/v1/addresses', {
    token,
    body: {
      name: '测试买家',
      phone: '13800138000',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '文三路 100 号 5 幢 302 室',
      isDefault: true,
    },
  });
}

export const idem = () => randomUUID();

/**
 * Whether a Taro Button (a <taro-button-core> host on H5) is disabled. React writes the prop as an
 * attribute, so an enabled button can carry disabled="false": only a present, non-"false" value counts.
 */
export function taroDisabled(locator) {
  return locator.evaluate((e) => {
    const d = e.getAttribute('disabled');
    return (d !== null && d !== 'false') || e.getAttribute('aria-disabled') === 'true';
  });
}

/** Waits for Taro's page-slide transition (and any other running animation) to finish: screenshots mid-slide show half a page. */
export async function settled(page) {
  await page
    .waitForFunction(
      () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
      null,
      { timeout: 5_000 },
    )
    .catch(() => undefined);
}
