// Helpers for the browser scenarios (test/browser/*.scenario.mjs) and their runner.

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

/** Thrown (via ctx.skip) to end a scenario as SKIPPED rather than failed. */
export class SkipError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SkipError';
  }
}

const sourceCache = new Map();
/** Whether an app's source (`<appDir>/src`: web/admin or web/storefront) mentions `needle`, e.g. a data-testid or its prefix. */
export function consoleHas(appDir, needle) {
  if (!sourceCache.has(appDir)) {
    const parts = [];
    const walk = (dir) => {
      let entries = [];
      try {
        entries = readdirSync(dir);
      } catch {
        return;
      }
      for (const e of entries) {
        const p = path.join(dir, e);
        if (e === 'node_modules' || e === 'dist') continue;
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(tsx?|jsx?|mjs)$/.test(e)) parts.push(readFileSync(p, 'utf8'));
      }
    };
    walk(path.join(appDir, 'src'));
    sourceCache.set(appDir, parts.join('\n'));
  }
  return sourceCache.get(appDir).includes(needle);
}

/** Fails with `message` unless `cond`. */
export function check(cond, message) {
  if (!cond) throw new Error(`check failed: ${message}`);
}

/** `[data-testid="…"]` */
export const tid = (id) => `[data-testid="${id}"]`;

/**
 * Signs in through the console's login page and waits for the signed-in shell (current-user).
 * Returns the page.
 */
export async function loginViaUi(page, consoleUrl, email, password) {
  await page.goto(`${consoleUrl}/login`);
  await fillField(page, 'login-email', email);
  await fillField(page, 'login-password', password);
  await page.locator(tid('login-submit')).click();
  await page.locator(tid('current-user')).waitFor({ state: 'visible' });
  return page;
}

/** Signs in through the API; returns the access token. */
export async function loginViaApi(api, email, password) {
  const r = await api('POST', '/admin/v1/auth/login', { body: { email, password } });
  if (r.status !== 200 || !r.json?.accessToken) throw new Error(`API sign-in as ${email} → ${r.status} ${r.text.slice(0, 300)}`);
  return r.json.accessToken;
}

// --- a small valid PNG, written without dependencies ----------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** Writes a `size`×`size` RGB PNG (a two-colour diagonal, so it is visibly an image) to `file`. */
export function writePng(file, { size = 240, rgb = [220, 40, 60], rgb2 = [250, 250, 250] } = {}) {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y++) {
    const row = y * (size * 3 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const [r, g, b] = x > y ? rgb : rgb2;
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type: RGB
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  writeFileSync(file, png);
  return file;
}

/** A short unique suffix for emails and titles, so scenarios never collide. */
export const uniq = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;

// --- API helpers ----------------------------------------------------------------------------

let specCache = null;
/**
 * The path of an admin/storefront operation by its operationId, from GET /openapi.json, with
 * `{params}` filled in; null when the API has no such operation (yet).
 */
export async function opPath(api, operationId, params = {}) {
  specCache ??= await api.ok('GET', '/openapi.json');
  for (const [p, ops] of Object.entries(specCache.paths ?? {}))
    for (const [method, op] of Object.entries(ops))
      if (op?.operationId === operationId)
        return { method: method.toUpperCase(), path: p.replace(/\{(\w+)\}/g, (_, k) => encodeURIComponent(params[k] ?? `{${k}}`)) };
  return null;
}

/** Calls an operation by operationId; throws when the API does not have it. */
export async function callOp(api, operationId, { params, query, ...opts } = {}) {
  const op = await opPath(api, operationId, params);
  if (!op) throw new Error(`the API has no operation ${operationId} (GET /openapi.json)`);
  const qs = query ? `?${new URLSearchParams(query)}` : '';
  return api(op.method, op.path + qs, opts);
}

/** Creates a staff member through the API (createStaff) and returns { id, email, password }. */
export async function createStaff(api, adminToken, { role, name = `${role} ${uniq()}`, merchantId } = {}) {
  const email = `${role}-${uniq()}@browser.test`;
  const password = `pw-${uniq()}-${uniq()}`;
  const r = await api('POST', '/admin/v1/staff', {
    token: adminToken,
    body: { email, name, password, role, ...(merchantId ? { merchantId } : {}) },
  });
  if (r.status !== 201) throw new Error(`createStaff (${role}) → ${r.status} ${r.text.slice(0, 300)}`);
  return { id: r.json.id, email, password };
}

/**
 * A shopper (sandbox login) orders the first in-stock product sold by someone other than
 * `notMerchantId`; returns { orderId, merchantId }.
 */
export async function placeShopperOrder(api, { notMerchantId, code = `browser-${uniq()}` } = {}) {
  const { accessToken: token } = await api.ok('POST', '/store/v1/auth/wx-login', { body: { code } });
  const list = await api.ok('GET', '/store/v1/products?inStock=true&limit=50');
  const summary = list.items.find((p) => p.merchantId !== notMerchantId);
  if (!summary) throw new Error('no in-stock product from another merchant to order');
  const product = await api.ok('GET', `/store/v1/products/${summary.id}`);
  const sku = product.skus.find((s) => s.stock > 0);
  const address = await api.ok('POST', '/store/v1/addresses', {
    token,
    body: { name: '王小明', phone: '13912345678', province: '浙江省', city: '杭州市', district: '西湖区', detail: '文三路100号' },
  });
  await api.ok('POST', '/store/v1/cart/items', { token, body: { skuId: sku.id, quantity: 1 } });
  const quote = await api.ok('POST', '/store/v1/checkout/quote', { token, body: { addressId: address.id } });
  const created = await api.ok('POST', '/store/v1/orders', {
    token,
    body: { addressId: address.id, expectedPayableTotal: quote.payableTotal },
    headers: { 'idempotency-key': `browser-${uniq()}` },
  });
  return { orderId: created.orders[0].id, merchantId: product.merchantId };
}

const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** A random 统一社会信用代码 with a correct check character (GB 32100-2015). */
export function creditCode() {
  let body = '913301';
  while (body.length < 17) body += CREDIT_CODE_CHARS[Math.floor(Math.random() * 10)];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_CHARS.indexOf(body[i]) * CREDIT_CODE_WEIGHTS[i];
  return body + CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31];
}

/**
 * Fills an antd-or-plain form control found by data-testid: an <input>/<textarea> directly, or the
 * first input inside the element the testid is on (antd puts testids on wrappers at times).
 */
export async function fillField(page, id, value) {
  const el = page.locator(tid(id)).first();
  await el.waitFor({ state: 'visible' });
  const tag = await el.evaluate((n) => n.tagName.toLowerCase());
  const target = tag === 'input' || tag === 'textarea' ? el : el.locator('input, textarea').first();
  await target.fill(String(value));
}

/** The <input type=file> behind a data-testid (on the input itself or on a wrapper such as antd Upload). */
export async function fileInput(page, id) {
  const el = page.locator(tid(id)).first();
  await el.waitFor({ state: 'attached' });
  const isFile = await el.evaluate((n) => n.tagName.toLowerCase() === 'input' && n.type === 'file');
  return isFile ? el : el.locator('input[type=file]').first();
}

/**
 * Opens an antd Select / Cascader / TreeSelect found by data-testid and picks `label` (or the first
 * option), descending through Cascader menus until the dropdown closes.
 */
export async function pickOption(page, id, label) {
  const el = page.locator(tid(id)).first();
  await el.waitFor({ state: 'visible' });
  const tag = await el.evaluate((n) => n.tagName.toLowerCase());
  if (tag === 'select') {
    if (label) await el.selectOption({ label });
    else await el.selectOption({ index: 1 });
    return;
  }
  await el.click();
  // A searchable Select renders only a window of its options: type the label to bring it into view.
  const search = el.locator('input.ant-select-selection-search-input');
  if (label && (await search.count()) && !(await search.first().evaluate((n) => n.readOnly))) await search.first().fill(label);
  const dropdown = page.locator('.ant-select-dropdown:visible, .ant-cascader-dropdown:visible, .ant-tree-select-dropdown:visible').last();
  await dropdown.waitFor({ state: 'visible' });
  for (let depth = 0; depth < 6; depth++) {
    if (!(await dropdown.isVisible())) return;
    const cascader = dropdown.locator('.ant-cascader-menu');
    if (await cascader.count()) {
      const menu = cascader.nth((await cascader.count()) - 1);
      const items = menu.locator('.ant-cascader-menu-item:not(.ant-cascader-menu-item-disabled)');
      const item = label && (await items.filter({ hasText: label }).count()) ? items.filter({ hasText: label }).first() : items.first();
      const isLeaf = !(await item.evaluate((n) => n.classList.contains('ant-cascader-menu-item-expand')));
      await item.click();
      if (isLeaf) break;
      continue;
    }
    const tree = dropdown.locator('.ant-select-tree-treenode');
    if (await tree.count()) {
      const node = label ? tree.filter({ hasText: label }).first() : tree.first();
      await node.locator('.ant-select-tree-node-content-wrapper').click();
      break;
    }
    const opts = dropdown.locator('.ant-select-item-option:not(.ant-select-item-option-disabled)');
    const opt = label ? opts.filter({ hasText: label }).first() : opts.first();
    await opt.click();
    break;
  }
  // The dropdown closes with an animation: wait for it before pressing Escape, which would also
  // close a Modal the Select sits in.
  await dropdown.waitFor({ state: 'hidden', timeout: 1_000 }).catch(() => {});
  if (await dropdown.isVisible().catch(() => false)) await page.keyboard.press('Escape').catch(() => {});
}
