// Helpers for the H5 storefront's scenarios (shop-*.scenario.mjs). Taro renders its components
// as web components (<taro-input-core> around a real <input>, <taro-button-core>, …), so a
// data-testid sits on the wrapper: these helpers reach the element inside where needed.
import { createHmac, randomUUID } from 'node:crypto';
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

/**
 * A paid order of two 保温杯 for the shopper `token`, shipped by the operator (SF) with two
 * tracking events posted through the carrier's signed webhook; newest event: 快递员正在派件.
 * Returns { orderId, trackingNo }.
 */
export async function shippedOrder({ api, apiUrl, adminToken, devVars, token }) {
  const address = await addAddress(api, token);
  const list = await api.ok('GET', `/store/v1/products?q=${encodeURIComponent('保温杯')}`);
  const product = await api.ok('GET', `/store/v1/products/${list.items[0].id}`);
  const sku = product.skus.find((s) => s.stock >= 5);
  if (!sku) throw new Error(`${product.title} has no SKU with 5 in stock`);
  await api.ok('POST', '/store/v1/cart/items', { token, body: { skuId: sku.id, quantity: 2 } });
  const quote = await api.ok('POST', '/store/v1/checkout/quote', { token, body: { addressId: address.id } });
  const created = await api.ok('POST', '/store/v1/orders', {
    token,
    body: { addressId: address.id, buyerNote: '', expectedPayableTotal: quote.payableTotal },
    headers: { 'idempotency-key': idem() },
  });
  const orderId = created.orders[0].id;
  const pay = await api.ok('POST', `/store/v1/orders/${orderId}/pay`, { token });
  await api.ok('POST', pay.sandboxPayPath);
  await until(async () => (await api.ok('GET', `/store/v1/orders/${orderId}`, { token })).status === 'paid', {
    what: 'the order to be paid',
  });
  const trackingNo = `SF${Date.now()}`;
  await api.ok('POST', `/admin/v1/orders/${orderId}/ship`, { token: adminToken, body: { carrierCode: 'SF', trackingNo } });
  const raw = JSON.stringify({
    carrierCode: 'SF',
    trackingNo,
    events: [
      {
        at: new Date(Date.now() - 2 * 3600_000).toISOString(),
        status: 'in_transit',
        description: '快件已到达【杭州转运中心】',
        location: '杭州',
      },
      {
        at: new Date(Date.now() - 600_000).toISOString(),
        status: 'out_for_delivery',
        description: '快递员正在派件',
        location: '杭州西湖区',
      },
    ],
  });
  const t = Math.floor(Date.now() / 1000);
  const sig = createHmac('sha256', devVars.LOGISTICS_WEBHOOK_SECRET).update(`${t}.${raw}`).digest('hex');
  const hook = await fetch(`${apiUrl}/webhooks/logistics/tracking`, {
    method: 'POST',
    body: raw,
    headers: { 'content-type': 'application/json', 'x-edgemall-signature': `t=${t},v1=${sig}` },
  });
  if (!hook.ok) throw new Error(`the tracking webhook → ${hook.status} ${await hook.text()}`);
  return { orderId, trackingNo };
}
