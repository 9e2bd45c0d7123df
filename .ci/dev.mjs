#!/usr/bin/env node
// `npm run dev`: one command from a fresh clone to a running, seeded local edgemall.
//
//   1. writes .dev.vars (git-ignored) with fresh secrets and a seeded-admin password, once;
//   2. applies D1 migrations to the local database (.wrangler/state);
//   3. starts `wrangler dev` on http://localhost:8787 and waits for GET /health → 200;
//   4. signs in as the seeded admin and seeds the demo shop (POST /admin/v1/dev/seed-demo);
//   5. if web/admin exists, starts the admin console's Vite dev server on http://localhost:5173
//      with VITE_API_BASE pointing at the API, and the H5 storefront (Taro's webpack dev server,
//      web/storefront) on http://localhost:10086 with TARO_APP_API_BASE pointing at it;
//   6. prints where everything is, then keeps streaming the servers' output until Ctrl-C.
//
// Flags: --no-seed skips step 4, --no-console / --no-storefront skip the two front ends.
// Env: PORT (default 8787), CONSOLE_PORT (default 5173), STOREFRONT_PORT (default 10086).
// Plain Node ESM with no dependencies, so it works right after `npm install`.
// The parts the browser suite (test/browser/run.mjs) shares live in ./local-api.mjs.

import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  ROOT,
  ensureDevVars as ensureDevVarsFile,
  wranglerBin as findWranglerBin,
  startGroup,
  killGroup,
  portIsFree,
  apiClient,
  waitForHealth as waitForHealthOf,
  adminSignIn,
  sleep,
} from './local-api.mjs';

process.chdir(ROOT);

const tty = process.stdout.isTTY;
const paint = (code) => (s) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const dim = paint('2');
const bold = paint('1');
const yellow = paint('33');
const red = paint('31');
const green = paint('32');

function log(msg) {
  console.log(`${dim('[dev]')} ${msg}`);
}
function warn(msg) {
  console.warn(`${yellow('[dev] warning:')} ${msg}`);
}
function fail(msg, code = 1) {
  console.error(`${red('[dev] error:')} ${msg}`);
  process.exit(code);
}

const KNOWN_FLAGS = ['--no-seed', '--no-console', '--no-storefront'];
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log(
    'usage: npm run dev [-- --no-seed] [-- --no-console] [-- --no-storefront]   (env PORT overrides 8787, CONSOLE_PORT 5173, STOREFRONT_PORT 10086)',
  );
  process.exit(0);
}
const unknown = args.filter((a) => !KNOWN_FLAGS.includes(a));
if (unknown.length) fail(`unknown argument(s): ${unknown.join(' ')} (known: ${KNOWN_FLAGS.join(', ')})`);
const SEED = !args.includes('--no-seed');
const CONSOLE_DIR = path.join(ROOT, 'web', 'admin');
const CONSOLE = !args.includes('--no-console') && existsSync(path.join(CONSOLE_DIR, 'package.json'));
const STOREFRONT_DIR = path.join(ROOT, 'web', 'storefront');
const STOREFRONT = !args.includes('--no-storefront') && existsSync(path.join(STOREFRONT_DIR, 'package.json'));

const PORT = Number(process.env.PORT || 8787);
if (!Number.isInteger(PORT) || PORT < 1 || PORT > 65535) fail(`PORT must be a port number, got "${process.env.PORT}"`);
const CONSOLE_PORT = Number(process.env.CONSOLE_PORT || 5173);
if (!Number.isInteger(CONSOLE_PORT) || CONSOLE_PORT < 1 || CONSOLE_PORT > 65535)
  fail(`CONSOLE_PORT must be a port number, got "${process.env.CONSOLE_PORT}"`);
const STOREFRONT_PORT = Number(process.env.STOREFRONT_PORT || 10086);
if (!Number.isInteger(STOREFRONT_PORT) || STOREFRONT_PORT < 1 || STOREFRONT_PORT > 65535)
  fail(`STOREFRONT_PORT must be a port number, got "${process.env.STOREFRONT_PORT}"`);
const BASE = `http://localhost:${PORT}`;
const CONSOLE_URL = `http://localhost:${CONSOLE_PORT}`;
const STOREFRONT_URL = `http://localhost:${STOREFRONT_PORT}`;
// workerd listens on 0.0.0.0 (IPv4); talk to it over IPv4 so "localhost" → ::1 can never get in the way.
const LOCAL = `http://127.0.0.1:${PORT}`;
const READY_TIMEOUT_MS = 120_000;
const CONSOLE_READY_TIMEOUT_MS = 60_000;
// Taro's first H5 build takes 15–40 s on a 2-core machine.
const STOREFRONT_READY_TIMEOUT_MS = 120_000;

// ---------------------------------------------------------------------------------------------
// 1. .dev.vars — local secrets, never committed, never overwritten (re-runs keep the password).

function ensureDevVars() {
  const vars = ensureDevVarsFile({ log, bold });
  if (vars.ENVIRONMENT === 'production') warn('.dev.vars sets ENVIRONMENT=production: sandbox login and the seeded admin are off');
  return vars;
}

// ---------------------------------------------------------------------------------------------
// Child processes: wrangler (its own JS entry, run with this Node, so there is no npx/shell layer
// between us and wrangler when forwarding signals) and, beside it, the console's Vite dev server.
// Each runs in its own process group, so whatever it leaves behind can be found and killed.

let wranglerBin;
try {
  wranglerBin = findWranglerBin();
} catch {
  fail('wrangler is not installed: run `npm install` first');
}

const running = new Set(); // the running children
let stopping = false;

function runChild(cmd, cargs, { prefix, env = {} }) {
  const proc = startGroup(cmd, cargs, { env: { ...(tty ? { FORCE_COLOR: '1' } : {}), ...env }, prefix: dim(prefix) });
  const { child } = proc;
  running.add(child);
  const done = proc.done.then((r) => {
    running.delete(child);
    if (r.error) console.error(`${red('[dev] error:')} could not start ${prefix}: ${r.error.message}`);
    return r;
  });
  return { child, done };
}

function runWrangler(wargs, opts) {
  return runChild(process.execPath, [wranglerBin, ...wargs], opts);
}

const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const exitCodeOf = ({ code, signal }) => code ?? SIGNAL_CODES[signal] ?? 1;

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (stopping) {
      // second Ctrl-C: stop waiting politely
      for (const c of running) killGroup(c, 'SIGKILL');
      process.exit(SIGNAL_CODES[sig]);
    }
    stopping = true;
    if (!running.size) process.exit(SIGNAL_CODES[sig]);
    log(`${sig}: stopping ${frontEnds().length ? 'wrangler and the front ends' : 'wrangler'}…`);
    // wrangler's launcher passes the signal on to its CLI, which shuts workerd down cleanly;
    // the console's npm/Vite get it as a group.
    const groupsToKill = new Set(frontEnds().map((p) => p.child));
    for (const c of running) {
      if (groupsToKill.has(c)) killGroup(c, sig);
      else c.kill(sig);
    }
    // That normally takes about a second; never hang on it.
    setTimeout(() => {
      warn('wrangler did not stop within 10 s; killing it');
      for (const c of running) killGroup(c, 'SIGKILL');
    }, 10_000).unref();
  });
}
// Whatever happens to this script (a crash included), do not leave wrangler or Vite running.
process.on('exit', () => {
  for (const c of running) killGroup(c, 'SIGKILL');
});

// ---------------------------------------------------------------------------------------------
// Port check: a clear message beats workerd's bind() stack trace.

async function checkPort() {
  if (await portIsFree(PORT)) return;
  fail(
    [
      `port ${PORT} is already in use, so ${BASE} would not reach this server.`,
      `    Probably an earlier \`npm run dev\` (or another wrangler/workerd) is still running. Find it with`,
      `      ss -ltnp 'sport = :${PORT}'     (or: lsof -i :${PORT})`,
      `    and stop it, or run on another port:  PORT=${PORT + 1} npm run dev`,
    ].join('\n'),
  );
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers

const call = apiClient(LOCAL);

/** Polls /health until 200; resolves false if wrangler exits or we are told to stop first. */
function waitForHealth(done) {
  return waitForHealthOf(call, { done, timeoutMs: READY_TIMEOUT_MS, shouldStop: () => stopping });
}

// ---------------------------------------------------------------------------------------------
// 4. Demo data

async function seedDemo(vars) {
  const email = vars.SEED_ADMIN_EMAIL;
  const login = await adminSignIn(call, vars);
  if (login.status !== 200 || !login.json?.accessToken) {
    const code = login.json?.error?.code ?? login.status;
    warn(`admin sign-in as ${email} failed (${code}); demo data not seeded.`);
    if (login.status === 401)
      console.warn(
        '    The local database already holds this admin with a different password — was .dev.vars\n' +
          '    regenerated? Put the old SEED_ADMIN_PASSWORD back, or reset local data: rm -rf .wrangler/state',
      );
    else console.warn(`    ${login.text.slice(0, 500)}`);
    return;
  }
  log('signed in as the seeded admin; seeding the demo shop…');
  const r = await call('POST', '/admin/v1/dev/seed-demo', { token: login.json.accessToken, timeoutMs: 120_000 });
  if (r.status === 404) {
    if (r.json?.error?.code === 'dev.disabled')
      warn('demo seeding is off: dev tools need ENVIRONMENT≠production and SANDBOX=true in .dev.vars.');
    else warn('POST /admin/v1/dev/seed-demo answered 404: this checkout has no demo seeder yet. The API works; the shop is empty.');
    return;
  }
  if (r.status < 200 || r.status >= 300) {
    warn(`demo seeding failed with ${r.status}: ${r.text.slice(0, 1000)}`);
    return;
  }
  log(`demo shop ready ${green('✓')} ${summarise(r.json) ?? r.text.slice(0, 1000)}`);
}

/** One line from the seeder's reply, e.g. {"alreadySeeded":false,"products":60,…} → "created: products 60, …". */
function summarise(body) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const entries = Object.entries(body);
  if (!entries.every(([, v]) => ['number', 'boolean', 'string'].includes(typeof v))) return JSON.stringify(body);
  const counts = entries.filter(([, v]) => typeof v === 'number');
  const created = counts.filter(([, v]) => v > 0);
  if (body.alreadySeeded === true || (counts.length && !created.length)) return '(already seeded; nothing new to create)';
  return `created: ${created.map(([k, v]) => `${k} ${v}`).join(', ')}`;
}

// ---------------------------------------------------------------------------------------------
// 5. The admin console (web/admin): Vite's dev server beside the API.

let consoleProc = null;
let consoleUp = false;
let storefrontProc = null;
let storefrontUp = false;
/** The front ends' children: stopped as process groups (npm → vite / taro → webpack). */
const frontEnds = () => [consoleProc, storefrontProc].filter((p) => p && running.has(p.child));

/** How to run npm: the npm that runs us (npm_execpath) with this Node, else `npm` from PATH. */
function npmCommand(npmArgs) {
  const execPath = process.env.npm_execpath;
  if (execPath && /\.c?js$/.test(execPath)) return [process.execPath, [execPath, ...npmArgs]];
  return ['npm', npmArgs];
}

/**
 * Starts one front end's dev server beside the API and waits until `url` answers.
 * Returns { proc, up }, or null when its port is taken (the API runs anyway).
 */
async function startFrontEnd({ what, prefix, port, portEnv, url, npmArgs, env, timeoutMs }) {
  if (!(await portIsFree(port))) {
    warn(
      `port ${port} is already in use, so ${what} was not started (the API runs anyway).\n` +
        `    Find what holds it with  ss -ltnp 'sport = :${port}'  or use another port: ${portEnv}=${port + 1} npm run dev`,
    );
    return null;
  }
  log(`starting ${what} on ${url} …`);
  const [cmd, cargs] = npmCommand(npmArgs);
  const proc = runChild(cmd, cargs, { prefix, env });
  proc.done.then((r) => {
    if (!stopping) warn(`${what}'s dev server exited (${r.code ?? r.signal}); the API keeps running.`);
  });
  let exited = false;
  proc.done.then(() => (exited = true));
  const t0 = Date.now();
  while (!exited && !stopping && Date.now() - t0 < timeoutMs) {
    try {
      const r = await fetch(url + '/', { signal: AbortSignal.timeout(2000) });
      if (r.status < 500) {
        log(`${what} answers after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        return { proc, up: true };
      }
    } catch {
      /* not yet */
    }
    await sleep(300);
  }
  if (!exited && !stopping) warn(`${url} did not answer within ${timeoutMs / 1000} s; leaving it running.`);
  return { proc, up: false };
}

async function startConsole() {
  const r = await startFrontEnd({
    what: 'the admin console (Vite)',
    prefix: '[console]',
    port: CONSOLE_PORT,
    portEnv: 'CONSOLE_PORT',
    url: CONSOLE_URL,
    npmArgs: ['run', 'dev', '-w', 'web/admin', '--', '--port', String(CONSOLE_PORT), '--strictPort'],
    env: { VITE_API_BASE: BASE },
    timeoutMs: CONSOLE_READY_TIMEOUT_MS,
  });
  if (r) ({ proc: consoleProc, up: consoleUp } = r);
}

async function startStorefront() {
  const r = await startFrontEnd({
    what: 'the H5 storefront (Taro)',
    prefix: '[storefront]',
    port: STOREFRONT_PORT,
    portEnv: 'STOREFRONT_PORT',
    url: STOREFRONT_URL,
    npmArgs: ['run', 'dev:h5', '-w', 'web/storefront'],
    // dist/h5-dev: a dev build never overwrites the production one (npm run build:h5).
    env: { TARO_APP_API_BASE: BASE, STOREFRONT_PORT: String(STOREFRONT_PORT), STOREFRONT_OUT: 'dist/h5-dev', NODE_ENV: 'development' },
    timeoutMs: STOREFRONT_READY_TIMEOUT_MS,
  });
  if (r) ({ proc: storefrontProc, up: storefrontUp } = r);
}

function banner(vars) {
  const sandboxOn = vars.ENVIRONMENT !== 'production' && vars.SANDBOX === 'true';
  const rule = '─'.repeat(78);
  const lines = [
    rule,
    `  ${bold('edgemall is running')}  (ENVIRONMENT=${vars.ENVIRONMENT}, sandbox ${sandboxOn ? 'on' : 'off'})`,
    '',
    `  API       ${BASE}`,
    `  Docs      ${BASE}/docs`,
    `  OpenAPI   ${BASE}/openapi.json`,
    ...(consoleProc || storefrontProc ? [''] : []),
    ...(consoleProc ? [`  Admin console: ${CONSOLE_URL}${consoleUp ? '' : '   (still starting; see [console] lines)'}`] : []),
    ...(storefrontProc ? [`  Storefront (H5): ${STOREFRONT_URL}${storefrontUp ? '' : '   (still building; see [storefront] lines)'}`] : []),
    '',
    `  Admin     ${vars.SEED_ADMIN_EMAIL}`,
    `  Password  ${vars.SEED_ADMIN_PASSWORD}   (SEED_ADMIN_PASSWORD in .dev.vars)`,
    '',
    ...(SEED && sandboxOn
      ? [
          '  Demo shoppers with orders, a team and an after-sale (H5: sign in by phone; the code is shown):',
          '  13700000001 · 13700000002 · 13700000003',
          '',
        ]
      : []),
    '  Sandbox shopper login (any code; the same code is always the same shopper):',
    `  curl -s -X POST ${BASE}/store/v1/auth/wx-login -H 'content-type: application/json' -d '{"code":"demo"}'`,
    '',
    `  Ctrl-C stops ${frontEnds().length ? 'the API and the front ends' : 'the server'}.`,
    rule,
  ];
  console.log('\n' + lines.join('\n') + '\n');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const vars = ensureDevVars();
  await checkPort();

  log('applying D1 migrations to the local database…');
  // CI=true: with a terminal attached, wrangler asks "continue? (Y/n)" before applying; in CI
  // (or without a TTY) it takes the default "yes" instead of waiting forever.
  const migrate = runWrangler(['d1', 'migrations', 'apply', 'DB', '--local'], { prefix: '[migrate]', env: { CI: 'true' } });
  const m = await migrate.done;
  if (stopping) process.exit(exitCodeOf(m));
  if (m.code !== 0) fail(`wrangler d1 migrations apply failed (exit ${m.code ?? m.signal})`, exitCodeOf(m));

  log(`starting wrangler dev on ${BASE} …`);
  const wargs = ['dev', '--port', String(PORT), '--ip', '0.0.0.0'];
  // wrangler.toml says PUBLIC_BASE_URL = http://localhost:8787; keep it true on another port.
  if (PORT !== 8787) wargs.push('--var', `PUBLIC_BASE_URL:${BASE}`);
  const dev = runWrangler(wargs, { prefix: '[wrangler]' });
  dev.done.then(async (r) => {
    if (stopping) log(`wrangler stopped (${r.code ?? r.signal}).`);
    else console.error(`${red('[dev]')} wrangler exited (${r.code ?? r.signal}); stopping.`);
    // The front ends are useless without their API: stop them too (politely, then for good).
    for (const p of frontEnds()) {
      if (!stopping) killGroup(p.child, 'SIGTERM');
      await Promise.race([p.done, sleep(3000)]);
    }
    process.exit(exitCodeOf(r));
  });

  const ready = await waitForHealth(dev.done);
  if (!ready.ok) {
    if (ready.exited || stopping) return; // the exit handler above reports and exits
    warn(`GET ${BASE}/health did not answer 200 within ${READY_TIMEOUT_MS / 1000} s (last: ${ready.last}). Leaving wrangler running.`);
    banner(vars);
    return;
  }
  log(`GET /health → 200 after ${(ready.ms / 1000).toFixed(1)} s`);

  if (SEED && !stopping) {
    try {
      await seedDemo(vars);
    } catch (e) {
      warn(`demo seeding did not complete: ${e.message}`);
    }
  } else if (!SEED) log('--no-seed: skipping demo data');

  if (CONSOLE && !stopping) {
    try {
      await startConsole();
    } catch (e) {
      warn(`the admin console did not start: ${e.message}`);
    }
  } else if (args.includes('--no-console')) log('--no-console: not starting the admin console');

  if (STOREFRONT && !stopping) {
    try {
      await startStorefront();
    } catch (e) {
      warn(`the storefront did not start: ${e.message}`);
    }
  } else if (args.includes('--no-storefront')) log('--no-storefront: not starting the H5 storefront');

  if (!stopping) banner(vars);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
