// A small "mini-program host": runs the storefront's compiled WeChat mini-program
// (web/storefront/dist/weapp, `npm run build:weapp`) in Node, against a real API, so a test can
// see that the weapp output actually boots, renders pages and talks to the server — not only
// that it compiles. Used by test/weapp/weapp-storefront.scenario.mjs (app 'weapp').
//
// What it emulates (the JS side of a mini-program, the "app service"):
//   - one `node:vm` context per host, holding only what the mini-program JS environment has:
//     `wx`, `App`, `Page`, `Component`, `Behavior`, `getApp`, `getCurrentPages`, `requirePlugin`,
//     `console`, `setTimeout`/`setInterval` (and their clear*), plus the language's own builtins.
//     There is NO `window`, `document`, `fetch`, `XMLHttpRequest`, `URL`, `TextEncoder`, `process`,
//     `Buffer` or `setImmediate`: code that reaches for them throws here as it would on a phone.
//   - a per-file CommonJS `require` resolving relative to dist/weapp (app.js, the chunks it
//     requires, one .js per page); every page of app.json is loaded at launch, as WeChat does
//     without lazy code loading, and each must call `Page()`.
//   - App lifecycle (onLaunch, onShow) and, per opened page, a page instance built from the
//     `Page()` config (onLoad(query) → onShow → onReady after the first setData; onUnload), with a
//     page stack for getCurrentPages().
//   - `this.setData({ 'root.cn.[0].cn.[2].v': … })`: the path keys are applied to the page's
//     `data`, JSON-cloned as WeChat does. Taro's view tree there is what dist/weapp/base.wxml
//     renders: `nn` = node name (a number, see the templates), `cn` = children, `v` = a text
//     node's text, `sid` (and `uid` when different) = the node's id, `cl` = class, `st` = style,
//     `pN` = the component's attributes (their names come from base.wxml, e.g. button p2 = disabled).
//   - events: `tap(…)`/`input(…)` find a node and call the page's `eh` (Taro's event handler) the
//     way WeChat's bubbling does: once per ancestor from the target up, with `currentTarget.id` /
//     `dataset.sid` = that node's id.
//   - `wx.*`: `request`/`uploadFile` over Node's fetch, the build's API base
//     (http://localhost:8787) rewritten to the test API; `login` → a random `weapp-…` code;
//     storage in memory; toasts, modals, navigation, payment and the like recorded in `calls`
//     (modals confirm, `requestPayment` fails with `requestPayment:fail cancel`, the image pickers
//     cancel, unless `answers.<api>` says otherwise); system info with plausible values. A `wx` API
//     the host does not emulate is reported once (in `unknown`) and fails its call.
//   - errors: an exception in a lifecycle, a timer or an event, an unhandled rejection of the
//     page code and `console.error` are collected in `errors` (and thrown by `check()`).
//
// What it does not: no WXML/WXS evaluation, no layout, no wxss, no real rendering — the "screen"
// is the data tree Taro pushes through setData; no custom components are instantiated (Taro's
// `comp` only re-renders a deep subtree of the page's own data, and `custom-wrapper`, which the
// storefront does not use, would only receive updates once attached, so every update reaches the
// page); dataset (`data-testid`) is not part of that data, so `byTestId` asks Taro's own document
// for it (found through the webpack chunk registry); no tab bar, no real navigation bar, no
// animation. Navigation (`navigateTo`, `redirectTo`, `switchTab`, `reLaunch`, `navigateBack`) is
// recorded and answered with success; with `follow: true` it also opens/closes the pages.

import vm from 'node:vm';
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

const BUILD_API_BASE = 'http://localhost:8787';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** WeChat's own wx APIs that the host does not emulate still exist in `wx` (Taro builds `Taro.*` from
 * Object.keys(wx)); their names come from Taro's promisify lists, plus the usual sync/observer APIs. */
function knownWxApiNames(dist) {
  const names = new Set([
    'getStorageInfoSync',
    'clearStorageSync',
    'getLaunchOptionsSync',
    'getEnterOptionsSync',
    'getAccountInfoSync',
    'getMenuButtonBoundingClientRect',
    'getSystemSetting',
    'getAppAuthorizeSetting',
    'canIUse',
    'getUpdateManager',
    'createAnimation',
    'createCanvasContext',
    'createVideoContext',
    'createInnerAudioContext',
    'createIntersectionObserver',
    'createSelectorQuery',
    'onAppShow',
    'onAppHide',
    'offAppShow',
    'offAppHide',
    'onError',
    'offError',
    'onUnhandledRejection',
    'offUnhandledRejection',
    'onPageNotFound',
    'onNetworkStatusChange',
    'offNetworkStatusChange',
    'onMemoryWarning',
    'onWindowResize',
    'offWindowResize',
    'getLogManager',
    'getRealtimeLogManager',
    'reportAnalytics',
    'reportEvent',
    'reportMonitor',
    'getPerformance',
    'arrayBufferToBase64',
    'base64ToArrayBuffer',
    'nextTick',
    'getFileSystemManager',
    'setEnableDebug',
    'onKeyboardHeightChange',
    'offKeyboardHeightChange',
    'hideKeyboard',
  ]);
  try {
    const req = createRequire(path.join(dist, '..', '..', 'package.json'));
    const files = [
      path.join(path.dirname(req.resolve('@tarojs/shared/package.json')), 'dist', 'native-apis.js'),
      path.join(path.dirname(req.resolve('@tarojs/plugin-platform-weapp/package.json')), 'dist', 'runtime.js'),
    ];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const block of text.matchAll(/needPromiseApis = new Set\(\[([\s\S]*?)\]\)/g))
        for (const m of block[1].matchAll(/'(\w+)'/g)) names.add(m[1]);
    }
  } catch {
    /* without Taro's lists, only the names above and the emulated ones exist */
  }
  return names;
}

/** Reads base.wxml: node name (`nn`) → { tag, attrs: { pN: attribute } } for the level-0 templates. */
function readTemplates(dist) {
  const file = path.join(dist, 'base.wxml');
  const map = {};
  if (!existsSync(file)) return map;
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/<template name="tmpl_0_(\w+?)(?:_(?:focus|blur))?">\s*<([\w-]+)([^>]*)>/g)) {
    const [, nn, tag, attrText] = m;
    if (tag === 'template') continue;
    const attrs = (map[nn] ??= { tag, attrs: {} }).attrs;
    for (const a of attrText.matchAll(/([\w-]+)="\{\{[^"]*?\bi\.(p\d+)\b/g)) attrs[a[2]] = a[1];
  }
  return map;
}

/** 'root.cn.[0].cn[2].v' → ['root', 'cn', 0, 'cn', 2, 'v'] */
function parsePath(p) {
  const out = [];
  for (const m of p.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

function applyPath(target, p, value) {
  const keys = parsePath(p);
  let o = target;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i];
    if (o[k] === null || typeof o[k] !== 'object') o[k] = typeof keys[i + 1] === 'number' ? [] : {};
    o = o[k];
  }
  o[keys[keys.length - 1]] = value;
}

const jsonClone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

/** Raw query values, as WeChat hands them to onLoad (not decoded). */
function splitUrl(url) {
  const [route, qs = ''] = String(url).replace(/^\/+/, '').split('?');
  const query = {};
  for (const part of qs.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    query[i < 0 ? part : part.slice(0, i)] = i < 0 ? '' : part.slice(i + 1);
  }
  return { route, query };
}

/**
 * @param {object} o
 * @param {string} o.dist       dist/weapp
 * @param {string} o.apiUrl     the API the requests go to (the build's base URL is rewritten to it)
 * @param {string} [o.apiBase]  the base URL baked into the build (default http://localhost:8787)
 * @param {(m: string) => void} [o.log]
 * @param {boolean} [o.follow]  navigation APIs also open/close pages (default: only recorded)
 * @param {boolean} [o.verbose] forward console.log/info of the page code
 */
export function createHost({ dist, apiUrl, apiBase = BUILD_API_BASE, log = console.log, follow = false, verbose = false }) {
  if (!existsSync(path.join(dist, 'app.js')) || !existsSync(path.join(dist, 'app.json')))
    throw new Error(`${dist} has no app.js/app.json: run npm run build:weapp`);
  const appJson = JSON.parse(readFileSync(path.join(dist, 'app.json'), 'utf8'));
  const templates = readTemplates(dist);
  const tabRoutes = new Set((appJson.tabBar?.list ?? []).map((t) => t.pagePath));
  // Main-package pages, then the subpackages' (WeChat loads those on first use; the host loads all at launch).
  const allPages = [
    ...appJson.pages,
    ...(appJson.subPackages ?? appJson.subpackages ?? []).flatMap((sp) => sp.pages.map((p) => `${sp.root.replace(/\/+$/, '')}/${p}`)),
  ];
  apiBase = apiBase.replace(/\/+$/, '');
  apiUrl = apiUrl.replace(/\/+$/, '');

  const errors = []; // { where, error }
  const calls = []; // { api, args }
  const requests = []; // { method, url, status, ms }
  const unknown = new Set();
  const storage = new Map(); // key → JSON text
  const timers = new Set();
  const answers = {}; // api → (options) => result object, or throws/returns { fail: errMsg }
  const inflightUrls = new Set(); // `${method} ${url}` of the requests in flight
  let inflight = 0;
  let pendingShort = 0; // timers of ≤ 50 ms not yet run: React's scheduler and Taro's setData batches
  let closed = false;

  const record = (api, args) => calls.push({ api, args: jsonClone(args ?? null), at: Date.now() });
  const fail = (where, error) => {
    errors.push({ where, error });
    log(`weapp error in ${where}: ${error?.stack?.split('\n').slice(0, 4).join(' | ') ?? error}`);
  };

  // ----- the context -------------------------------------------------------------------------
  const sandbox = Object.create(null);
  const context = vm.createContext(sandbox, { name: 'weapp' });
  const vmJSON = vm.runInContext('JSON', context);
  const VmPromise = vm.runInContext('Promise', context);
  /** Host values handed to the page code are made of its own Object/Array (instanceof works there). */
  const toVm = (v) => (v === undefined ? undefined : vmJSON.parse(JSON.stringify(v)));

  const wrapTimerFn =
    (fn, where) =>
    (...args) => {
      if (closed) return;
      try {
        if (typeof fn === 'function') fn(...args);
      } catch (e) {
        fail(where, e);
      }
    };
  const timerApi = {
    setTimeout(fn, ms = 0, ...args) {
      const short = Number(ms) <= 50;
      if (short) pendingShort++;
      let done = false;
      const finish = () => {
        if (!done && short) pendingShort--;
        done = true;
      };
      const h = setTimeout(() => {
        timers.delete(h);
        finish();
        wrapTimerFn(fn, 'setTimeout callback')(...args);
      }, ms);
      h[Symbol.for('weapp.finish')] = finish;
      timers.add(h);
      return h;
    },
    clearTimeout(h) {
      if (!h) return;
      h[Symbol.for('weapp.finish')]?.();
      timers.delete(h);
      clearTimeout(h);
    },
    setInterval(fn, ms = 0, ...args) {
      const h = setInterval(wrapTimerFn(fn, 'setInterval callback'), Math.max(Number(ms) || 0, 1), ...args);
      timers.add(h);
      return h;
    },
    clearInterval(h) {
      if (!h) return;
      timers.delete(h);
      clearInterval(h);
    },
  };

  const consoleErrors = [];
  const fmt = (args) =>
    args
      .map((a) =>
        a instanceof Error || (a && typeof a === 'object' && 'stack' in a && 'message' in a)
          ? a.stack
          : typeof a === 'string'
            ? a
            : safeJson(a),
      )
      .join(' ');
  const vmConsole = {
    log: (...a) => verbose && log(`weapp console.log: ${fmt(a)}`),
    info: (...a) => verbose && log(`weapp console.info: ${fmt(a)}`),
    debug: () => {},
    warn: (...a) => log(`weapp console.warn: ${fmt(a).slice(0, 500)}`),
    error: (...a) => {
      const text = fmt(a);
      consoleErrors.push(text);
      fail('console.error', new Error(text.slice(0, 2000)));
    },
    trace: () => {},
    group: () => {},
    groupEnd: () => {},
    time: () => {},
    timeEnd: () => {},
  };

  // ----- wx ----------------------------------------------------------------------------------
  const later = (fn) => timerApi.setTimeout(fn, 0);
  /** Calls success/fail/complete like WeChat (asynchronously) and returns nothing. */
  function answer(opts, api, ok, res) {
    const o = opts && typeof opts === 'object' ? opts : {};
    const result = toVm({ ...res, errMsg: ok ? `${api}:ok` : `${api}:fail ${res?.reason ?? ''}`.trimEnd() });
    if (!ok) delete result.reason;
    later(() => {
      try {
        (ok ? o.success : o.fail)?.(result);
      } finally {
        o.complete?.(result);
      }
    });
  }
  /**
   * An API that is recorded and answered (answers[api] may decide: return an object, or
   * { fail: 'reason' }, or a promise of either — e.g. a payment the test completes on the server
   * first; the host counts it as in flight until it settles).
   */
  const recorded =
    (api, defaultResult = {}) =>
    (opts = {}) => {
      record(api, opts && typeof opts === 'object' ? stripFns(opts) : opts);
      const reply = (res) => {
        if (res && res.fail !== undefined) answer(opts, api, false, { reason: res.fail });
        else answer(opts, api, true, res);
      };
      const res = answers[api] ? answers[api](stripFns(opts)) : defaultResult;
      if (res && typeof res.then === 'function') {
        inflight++;
        inflightUrls.add(`wx.${api}`);
        res
          .then(reply, (e) => {
            fail(`answers.${api}`, e);
            reply({ fail: String(e?.message ?? e) });
          })
          .finally(() => {
            inflight--;
            inflightUrls.delete(`wx.${api}`);
          });
      } else reply(res);
      if (follow) navigate(api, opts);
    };

  const systemInfo = {
    brand: 'devtools',
    model: 'iPhone 13',
    pixelRatio: 3,
    screenWidth: 390,
    screenHeight: 844,
    windowWidth: 390,
    windowHeight: 750,
    statusBarHeight: 47,
    language: 'zh_CN',
    version: '8.0.50',
    system: 'iOS 17.0',
    platform: 'devtools',
    fontSizeSetting: 16,
    SDKVersion: '3.5.0',
    benchmarkLevel: 1,
    theme: 'light',
    enableDebug: false,
    deviceOrientation: 'portrait',
    safeArea: { left: 0, right: 390, top: 47, bottom: 810, width: 390, height: 763 },
    screenTop: 0,
    host: { env: 'WeChat' },
  };
  const pick = (keys) => () => toVm(Object.fromEntries(keys.map((k) => [k, systemInfo[k]])));

  function selectorQuery() {
    const q = {
      in: () => q,
      select: () => node,
      selectAll: () => node,
      selectViewport: () => node,
      exec: (cb) => later(() => cb?.(toVm(queue.map(() => null)))),
    };
    const queue = [];
    const node = {
      boundingClientRect: (cb) => (queue.push(cb), q),
      scrollOffset: (cb) => (queue.push(cb), q),
      fields: (f, cb) => (queue.push(cb), q),
      node: (cb) => (queue.push(cb), q),
      context: (cb) => (queue.push(cb), q),
    };
    return q;
  }

  const wxImpl = {
    env: { USER_DATA_PATH: 'wxfile://usr' },
    request(opts = {}) {
      const controller = new AbortController();
      const method = String(opts.method || 'GET').toUpperCase();
      let url = String(opts.url);
      if (url.startsWith(apiBase)) url = apiUrl + url.slice(apiBase.length);
      const headers = { ...(opts.header || {}) };
      let body;
      if (opts.data !== undefined && opts.data !== null) {
        if (method === 'GET' || method === 'HEAD') {
          if (typeof opts.data === 'object') {
            const qs = Object.entries(opts.data)
              .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'object' ? JSON.stringify(v) : String(v))}`)
              .join('&');
            if (qs) url += (url.includes('?') ? '&' : '?') + qs;
          }
        } else if (typeof opts.data === 'string' || opts.data instanceof ArrayBuffer) body = opts.data;
        else {
          const ct = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
          if (/x-www-form-urlencoded/i.test(ct))
            body = new URLSearchParams(Object.entries(opts.data).map(([k, v]) => [k, String(v)])).toString();
          else {
            body = JSON.stringify(opts.data);
            if (!ct) headers['content-type'] = 'application/json';
          }
        }
      }
      const task = {
        abort: () => controller.abort(),
        onHeadersReceived() {},
        offHeadersReceived() {},
        onChunkReceived() {},
        offChunkReceived() {},
      };
      if (!url.startsWith(apiUrl)) {
        record('request', { method, url, refused: true });
        answer(opts, 'request', false, { reason: `url not in the weapp host's domain list: ${url}` });
        return task;
      }
      const t = Date.now();
      const what = `${method} ${url}`;
      inflight++;
      inflightUrls.add(what);
      const timeout = Number(opts.timeout) || 60_000;
      const timer = setTimeout(() => controller.abort(new Error('timeout')), timeout);
      fetch(url, { method, headers, body, signal: controller.signal })
        .then(async (res) => {
          const buf = await res.arrayBuffer();
          const text = new TextDecoder().decode(buf);
          let data = text;
          if (opts.responseType === 'arraybuffer') data = buf;
          else if ((opts.dataType ?? 'json') === 'json') {
            try {
              data = JSON.parse(text);
            } catch {
              /* WeChat leaves a non-JSON body as a string */
            }
          }
          requests.push({ method, url, status: res.status, ms: Date.now() - t });
          const header = Object.fromEntries(res.headers.entries());
          answer(opts, 'request', true, {
            data: data instanceof ArrayBuffer ? undefined : data,
            statusCode: res.status,
            header,
            cookies: [],
          });
        })
        .catch((e) => {
          requests.push({ method, url, status: 0, ms: Date.now() - t, error: e.message });
          answer(opts, 'request', false, {
            reason: controller.signal.aborted
              ? String(controller.signal.reason?.message ?? '') === 'timeout'
                ? 'timeout'
                : 'abort'
              : e.message,
          });
        })
        .finally(() => {
          clearTimeout(timer);
          inflight--;
          inflightUrls.delete(what);
        });
      return task;
    },
    uploadFile(opts = {}) {
      let url = String(opts.url);
      if (url.startsWith(apiBase)) url = apiUrl + url.slice(apiBase.length);
      record('uploadFile', { url, filePath: opts.filePath, name: opts.name });
      const task = { abort() {}, onProgressUpdate() {}, offProgressUpdate() {}, onHeadersReceived() {}, offHeadersReceived() {} };
      let file;
      try {
        file = readFileSync(String(opts.filePath).replace(/^wxfile:\/\/tmp\//, ''));
      } catch (e) {
        answer(opts, 'uploadFile', false, { reason: `the weapp host cannot read ${opts.filePath}: ${e.message}` });
        return task;
      }
      const form = new FormData();
      for (const [k, v] of Object.entries(opts.formData ?? {})) form.append(k, String(v));
      form.append(opts.name || 'file', new Blob([file]), path.basename(String(opts.filePath)));
      inflight++;
      const t = Date.now();
      fetch(url, { method: 'POST', headers: { ...(opts.header || {}) }, body: form })
        .then(async (res) => {
          const text = await res.text();
          requests.push({ method: 'POST', url, status: res.status, ms: Date.now() - t });
          answer(opts, 'uploadFile', true, { data: text, statusCode: res.status });
        })
        .catch((e) => answer(opts, 'uploadFile', false, { reason: e.message }))
        .finally(() => inflight--);
      return task;
    },
    login(opts) {
      const code = `weapp-${randomBytes(8).toString('hex')}`;
      record('login', { code });
      answer(opts, 'login', true, { code });
    },
    checkSession: (opts) => answer(opts, 'checkSession', true, {}),
    getStorageSync: (key) => (storage.has(String(key)) ? vmJSON.parse(storage.get(String(key))) : ''),
    setStorageSync: (key, value) => void storage.set(String(key), JSON.stringify(value ?? null)),
    removeStorageSync: (key) => void storage.delete(String(key)),
    clearStorageSync: () => storage.clear(),
    getStorageInfoSync: () => toVm({ keys: [...storage.keys()], currentSize: 0, limitSize: 10240 }),
    getStorage(opts = {}) {
      if (storage.has(String(opts.key))) answer(opts, 'getStorage', true, { data: JSON.parse(storage.get(String(opts.key))) });
      else answer(opts, 'getStorage', false, { reason: 'data not found' });
    },
    setStorage: (opts = {}) => (storage.set(String(opts.key), JSON.stringify(opts.data ?? null)), answer(opts, 'setStorage', true, {})),
    removeStorage: (opts = {}) => (storage.delete(String(opts.key)), answer(opts, 'removeStorage', true, {})),
    clearStorage: (opts) => (storage.clear(), answer(opts, 'clearStorage', true, {})),
    getStorageInfo: (opts) => answer(opts, 'getStorageInfo', true, { keys: [...storage.keys()], currentSize: 0, limitSize: 10240 }),
    showToast: recorded('showToast'),
    hideToast: recorded('hideToast'),
    showLoading: recorded('showLoading'),
    hideLoading: recorded('hideLoading'),
    showModal: recorded('showModal', { confirm: true, cancel: false, content: '' }),
    showActionSheet: recorded('showActionSheet', { fail: 'cancel' }),
    navigateTo: recorded('navigateTo'),
    redirectTo: recorded('redirectTo'),
    switchTab: recorded('switchTab'),
    reLaunch: recorded('reLaunch'),
    navigateBack: recorded('navigateBack'),
    requestPayment: recorded('requestPayment', { fail: 'cancel' }),
    chooseImage: recorded('chooseImage', { fail: 'cancel' }),
    chooseMedia: recorded('chooseMedia', { fail: 'cancel' }),
    previewImage: recorded('previewImage'),
    setNavigationBarTitle: recorded('setNavigationBarTitle'),
    setNavigationBarColor: recorded('setNavigationBarColor'),
    showNavigationBarLoading: recorded('showNavigationBarLoading'),
    hideNavigationBarLoading: recorded('hideNavigationBarLoading'),
    startPullDownRefresh: recorded('startPullDownRefresh'),
    stopPullDownRefresh: recorded('stopPullDownRefresh'),
    pageScrollTo: recorded('pageScrollTo'),
    setTabBarBadge: recorded('setTabBarBadge'),
    removeTabBarBadge: recorded('removeTabBarBadge'),
    showTabBarRedDot: recorded('showTabBarRedDot'),
    hideTabBarRedDot: recorded('hideTabBarRedDot'),
    showShareMenu: recorded('showShareMenu'),
    hideShareMenu: recorded('hideShareMenu'),
    updateShareMenu: recorded('updateShareMenu'),
    setClipboardData: recorded('setClipboardData'),
    getClipboardData: recorded('getClipboardData', { data: '' }),
    makePhoneCall: recorded('makePhoneCall'),
    vibrateShort: recorded('vibrateShort'),
    getNetworkType: (opts) => answer(opts, 'getNetworkType', true, { networkType: 'wifi' }),
    getSystemInfoSync: () => toVm(systemInfo),
    getSystemInfo: (opts) => answer(opts, 'getSystemInfo', true, systemInfo),
    getSystemInfoAsync: (opts) => answer(opts, 'getSystemInfoAsync', true, systemInfo),
    getWindowInfo: pick([
      'pixelRatio',
      'screenWidth',
      'screenHeight',
      'windowWidth',
      'windowHeight',
      'statusBarHeight',
      'safeArea',
      'screenTop',
    ]),
    getAppBaseInfo: pick(['SDKVersion', 'enableDebug', 'host', 'language', 'version', 'theme', 'fontSizeSetting']),
    getDeviceInfo: pick(['brand', 'model', 'system', 'platform', 'benchmarkLevel']),
    getSystemSetting: () => toVm({ bluetoothEnabled: false, locationEnabled: false, wifiEnabled: true, deviceOrientation: 'portrait' }),
    getAppAuthorizeSetting: () => toVm({}),
    getMenuButtonBoundingClientRect: () => toVm({ width: 87, height: 32, top: 51, right: 380, bottom: 83, left: 293 }),
    getLaunchOptionsSync: () => toVm(launchOptions),
    getEnterOptionsSync: () => toVm(launchOptions),
    getAccountInfoSync: () => toVm({ miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' } }),
    canIUse: () => true,
    nextTick: (fn) => void later(fn),
    createSelectorQuery: selectorQuery,
    createIntersectionObserver: () => {
      const o = { relativeTo: () => o, relativeToViewport: () => o, observe() {}, disconnect() {} };
      return o;
    },
    getUpdateManager: () => ({ onCheckForUpdate() {}, onUpdateReady() {}, onUpdateFailed() {}, applyUpdate() {} }),
    onAppShow() {},
    onAppHide() {},
    offAppShow() {},
    offAppHide() {},
    onError() {},
    offError() {},
    onUnhandledRejection() {},
    offUnhandledRejection() {},
    onPageNotFound() {},
    onNetworkStatusChange() {},
    offNetworkStatusChange() {},
    onMemoryWarning() {},
    onWindowResize() {},
    offWindowResize() {},
    onKeyboardHeightChange() {},
    offKeyboardHeightChange() {},
    reportAnalytics() {},
    reportEvent() {},
    reportMonitor() {},
  };
  const launchOptions = { path: appJson.pages[0], query: {}, scene: 1001, referrerInfo: {}, apiCategory: 'default' };

  const unknownApi = (name) =>
    function (opts) {
      if (!unknown.has(name)) {
        unknown.add(name);
        log(`weapp host: wx.${name} is not emulated (called by the page code)`);
      }
      record(name, opts && typeof opts === 'object' ? stripFns(opts) : opts);
      if (opts && typeof opts === 'object' && (opts.fail || opts.complete))
        answer(opts, name, false, { reason: 'not emulated by the weapp host' });
    };
  const wxTarget = {};
  for (const name of knownWxApiNames(dist)) wxTarget[name] = unknownApi(name);
  Object.assign(wxTarget, wxImpl);
  const NOT_APIS = new Set(['webpackJsonp', 'then', 'toJSON', 'constructor', 'cloud', 'env']);
  const wx = new Proxy(wxTarget, {
    get(t, k, r) {
      if (typeof k === 'symbol' || k in t || NOT_APIS.has(k) || k.startsWith('__')) return Reflect.get(t, k, r);
      return unknownApi(k);
    },
  });

  // ----- App / Page / Component ---------------------------------------------------------------
  let appInstance = null;
  const pageConfigs = new Map(); // route → config
  const componentConfigs = new Map(); // file → config
  let loadingRoute = null;
  let loadingFile = null;
  const stack = []; // page instances
  let pageSeq = 0;

  Object.assign(sandbox, {
    wx,
    console: vmConsole,
    ...timerApi,
    App(config) {
      if (appInstance) throw new Error('App() called twice');
      appInstance = config;
    },
    Page(config) {
      if (!loadingRoute) throw new Error(`Page() called outside a page file (in ${loadingFile})`);
      pageConfigs.set(loadingRoute, config);
    },
    Component(config) {
      componentConfigs.set(loadingFile, config);
    },
    Behavior: (b) => b,
    getApp: () => appInstance,
    getCurrentPages: () => [...stack],
    requirePlugin(name) {
      throw new Error(`requirePlugin(${name}): no plugins in the weapp host`);
    },
  });

  const modules = new Map(); // absolute file → module
  function requireFile(file) {
    if (!file.endsWith('.js')) file += '.js';
    if (!file.startsWith(dist + path.sep)) throw new Error(`require outside dist/weapp: ${file}`);
    const cached = modules.get(file);
    if (cached) return cached.exports;
    if (!existsSync(file)) throw new Error(`module not found: ${path.relative(dist, file)}`);
    const module = { exports: {} };
    modules.set(file, module);
    const wrapper = new vm.Script(`(function (require, module, exports) {${readFileSync(file, 'utf8')}\n})`, { filename: file });
    const fn = wrapper.runInContext(context);
    const before = loadingFile;
    loadingFile = path.relative(dist, file);
    try {
      fn((p) => requireFile(path.resolve(path.dirname(file), p)), module, module.exports);
    } finally {
      loadingFile = before;
    }
    return module.exports;
  }

  // ----- the page instance --------------------------------------------------------------------
  function makePage(route, query) {
    const config = pageConfigs.get(route);
    if (!config) throw new Error(`no Page() for ${route} (pages in app.json: ${allPages.join(', ')})`);
    const id = ++pageSeq;
    const inst = {};
    for (const [k, v] of Object.entries(config)) if (k !== 'data') inst[k] = v;
    const data = jsonClone(config.data ?? {});
    let updates = 0;
    let readyCalled = false;
    const waiting = new Set();
    Object.assign(inst, {
      data,
      route,
      __route__: route,
      options: toVm(query),
      __wxWebviewId__: id,
      __wxExparserNodeId__: `page-${id}`,
      is: route,
      setData(patch, cb) {
        if (closed) return;
        for (const [p, v] of Object.entries(patch ?? {})) {
          if (v === undefined) continue; // WeChat ignores (and warns about) undefined
          applyPath(data, p, jsonClone(v));
        }
        updates++;
        for (const w of waiting) w();
        later(() => {
          if (typeof cb === 'function') cb.call(inst);
          if (!readyCalled && inst.__loaded) {
            readyCalled = true;
            lifecycle(inst, 'onReady');
          }
        });
      },
      getPageId: () => `pageId:${id}`,
      getTabBar: () => undefined,
      selectComponent: () => null,
      selectAllComponents: () => vm.runInContext('[]', context),
      createSelectorQuery: selectorQuery,
      createIntersectionObserver: wxImpl.createIntersectionObserver,
      getOpenerEventChannel: () => ({ emit() {}, on() {}, once() {}, off() {} }),
    });
    Object.defineProperty(inst, '__updates', { get: () => updates });
    Object.defineProperty(inst, '__waiting', { value: waiting });
    return inst;
  }

  function lifecycle(inst, name, ...args) {
    if (typeof inst[name] !== 'function') return;
    try {
      return inst[name](...args);
    } catch (e) {
      fail(`${inst.route} ${name}`, e);
    }
  }

  function openPage(url) {
    const { route, query } = splitUrl(url);
    const inst = makePage(route, query);
    const top = stack[stack.length - 1];
    if (top) lifecycle(top, 'onHide');
    stack.push(inst);
    lifecycle(inst, 'onLoad', toVm(query));
    inst.__loaded = true;
    lifecycle(inst, 'onShow');
    return pageHandle(inst, url);
  }

  function closePage(inst) {
    const i = stack.indexOf(inst);
    if (i < 0) return;
    stack.splice(i, 1);
    lifecycle(inst, 'onUnload');
  }

  function navigate(api, opts) {
    const url = String(opts?.url ?? '');
    later(() => {
      try {
        if (api === 'navigateTo') openPage(url);
        else if (api === 'redirectTo') {
          const top = stack[stack.length - 1];
          if (top) closePage(top);
          openPage(url);
        } else if (api === 'switchTab' || api === 'reLaunch') {
          while (stack.length) closePage(stack[stack.length - 1]);
          openPage(url);
        } else if (api === 'navigateBack') {
          for (let n = Math.max(1, opts?.delta ?? 1); n > 0 && stack.length > 1; n--) closePage(stack[stack.length - 1]);
          const top = stack[stack.length - 1];
          if (top) lifecycle(top, 'onShow');
        }
      } catch (e) {
        fail(`${api} ${url}`, e);
      }
    });
  }

  // ----- reading the tree -----------------------------------------------------------------------
  /** Node info: { node, path, tag, nn, sid, id, cls, attrs, text, parent } for every element and text node, document order. */
  function walk(data) {
    const out = [];
    const visit = (node, p, parent) => {
      if (!node || typeof node !== 'object') return null;
      const tpl = templates[node.nn];
      const attrs = {};
      if (tpl) for (const [k, name] of Object.entries(tpl.attrs)) if (node[k] !== undefined) attrs[name] = node[k];
      const info = {
        node,
        path: p,
        nn: node.nn,
        tag: typeof node.v === 'string' ? '#text' : (tpl?.tag ?? `nn:${node.nn}`),
        sid: node.sid,
        id: node.uid || node.sid,
        cls: node.cl ?? '',
        attrs,
        parent,
        text: '',
      };
      out.push(info);
      if (typeof node.v === 'string') info.text = node.v;
      else {
        const parts = [];
        (node.cn ?? []).forEach((c, i) => {
          const ci = visit(c, `${p}.cn.[${i}]`, info);
          if (ci) parts.push(ci.text);
        });
        info.text = parts.join('');
      }
      return info;
    };
    (data.root?.cn ?? []).forEach((c, i) => visit(c, `root.cn.[${i}]`, null));
    return out;
  }

  // dataset lives in Taro's document only: reach it through the webpack chunk registry.
  let taroDocument;
  function findTaroDocument() {
    if (taroDocument !== undefined) return taroDocument;
    taroDocument = null;
    let req = null;
    try {
      wxTarget.webpackJsonp.push([[`weapp-host-${Date.now()}`], {}, (r) => void (req = r)]);
    } catch {
      /* no webpack registry */
    }
    if (!req?.m) return null;
    for (const id of Object.keys(req.m)) {
      const src = Function.prototype.toString.call(req.m[id]);
      // Taro's runtime modules only (never a page's or a component's entry, whose factory registers it).
      if (!src.includes('getElementById') || /\b(Page|Component|App)\(/.test(src)) continue;
      let exp;
      try {
        exp = req(id);
      } catch {
        continue;
      }
      for (const k of Object.keys(exp ?? {})) {
        let v;
        try {
          v = exp[k];
        } catch {
          continue;
        }
        if (v && typeof v === 'object' && typeof v.getElementById === 'function' && v.nodeName === '#document') return (taroDocument = v);
      }
    }
    return null;
  }

  function datasetOf(info) {
    const doc = findTaroDocument();
    if (!doc) throw new Error("the weapp host cannot reach Taro's document (for data-testid); match by text or class instead");
    const el = doc.getElementById(info.id);
    return el?.dataset ? { ...el.dataset } : {};
  }

  function pageHandle(inst, url) {
    const nodes = () => walk(inst.data).filter((n) => n.tag !== '#text');
    const matcher = (what) => {
      if (typeof what === 'function') return what;
      if (what && typeof what === 'object' && what.testId) return (n) => datasetOf(n).testid === what.testId;
      if (what && typeof what === 'object' && what.testIdPrefix)
        return (n) => String(datasetOf(n).testid ?? '').startsWith(what.testIdPrefix);
      if (what && typeof what === 'object' && what.cls) return (n) => n.cls.split(/\s+/).includes(what.cls);
      if (what && typeof what === 'object' && what.text) return (n) => n.text.includes(what.text);
      if (typeof what === 'string') return (n) => n.text.includes(what);
      throw new Error(`cannot match ${safeJson(what)}`);
    };
    /** The elements that match, innermost first when matching by text (the button, not the page). */
    const findAll = (what) => {
      const m = matcher(what);
      const hits = nodes().filter((n) => m(n));
      if (typeof what === 'string' || what?.text) return hits.filter((n) => !hits.some((o) => o !== n && isAncestor(n, o)));
      return hits;
    };
    const describe = (n) => `<${n.tag}${n.cls ? ` class="${n.cls}"` : ''} sid=${n.sid}> "${n.text.slice(0, 60)}"`;
    const handle = {
      instance: inst,
      url,
      route: inst.route,
      get data() {
        return inst.data;
      },
      /** setData calls so far */
      get updates() {
        return inst.__updates;
      },
      /** Every text node's text, in order, joined by a space. */
      text: () =>
        walk(inst.data)
          .filter((n) => n.tag === '#text')
          .map((n) => n.text)
          .join(' '),
      nodes,
      findAll,
      find: (what) => findAll(what)[0] ?? null,
      dataset: datasetOf,
      /** Resolves once `fn()` is truthy (re-checked on each setData and every 100 ms); throws with the page's text after `timeout`. */
      async waitFor(fn, { timeout = 10_000, what = 'condition' } = {}) {
        const t0 = Date.now();
        for (;;) {
          if (errors.length) throw new Error(`${inst.route}: page code failed while waiting for ${what}: ${errorSummary()}`);
          const v = fn();
          if (v) return v;
          if (Date.now() - t0 > timeout)
            throw new Error(
              `${inst.route}: timed out after ${timeout} ms waiting for ${what}; the page shows: "${handle.text().slice(0, 600)}"`,
            );
          await new Promise((r) => {
            const t = setTimeout(done, 100);
            function done() {
              clearTimeout(t);
              inst.__waiting.delete(done);
              r();
            }
            inst.__waiting.add(done);
          });
        }
      },
      waitForText: (s, o = {}) => handle.waitFor(() => handle.text().includes(s) || handle.find(s), { what: `the text "${s}"`, ...o }),
      waitForNode: (what, o = {}) => handle.waitFor(() => handle.find(what), { what: safeJson(what), ...o }),
      /** Dispatches a tap on the first match (by text: the innermost element holding it), bubbling up like WeChat. */
      async tap(what, { nth = 0, force = false } = {}) {
        const hits = findAll(what);
        const n = hits[nth];
        if (!n)
          throw new Error(
            `${inst.route}: nothing to tap matches ${typeof what === 'function' ? 'the predicate' : safeJson(what)}; the page shows: "${handle.text().slice(0, 600)}"`,
          );
        if (!force && (n.attrs.disabled === true || n.attrs.disabled === 'true'))
          throw new Error(`${inst.route}: ${describe(n)} is disabled`);
        dispatch(inst, n, 'tap', { x: 10, y: 10 });
        await sleep(0);
        return n;
      },
      /** Types `value` into an input/textarea (an `input` event, then `blur`). */
      async input(what, value) {
        const n = findAll(what).find((x) => x.tag === 'input' || x.tag === 'textarea') ?? findAll(what)[0];
        if (!n) throw new Error(`${inst.route}: no input matches ${safeJson(what)}`);
        dispatch(inst, n, 'input', { value: String(value), cursor: String(value).length, keyCode: 0 });
        await sleep(0);
        dispatch(inst, n, 'blur', { value: String(value) });
        await sleep(0);
        return n;
      },
      close: () => closePage(inst),
    };
    return handle;
  }

  function isAncestor(a, b) {
    for (let p = b.parent; p; p = p.parent) if (p === a) return true;
    return false;
  }

  function dispatch(inst, info, type, detail) {
    const target = { id: info.id, dataset: { sid: info.sid }, offsetLeft: 0, offsetTop: 0 };
    for (let n = info; n; n = n.parent) {
      const currentTarget = { id: n.id, dataset: { sid: n.sid }, offsetLeft: 0, offsetTop: 0 };
      const event = toVm({
        type,
        timeStamp: Date.now(),
        target,
        currentTarget,
        detail,
        touches: [],
        changedTouches: [],
        mark: {},
        mut: false,
      });
      try {
        inst.eh(event);
      } catch (e) {
        fail(`${inst.route} ${type} event`, e);
      }
    }
  }

  // ----- unhandled rejections of the page code -------------------------------------------------
  const onRejection = (reason, promise) => {
    if (Object.getPrototypeOf(promise) === VmPromise.prototype) {
      // WeChat logs these (and tells App.onUnhandledRejection); they are bugs all the same.
      fail(
        'unhandled rejection',
        reason instanceof Error || reason?.stack ? reason : new Error(`unhandled rejection: ${safeJson(reason)}`),
      );
      return;
    }
    // Not ours: behave as Node would without this handler.
    process.off('unhandledRejection', onRejection);
    throw reason;
  };
  process.on('unhandledRejection', onRejection);

  const errorSummary = () =>
    errors
      .map((e) => `[${e.where}] ${e.error?.message ?? e.error}`)
      .join('; ')
      .slice(0, 2000);

  const host = {
    dist,
    wx: wxTarget,
    storage,
    calls,
    requests,
    unknown,
    errors,
    consoleErrors,
    answers,
    stack,
    get app() {
      return appInstance;
    },
    /** Runs app.js, loads every page of app.json, then App onLaunch + onShow. */
    launch() {
      requireFile(path.join(dist, 'app.js'));
      if (!appInstance) throw new Error('app.js did not call App()');
      for (const route of allPages) {
        loadingRoute = route;
        try {
          requireFile(path.join(dist, route));
        } finally {
          loadingRoute = null;
        }
        if (!pageConfigs.has(route)) throw new Error(`${route}.js did not call Page()`);
      }
      lifecycle(appInstance, 'onLaunch', toVm(launchOptions));
      lifecycle(appInstance, 'onShow', toVm(launchOptions));
      return host;
    },
    pages: () => [...allPages],
    isTab: (route) => tabRoutes.has(route.replace(/^\/+/, '').split('?')[0]),
    /** Opens a page (`pages/product/index?id=…`) on top of the stack; returns its handle. */
    open: (url) => openPage(url),
    /** The handle of the page on top of the stack. */
    top: () => (stack.length ? pageHandle(stack[stack.length - 1], stack[stack.length - 1].route) : null),
    /** Resolves when no request is in flight and no short timer (render, setData) is pending, twice in a row. */
    async settle({ timeout = 15_000 } = {}) {
      const t0 = Date.now();
      let quiet = 0;
      while (quiet < 2) {
        if (Date.now() - t0 > timeout)
          throw new Error(
            `weapp host: not settled after ${timeout} ms (in flight: ${[...inflightUrls].join(', ') || 'no request'}; ${pendingShort} short timers pending)`,
          );
        await sleep(30);
        quiet = inflight === 0 && pendingShort <= 0 ? quiet + 1 : 0;
      }
    },
    /** Throws if the page code failed anywhere so far. */
    check(where = 'the weapp') {
      if (errors.length) throw new Error(`${where}: ${errors.length} error(s) in the page code: ${errorSummary()}`);
    },
    callsOf: (api) => calls.filter((c) => c.api === api),
    /** Unloads the pages, stops every timer and stops listening for rejections. */
    close() {
      if (closed) return;
      while (stack.length) closePage(stack[stack.length - 1]);
      closed = true;
      for (const h of timers) {
        clearTimeout(h);
        clearInterval(h);
      }
      timers.clear();
      // Rejections already queued are reported on the next tick: keep listening a moment.
      setTimeout(() => process.off('unhandledRejection', onRejection), 1000).unref();
    },
  };
  return host;
}

function stripFns(o) {
  if (!o || typeof o !== 'object') return o;
  const out = {};
  for (const [k, v] of Object.entries(o)) if (typeof v !== 'function') out[k] = v;
  return out;
}

function safeJson(v) {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
