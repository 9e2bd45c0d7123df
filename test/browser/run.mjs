#!/usr/bin/env node
// `npm run test:browser`: the browser scenarios of the admin console (web/admin) and of the H5
// storefront (web/storefront) against a real local API.
//
//   1. starts its own API: `wrangler d1 migrations apply` + `wrangler dev` on a free port (from
//      8790) with a fresh temporary persistence dir, so runs never touch .wrangler/state or each other;
//   2. meanwhile builds the console (`npm run build -w web/admin`, VITE_API_BASE = that API) and
//      the H5 storefront (`npm run build:h5 -w web/storefront`, TARO_APP_API_BASE = that API)
//      unless --no-build — only the apps the chosen scenarios use — and serves web/admin/dist
//      (from port 4173) and web/storefront/dist/h5 (from 4273), each with SPA fallback;
//   3. signs in as the seeded admin and seeds the demo shop (POST /admin/v1/dev/seed-demo);
//   4. launches Chromium (playwright-core; CHROMIUM_PATH or /usr/bin/chromium) and runs
//      test/browser/*.scenario.mjs (and test/weapp/*.scenario.mjs, which need no browser) in
//      order, printing PASS / FAIL / SKIPPED with timings.
//      Screenshots go to test-results/; a failure also saves a screenshot of every open page and
//      prints the pages' console errors. wrangler's output is in test-results/wrangler.log.
//
// usage: npm run test:browser [-- --no-build] [-- <name filter>…]
// (The scenarios use the demo shop's categories and products, so seeding is not optional: it
// takes 5–20 s and runs while the console builds.)
// Exit code: 0 if nothing failed (skips are not failures), 1 otherwise, 130 on Ctrl-C.
//
// A scenario file exports `default async function (ctx)`, and optionally `app` ('console', the
// default, 'storefront': shop-*.scenario.mjs, or 'weapp': test/weapp/*.scenario.mjs, which run the
// mini-program build web/storefront/dist/weapp in Node with test/weapp/host.mjs — no browser, no
// server; built with the default API base, which the host rewrites to ctx.apiUrl), `order` (run
// order, default 50; `also`, other apps it opens; later scenarios may rely on ctx.state left by earlier ones) and `needs` (data-testids, or their prefixes, that
// the app's src/ must contain; if one is missing the screen is not written yet and the scenario is
// SKIPPED instead of failing on a timeout). ctx: { browser, newPage(), consoleUrl, shopUrl, weappDist, apiUrl, api(method, path, { body, token }) (+ api.ok, which throws unless 2xx),
// adminToken, adminEmail, adminPassword, devVars, screenshot(name, page), skip(reason), state, tmpDir, log }.
// Helpers for scenarios are in ./lib.mjs and ./product-form.mjs.

import http from 'node:http';
import {
  mkdtempSync,
  mkdirSync,
  rmSync,
  existsSync,
  readdirSync,
  statSync,
  createReadStream,
  createWriteStream,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ROOT,
  ensureDevVars,
  startWrangler,
  startGroup,
  stopGroup,
  freePort,
  portIsFree,
  apiClient,
  waitForHealth,
  adminSignIn,
  killGroup,
} from '../../.ci/local-api.mjs';
import { SkipError, consoleHas } from './lib.mjs';

const tty = process.stdout.isTTY;
const paint = (code) => (s) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const dim = paint('2');
const bold = paint('1');
const red = paint('31');
const green = paint('32');
const yellow = paint('33');
const log = (m) => console.log(`${dim('[browser]')} ${m}`);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: npm run test:browser [-- --no-build | --build-only] [-- <scenario name filter>…]');
  process.exit(0);
}
const BUILD = !args.includes('--no-build');
// --build-only: build the apps for the API port a later --no-build run will use, and stop (CI builds
// them while the workerd tests run: those leave about a core idle).
const BUILD_ONLY = args.includes('--build-only');
const badFlags = args.filter((a) => a.startsWith('-') && !['--no-build', '--build-only'].includes(a));
if (badFlags.length) {
  console.error(`unknown flag(s): ${badFlags.join(' ')}`);
  process.exit(2);
}
const FILTERS = args.filter((a) => !a.startsWith('-'));

const HERE = path.join(ROOT, 'test', 'browser');
const WEAPP_TESTS = path.join(ROOT, 'test', 'weapp');
const RESULTS = path.join(ROOT, 'test-results');
const CONSOLE_DIR = path.join(ROOT, 'web', 'admin');
const DIST = path.join(CONSOLE_DIR, 'dist');
const SHOP_DIR = path.join(ROOT, 'web', 'storefront');
const SHOP_DIST = path.join(SHOP_DIR, 'dist', 'h5');
const WEAPP_DIST = path.join(SHOP_DIR, 'dist', 'weapp');
const APPS = {
  console: {
    what: 'the console',
    dir: CONSOLE_DIR,
    dist: DIST,
    npmArgs: ['run', 'build', '-w', 'web/admin'],
    env: (apiUrl) => ({ VITE_API_BASE: apiUrl }),
    log: 'console-build.log',
    port: 4173,
  },
  storefront: {
    what: 'the H5 storefront',
    dir: SHOP_DIR,
    dist: SHOP_DIST,
    npmArgs: ['run', 'build:h5', '-w', 'web/storefront'],
    env: (apiUrl) => ({ TARO_APP_API_BASE: apiUrl }),
    log: 'storefront-build.log',
    port: 4273,
  },
  // Not served: test/weapp/host.mjs loads it in Node and rewrites the default base URL to the API's.
  weapp: {
    what: 'the weapp storefront',
    dir: SHOP_DIR,
    dist: WEAPP_DIST,
    entry: 'app.js',
    anyApi: true,
    npmArgs: ['run', 'build:weapp', '-w', 'web/storefront'],
    env: () => ({ TARO_APP_API_BASE: '' }),
    log: 'weapp-build.log',
  },
};
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCENARIO_TIMEOUT_MS = Number(process.env.SCENARIO_TIMEOUT_MS || 180_000);

/** A failure of the harness that its message explains fully (printed without a stack). */
class HarnessError extends Error {}

// ---------------------------------------------------------------------------------------------
// Teardown: whatever happens (failure, crash, Ctrl-C), stop what we started and remove the tmp dir.

const cleanups = []; // run in reverse order
let tearingDown = null;
function teardown() {
  tearingDown ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (e) {
        console.error(`${dim('[browser]')} teardown: ${e.message}`);
      }
    }
  })();
  return tearingDown;
}
const groups = new Set(); // child process groups, for the synchronous last resort below
process.on('exit', () => {
  for (const c of groups) killGroup(c, 'SIGKILL');
});
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, async () => {
    if (interrupted) {
      for (const c of groups) killGroup(c, 'SIGKILL');
      process.exit(130);
    }
    interrupted = true;
    console.error(`\n${yellow('[browser]')} ${sig}: stopping…`);
    setTimeout(() => process.exit(130), 15_000).unref();
    await teardown();
    process.exit(130);
  });
}

function track(proc) {
  groups.add(proc.child);
  proc.done.then(() => groups.delete(proc.child));
  return proc;
}

// ---------------------------------------------------------------------------------------------
// The API

async function startApi(port, wlog) {
  const persist = mkdtempSync(path.join(os.tmpdir(), 'edgemall-browser-'));
  cleanups.push(() => rmSync(persist, { recursive: true, force: true }));
  const inspector = await freePort(9330);
  const apiUrl = `http://127.0.0.1:${port}`;
  // Lines can still arrive after teardown closed the log: drop them.
  const onLine = (prefix) => (line) => wlog.writableEnded || wlog.write(`${prefix} ${line}\n`);

  let t = Date.now();
  const migrate = track(
    startWrangler(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persist], {
      env: { CI: 'true' },
      onLine: onLine('[migrate]'),
    }),
  );
  const m = await migrate.done;
  if (m.code !== 0)
    throw new HarnessError(`wrangler d1 migrations apply failed (exit ${m.code ?? m.signal}); see test-results/wrangler.log`);
  const migrateMs = Date.now() - t;

  t = Date.now();
  const dev = track(
    startWrangler(
      [
        'dev',
        '--port',
        String(port),
        '--ip',
        '127.0.0.1',
        '--inspector-port',
        String(inspector),
        '--persist-to',
        persist,
        '--var',
        `PUBLIC_BASE_URL:${apiUrl}`,
        '--show-interactive-dev-session=false',
      ],
      { onLine: onLine('[wrangler]') },
    ),
  );
  cleanups.push(() => stopGroup(dev, { sig: 'SIGTERM', graceMs: 5000 }));
  const call = apiClient(apiUrl);
  const ready = await waitForHealth(call, { done: dev.done, timeoutMs: 120_000, shouldStop: () => interrupted });
  if (!ready.ok)
    throw new HarnessError(`the API did not come up (${ready.exited ? 'wrangler exited' : ready.last}); see test-results/wrangler.log`);
  dev.done.then((r) => {
    if (tearingDown) return;
    console.error(
      `${red('[browser] wrangler dev exited unexpectedly')} (${r.code ?? r.signal}); every later API call fails. ` +
        'See test-results/wrangler.log (editing wrangler.toml while the suite runs makes wrangler reload and can stop it).',
    );
  });
  return { apiUrl, call, migrateMs, startMs: Date.now() - t };
}

async function signInAndSeed(call, vars) {
  const login = await adminSignIn(call, vars);
  if (login.status !== 200 || !login.json?.accessToken)
    throw new HarnessError(`seeded admin sign-in failed: ${login.status} ${login.text.slice(0, 300)}`);
  const adminToken = login.json.accessToken;
  let seedMs = 0;
  {
    const t = Date.now();
    let r;
    // Safe to repeat. wrangler answers 503 "worker restarted mid-request" when a source file
    // changes under it (someone editing while the suite runs): try again rather than give up.
    for (let attempt = 1; attempt <= 3; attempt++) {
      r = await call('POST', '/admin/v1/dev/seed-demo', { token: adminToken, timeoutMs: 180_000 });
      if (r.status !== 503) break;
      log(`seed-demo → 503 (${r.text.slice(0, 80)}); trying again`);
    }
    if (r.status < 200 || r.status >= 300) throw new HarnessError(`POST /admin/v1/dev/seed-demo → ${r.status} ${r.text.slice(0, 300)}`);
    seedMs = Date.now() - t;
  }
  return { adminToken, seedMs };
}

// ---------------------------------------------------------------------------------------------
// The console: build, then a tiny static server with SPA fallback.

function npmCommand(npmArgs) {
  const execPath = process.env.npm_execpath;
  if (execPath && /\.c?js$/.test(execPath)) return [process.execPath, [execPath, ...npmArgs]];
  return ['npm', npmArgs];
}

async function buildApp(app, apiUrl, blog) {
  const [cmd, cargs] = npmCommand(app.npmArgs);
  const t = Date.now();
  const b = track(
    startGroup(cmd, cargs, { env: { ...app.env(apiUrl), NO_COLOR: '1' }, onLine: (l) => blog.writableEnded || blog.write(l + '\n') }),
  );
  cleanups.push(() => stopGroup(b, { graceMs: 2000 }));
  const r = await b.done;
  if (r.code !== 0) {
    await new Promise((res) => blog.end(res));
    // The first error (tsc's, vite's or webpack's) says more than npm's closing lines.
    const lines = readFileSync(path.join(RESULTS, app.log), 'utf8').trimEnd().split('\n');
    const first = lines.findIndex((l) => /error TS\d+|^error during build|\[ERROR\]|Errors:|ERROR in/.test(l));
    const shown = first >= 0 ? lines.slice(first, first + 15) : lines.slice(-25);
    throw new HarnessError(
      `npm ${app.npmArgs.join(' ')} failed (exit ${r.code ?? r.signal}); from test-results/${app.log}:\n    ${shown.join('\n    ')}`,
    );
  }
  // webpack can finish "with errors" and still exit 0 (Taro's H5 build does): no index.html, or
  // a log that says so, is a failed build too.
  const text = readFileSync(path.join(RESULTS, app.log), 'utf8');
  if (!existsSync(path.join(app.dist, app.entry ?? 'index.html')) || /Compiled with (some )?errors/.test(text))
    throw new HarnessError(`npm ${app.npmArgs.join(' ')} reported errors; see test-results/${app.log}`);
  return Date.now() - t;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Serves `dir`; any GET that is not a file gets index.html (client-side routes), except asset-looking paths. */
async function serveStatic(dir, fromPort) {
  const index = path.join(dir, 'index.html');
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    let rel;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = path.join(dir, path.normalize(rel).replace(/^([/\\])+/, ''));
    if (!file.startsWith(dir)) file = index;
    let isFile = false;
    try {
      isFile = statSync(file).isFile();
    } catch {
      /* missing */
    }
    if (!isFile) {
      // A missing /assets/x.js is a real 404 (a stale build), not the app shell.
      if (path.extname(rel) && !rel.endsWith('.html')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      file = index;
    }
    const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const cache = file === index ? 'no-cache' : 'public, max-age=3600';
    res.writeHead(200, { 'content-type': type, 'cache-control': cache });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  const port = await freePort(fromPort);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  cleanups.push(() => new Promise((r) => (server.closeAllConnections?.(), server.close(() => r()))));
  return `http://127.0.0.1:${port}`;
}

// ---------------------------------------------------------------------------------------------
// Scenarios

async function loadScenarios() {
  // The weapp's scenarios live next to its host, in test/weapp.
  const files = [HERE, WEAPP_TESTS]
    .flatMap((dir) => readdirSync(dir).map((f) => ({ dir, f })))
    .filter(({ f }) => f.endsWith('.scenario.mjs'))
    .filter(({ f }) => !FILTERS.length || FILTERS.some((x) => f.includes(x)));
  const list = [];
  for (const { dir, f } of files) {
    const mod = await import(pathToFileURL(path.join(dir, f)).href);
    if (typeof mod.default !== 'function') throw new HarnessError(`${f}: no default export function`);
    const app = mod.app ?? 'console';
    if (!APPS[app]) throw new HarnessError(`${f}: unknown app ${JSON.stringify(app)} (console, storefront or weapp)`);
    // `also`: other apps the scenario opens (a shopper's chat answered by an agent in the console).
    const also = mod.also ?? [];
    for (const a of also) if (!APPS[a]) throw new HarnessError(`${f}: unknown app ${JSON.stringify(a)} in also`);
    list.push({ name: f.replace(/\.scenario\.mjs$/, ''), run: mod.default, order: mod.order ?? 50, needs: mod.needs ?? [], app, also });
  }
  // Later scenarios may look at what earlier ones did (the audit log checks the writes above).
  return list.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

function safeName(s) {
  return s.replace(/[^\w.-]+/g, '_');
}

async function runScenario(sc, base) {
  const pages = []; // { page, errors }
  const contexts = [];
  let shots = 0;
  const ctx = {
    ...base,
    name: sc.name,
    /** A fresh browser context (own cookies/storage) with one page whose console errors are recorded. */
    async newPage({ viewport = { width: 1366, height: 900 } } = {}) {
      const context = await base.browser.newContext({ viewport, locale: 'zh-CN' });
      context.setDefaultTimeout(15_000);
      context.setDefaultNavigationTimeout(30_000);
      contexts.push(context);
      const page = await context.newPage();
      const errors = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error') errors.push(`console.error: ${msg.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
      page.on('requestfailed', (req) => errors.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText})`));
      page.on('response', async (res) => {
        // API refusals explain most UI failures: keep them with their error body.
        if (res.status() >= 500 || (res.status() >= 400 && res.url().startsWith(base.apiUrl))) {
          const body = await res.text().catch(() => '');
          errors.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()} ${body.slice(0, 300)}`);
        }
      });
      pages.push({ page, errors });
      return page;
    },
    /** Saves test-results/<scenario>--<name>.png (full page) and returns its path. */
    async screenshot(name, page) {
      const file = path.join(RESULTS, `${safeName(sc.name)}--${safeName(name)}.png`);
      await page.screenshot({ path: file, fullPage: true });
      shots++;
      return file;
    },
    /** Ends the scenario as SKIPPED (not a failure). */
    skip(reason) {
      throw new SkipError(reason);
    },
    /** Console errors recorded so far on `page`. */
    errorsOf(page) {
      return pages.find((p) => p.page === page)?.errors ?? [];
    },
  };

  // A scenario lists the app's data-testids it needs; if the app's source has none of some, that
  // screen is not written yet: skip with the list rather than fail on a timeout.
  const appDir = APPS[sc.app].dir;
  const missing = sc.needs.filter((id) => !consoleHas(appDir, id));
  if (missing.length)
    return {
      status: 'skip',
      reason: `${APPS[sc.app].what} has no data-testid ${missing.map((m) => `"${m}"`).join(', ')} yet (${path.relative(ROOT, appDir)}/src)`,
      ms: 0,
    };

  const t = Date.now();
  let timer;
  try {
    await Promise.race([
      sc.run(ctx),
      new Promise(
        (_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${secs(SCENARIO_TIMEOUT_MS)}`)), SCENARIO_TIMEOUT_MS)),
      ),
    ]);
    return { status: 'pass', ms: Date.now() - t, shots };
  } catch (e) {
    const ms = Date.now() - t;
    if (e instanceof SkipError || e?.name === 'SkipError') return { status: 'skip', reason: e.message, ms };
    const details = [];
    for (const [i, { page, errors }] of pages.entries()) {
      let where = '';
      try {
        where = page.url();
        const file = path.join(RESULTS, `${safeName(sc.name)}--FAILED${pages.length > 1 ? `-${i + 1}` : ''}.png`);
        await page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
        details.push(`screenshot: ${path.relative(ROOT, file)} (${where})`);
      } catch (se) {
        details.push(`(no screenshot of page ${i + 1}${where ? ` at ${where}` : ''}: ${se.message.split('\n')[0]})`);
      }
      if (errors.length) details.push(`page ${i + 1} errors:\n      ${errors.slice(-20).join('\n      ')}`);
    }
    return { status: 'fail', ms, error: e, details };
  } finally {
    clearTimeout(timer);
    for (const c of contexts) await c.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const t0 = Date.now();
  mkdirSync(RESULTS, { recursive: true });
  for (const f of readdirSync(RESULTS)) if (f.endsWith('.png')) rmSync(path.join(RESULTS, f), { force: true });
  const timings = [];

  const scenarios = await loadScenarios();
  if (!scenarios.length) throw new HarnessError(`no scenario matches ${FILTERS.join(' ')}`);
  // Build and serve only the apps the chosen scenarios use; the weapp alone needs no browser.
  const apps = [...new Set(scenarios.flatMap((sc) => [sc.app, ...sc.also]))].map((name) => ({ name, ...APPS[name] }));
  const BUILT_FOR = path.join(RESULTS, 'browser-build.json');
  if (BUILD_ONLY) {
    const apiUrl = `http://127.0.0.1:${await freePort(8790)}`;
    const baked = apps.filter((a) => !a.anyApi).map((a) => a.name);
    if (existsSync(BUILT_FOR)) rmSync(BUILT_FOR);
    const ms = await Promise.all(
      apps.map(async (app) => {
        log(`building ${app.what} for ${apiUrl}…`);
        const blog = createWriteStream(path.join(RESULTS, app.log));
        try {
          return [`${app.name} build`, await buildApp(app, apiUrl, blog)];
        } finally {
          blog.end();
        }
      }),
    );
    if (baked.length) writeFileSync(BUILT_FOR, JSON.stringify({ apiUrl, apps: baked }) + '\n');
    for (const [what, t] of ms) log(`${what} ${secs(t)}`);
    log(`built; run the scenarios with --no-build`);
    return 0;
  }
  const needsBrowser = apps.some((a) => a.port); // the served ones
  if (needsBrowser && !existsSync(CHROMIUM))
    throw new HarnessError(`no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  for (const app of apps) {
    if (!existsSync(path.join(app.dir, 'package.json')))
      throw new HarnessError(`${path.relative(ROOT, app.dir)}/package.json is missing: there is no ${app.what} to test yet`);
    if (!BUILD && !existsSync(path.join(app.dist, app.entry ?? 'index.html')))
      throw new HarnessError(
        `--no-build, but ${path.relative(ROOT, app.dist)}/${app.entry ?? 'index.html'} does not exist: run without --no-build once`,
      );
  }

  const vars = ensureDevVars({ log });
  const wlog = createWriteStream(path.join(RESULTS, 'wrangler.log'));
  wlog.on('error', (e) => console.error(`${dim('[browser]')} test-results/wrangler.log: ${e.message}`));
  cleanups.push(() => new Promise((r) => wlog.end(r)));

  // The builds only need the API's URL, so they run while wrangler starts.
  log('starting the API (wrangler dev, fresh temporary D1/R2/DO state)…');
  // --no-build reuses the last builds, which have the API URL baked in: use that port again.
  let port = null;
  if (!BUILD && existsSync(BUILT_FOR)) {
    const was = Number(new URL(JSON.parse(readFileSync(BUILT_FOR, 'utf8')).apiUrl).port);
    if (await portIsFree(was)) port = was;
    else
      log(`${yellow('warning:')} the last builds were made for port ${was}, which is busy now: their API calls will miss; drop --no-build`);
  }
  const apiUrl = `http://127.0.0.1:${port ?? (await freePort(8790))}`;
  // Seeding starts as soon as the API is up, while the builds may still run.
  const apiP = startApi(Number(new URL(apiUrl).port), wlog).then(async (a) => {
    log(`API ${a.apiUrl} up ${green('✓')}; seeding the demo shop…`);
    return { ...a, ...(await signInAndSeed(a.call, vars)) };
  });
  apiP.catch(() => {}); // awaited below; this only keeps an early failure elsewhere from making it "unhandled"
  let buildP = Promise.resolve(null);
  // Builds with the API's URL baked in (not the weapp's) decide the port a later --no-build run uses.
  const baked = apps.filter((a) => !a.anyApi).map((a) => a.name);
  if (BUILD) {
    if (baked.length && existsSync(BUILT_FOR)) rmSync(BUILT_FOR);
    buildP = Promise.all(
      apps.map(async (app) => {
        log(
          `building ${app.what} (${Object.entries(app.env(apiUrl))
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')})…`,
        );
        const blog = createWriteStream(path.join(RESULTS, app.log));
        try {
          return [`${app.name} build`, await buildApp(app, apiUrl, blog)];
        } finally {
          blog.end();
        }
      }),
    ).then((ms) => {
      if (baked.length) writeFileSync(BUILT_FOR, JSON.stringify({ apiUrl, apps: baked }) + '\n');
      return ms;
    });
  }
  // Surface either failure at once, not after the other finishes.
  const [api, buildMs] = await Promise.all([apiP, buildP]);
  timings.push(['D1 migrations', api.migrateMs], ['wrangler dev → /health', api.startMs]);
  if (buildMs != null) timings.push(...buildMs);
  else log(`--no-build: serving the existing ${apps.map((a) => path.relative(ROOT, a.dist)).join(' and ')} (built for their own API base)`);
  const { adminToken, seedMs } = api;
  timings.push(['seed demo shop', seedMs]);
  log(`demo shop seeded in ${secs(seedMs)}`);

  const urls = {};
  for (const app of apps.filter((a) => a.port)) {
    urls[app.name] = await serveStatic(app.dist, app.port);
    log(`${app.what} ${urls[app.name]} (${path.relative(ROOT, app.dist)})`);
  }
  const consoleUrl = urls.console ?? null;
  const shopUrl = urls.storefront ?? null;

  let browser = null;
  if (needsBrowser) {
    const { chromium } = await import('playwright-core');
    const t = Date.now();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] });
    cleanups.push(() => browser.close());
    timings.push(['chromium launch', Date.now() - t]);
  }

  const tmpDir = mkdtempSync(path.join(os.tmpdir(), 'edgemall-browser-files-'));
  cleanups.push(() => rmSync(tmpDir, { recursive: true, force: true }));

  const call = api.call;
  /** api(method, path, { body, token }) → { status, json, text }; api.ok(...) throws unless 2xx. */
  const apiHelper = Object.assign((method, p, o) => call(method, p, o), {
    ok: async (method, p, o) => {
      const r = await call(method, p, o);
      if (r.status < 200 || r.status >= 300) throw new HarnessError(`${method} ${p} → ${r.status} ${r.text.slice(0, 400)}`);
      return r.json;
    },
  });
  const base = {
    browser,
    consoleUrl,
    shopUrl,
    weappDist: WEAPP_DIST,
    apiUrl: api.apiUrl,
    api: apiHelper,
    adminToken,
    adminEmail: vars.SEED_ADMIN_EMAIL,
    adminPassword: vars.SEED_ADMIN_PASSWORD,
    /** The API's local secrets (.dev.vars), e.g. to sign a carrier webhook as the carrier would. */
    devVars: vars,
    tmpDir,
    consoleDir: CONSOLE_DIR,
    /** Shared between scenarios, in run order (e.g. ids the audit-log scenario looks for). */
    state: {},
    log: (m) => console.log(`    ${dim(m)}`),
  };

  console.log('');
  const results = [];
  for (const sc of scenarios) {
    if (interrupted) break;
    console.log(`${bold('▶')} ${sc.name}`);
    const r = await runScenario(sc, base);
    results.push({ sc, r });
    if (r.status === 'pass') console.log(`  ${green('PASS')}    ${sc.name}  ${dim(secs(r.ms))}`);
    else if (r.status === 'skip') console.log(`  ${yellow('SKIPPED')} ${sc.name}: ${r.reason}`);
    else {
      console.log(`  ${red('FAIL')}    ${sc.name}  ${dim(secs(r.ms))}`);
      console.log(
        `    ${red(
          String(r.error?.stack ?? r.error)
            .split('\n')
            .slice(0, 12)
            .join('\n    '),
        )}`,
      );
      for (const d of r.details) console.log(`    ${d}`);
    }
  }

  const failed = results.filter(({ r }) => r.status === 'fail');
  const skipped = results.filter(({ r }) => r.status === 'skip');
  const passed = results.filter(({ r }) => r.status === 'pass');
  console.log('\n' + bold('timings'));
  for (const [k, ms] of timings) console.log(`  ${k.padEnd(28)} ${secs(ms)}`);
  for (const { sc, r } of results) console.log(`  ${('scenario ' + sc.name).padEnd(28)} ${r.status === 'skip' ? 'skipped' : secs(r.ms)}`);
  console.log(`  ${'total'.padEnd(28)} ${secs(Date.now() - t0)}`);
  console.log(
    `\n${failed.length ? red(bold('browser tests FAILED')) : green(bold('browser tests passed'))}: ` +
      `${passed.length} passed, ${failed.length} failed, ${skipped.length} skipped. Screenshots: test-results/`,
  );
  return failed.length ? 1 : 0;
}

main()
  .then(async (code) => {
    await teardown();
    process.exit(interrupted ? 130 : code);
  })
  .catch(async (e) => {
    console.error(`${red('[browser] error:')} ${e instanceof HarnessError ? e.message : (e.stack ?? e.message)}`);
    await teardown();
    process.exit(interrupted ? 130 : 1);
  });
