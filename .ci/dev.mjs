#!/usr/bin/env node
// `npm run dev`: one command from a fresh clone to a running, seeded local edgemall.
//
//   1. writes .dev.vars (git-ignored) with fresh secrets and a seeded-admin password, once;
//   2. applies D1 migrations to the local database (.wrangler/state);
//   3. starts `wrangler dev` on http://localhost:8787 and waits for GET /health → 200;
//   4. signs in as the seeded admin and seeds the demo shop (POST /admin/v1/dev/seed-demo);
//   5. prints where everything is, then keeps streaming wrangler's output until Ctrl-C.
//
// Flags: --no-seed skips step 4. Env: PORT (default 8787).
// Plain Node ESM with no dependencies, so it works right after `npm install`.

import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { generateWxpayTestEnv } from '../test/wxpay-test-keys.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
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

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: npm run dev [-- --no-seed]   (env PORT overrides 8787)');
  process.exit(0);
}
const unknown = args.filter((a) => a !== '--no-seed');
if (unknown.length) fail(`unknown argument(s): ${unknown.join(' ')} (known: --no-seed)`);
const SEED = !args.includes('--no-seed');

const PORT = Number(process.env.PORT || 8787);
if (!Number.isInteger(PORT) || PORT < 1 || PORT > 65535) fail(`PORT must be a port number, got "${process.env.PORT}"`);
const BASE = `http://localhost:${PORT}`;
// workerd listens on 0.0.0.0 (IPv4); talk to it over IPv4 so "localhost" → ::1 can never get in the way.
const LOCAL = `http://127.0.0.1:${PORT}`;
const READY_TIMEOUT_MS = 120_000;

// ---------------------------------------------------------------------------------------------
// 1. .dev.vars — local secrets, never committed, never overwritten (re-runs keep the password).

const DEV_VARS = path.join(ROOT, '.dev.vars');

/** A password people can read aloud and type: 4 groups of 5 from an alphabet without 0/o/1/l/i (~99 bits). */
function readablePassword() {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const group = () => Array.from({ length: 5 }, () => alphabet[randomInt(alphabet.length)]).join('');
  return [group(), group(), group(), group()].join('-');
}

const REQUIRED_VARS = [
  ['ENVIRONMENT', () => 'development'],
  ['SANDBOX', () => 'true'],
  ['JWT_SECRET', () => randomBytes(48).toString('base64url')],
  ['PII_KEYS', () => `k1:${randomBytes(32).toString('base64')}`],
  ['SEED_ADMIN_EMAIL', () => 'admin@edgemall.local'],
  ['SEED_ADMIN_PASSWORD', () => readablePassword()],
  ['LOGISTICS_WEBHOOK_SECRET', () => randomBytes(24).toString('base64url')],
];

// The WeChat Pay sandbox: merchant + platform key pairs and an APIv3 key that only make sense
// together, so they are generated (and, if any is missing, rewritten) as one set.
let wxpaySet;
const wxpay = () => (wxpaySet ??= generateWxpayTestEnv());
/** dotenv value: PEMs are multi-line, so quote them with escaped newlines (the worker accepts `\n`). */
const quoteVar = (v) => (/[\s"#]/.test(v) ? `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"` : v);
for (const k of Object.keys(wxpay())) REQUIRED_VARS.push([k, () => quoteVar(wxpay()[k]), 'wxpay']);

/** dotenv-style parse, enough for .dev.vars: KEY=VALUE, optional quotes, # comments; last one wins. */
function parseVars(text) {
  const vars = {};
  for (const line of text.split(/\r?\n/)) {
    const m = line.match(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/);
    if (!m) continue;
    let v = m[2];
    if (/^(['"]).*\1$/.test(v)) v = v.slice(1, -1);
    else v = v.replace(/\s+#.*$/, '');
    vars[m[1]] = v;
  }
  return vars;
}

function ensureDevVars() {
  if (!existsSync(DEV_VARS)) {
    const body = [
      '# Local secrets for `wrangler dev`, written by `npm run dev` (.ci/dev.mjs). Git-ignored; never commit it.',
      '# Delete this file to get new secrets; then also `rm -rf .wrangler/state`, because the local',
      '# database keeps the seeded admin with the old password.',
      ...REQUIRED_VARS.map(([k, make]) => `${k}=${make()}`),
      '',
    ].join('\n');
    writeFileSync(DEV_VARS, body, { mode: 0o600 });
    log(`wrote ${bold('.dev.vars')} with fresh secrets and an admin password`);
  } else {
    const text = readFileSync(DEV_VARS, 'utf8');
    const have = parseVars(text);
    let missing = REQUIRED_VARS.filter(([k]) => !have[k]);
    if (missing.some(([, , group]) => group === 'wxpay')) missing = [...missing.filter(([, , g]) => g !== 'wxpay'), ...REQUIRED_VARS.filter(([, , g]) => g === 'wxpay')];
    if (missing.length) {
      const prefix = text.length && !text.endsWith('\n') ? '\n' : '';
      appendFileSync(DEV_VARS, prefix + missing.map(([k, make]) => `${k}=${make()}`).join('\n') + '\n');
      log(`.dev.vars: added missing ${missing.map(([k]) => k).join(', ')}`);
    } else {
      log('.dev.vars found; keeping it');
    }
  }
  const vars = parseVars(readFileSync(DEV_VARS, 'utf8'));
  if (vars.ENVIRONMENT === 'production') warn('.dev.vars sets ENVIRONMENT=production: sandbox login and the seeded admin are off');
  return vars;
}

// ---------------------------------------------------------------------------------------------
// Child processes. We run wrangler's own JS entry with this Node (what `npx wrangler` ends up
// doing) so there is no npx/shell layer between us and wrangler when forwarding signals.

let wranglerBin;
try {
  const require = createRequire(path.join(ROOT, 'package.json'));
  const pkgPath = require.resolve('wrangler/package.json');
  const bin = JSON.parse(readFileSync(pkgPath, 'utf8')).bin;
  wranglerBin = path.join(path.dirname(pkgPath), typeof bin === 'string' ? bin : bin.wrangler);
} catch {
  fail('wrangler is not installed: run `npm install` first');
}

let current = null; // the running child, if any
let stopping = false;
const GROUPS = process.platform !== 'win32';

/** Signals every process in the child's group (wrangler, its inner CLI, workerd, esbuild). */
function killGroup(child, sig) {
  try {
    if (GROUPS) process.kill(-child.pid, sig);
    else child.kill(sig);
  } catch {
    /* already gone */
  }
}

/** Streams a child's output line by line with a prefix, so our messages and wrangler's stay readable. */
function pipeLines(stream, out, prefix) {
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${prefix} ${line}\n`));
}

function runWrangler(wargs, { prefix, env = {} }) {
  const child = spawn(process.execPath, [wranglerBin, ...wargs], {
    cwd: ROOT,
    env: { ...process.env, ...(tty ? { FORCE_COLOR: '1' } : {}), ...env },
    // stdin is not a TTY, so wrangler never waits on a prompt or hotkeys.
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group, so that whatever wrangler leaves behind can be found and killed (below).
    detached: GROUPS,
  });
  pipeLines(child.stdout, process.stdout, dim(prefix));
  pipeLines(child.stderr, process.stderr, dim(prefix));
  current = child;
  const done = new Promise((resolve) => {
    child.on('error', (e) => {
      console.error(`${red('[dev] error:')} could not start wrangler: ${e.message}`);
      resolve({ code: 1, signal: null });
    });
    child.on('exit', (code, signal) => {
      if (current === child) current = null;
      // If wrangler dies abruptly its workerd keeps the port and ignores SIGTERM (seen with
      // wrangler 4.86), which is exactly the "port 8787 is already in use" trap on the next run.
      killGroup(child, 'SIGKILL');
      resolve({ code, signal });
    });
  });
  return { child, done };
}

const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const exitCodeOf = ({ code, signal }) => (code ?? SIGNAL_CODES[signal] ?? 1);

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (stopping) {
      // second Ctrl-C: stop waiting politely
      if (current) killGroup(current, 'SIGKILL');
      process.exit(SIGNAL_CODES[sig]);
    }
    stopping = true;
    if (!current) process.exit(SIGNAL_CODES[sig]);
    log(`${sig}: stopping wrangler…`);
    // wrangler's launcher passes the signal on to its CLI, which shuts workerd down cleanly.
    current.kill(sig);
    // That normally takes about a second; never hang on it.
    setTimeout(() => {
      warn('wrangler did not stop within 10 s; killing it');
      if (current) killGroup(current, 'SIGKILL');
    }, 10_000).unref();
  });
}
// Whatever happens to this script (a crash included), do not leave wrangler running.
process.on('exit', () => {
  if (current) killGroup(current, 'SIGKILL');
});

// ---------------------------------------------------------------------------------------------
// Port check: a clear message beats workerd's bind() stack trace.

function canListen(port, host) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', (e) => resolve(e.code !== 'EADDRINUSE' && e.code !== 'EACCES' ? true : false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}
function answers(port, host) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    sock.setTimeout(1000);
    sock.once('connect', () => (sock.destroy(), resolve(true)));
    sock.once('timeout', () => (sock.destroy(), resolve(false)));
    sock.once('error', () => resolve(false));
  });
}
async function checkPort() {
  const free = (await canListen(PORT, '0.0.0.0')) && !(await answers(PORT, '127.0.0.1')) && !(await answers(PORT, '::1'));
  if (free) return;
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
// HTTP helpers (Node 20 has fetch).

async function call(method, p, { body, token, timeoutMs = 60_000 } = {}) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(LOCAL + p, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls /health until 200; resolves false if wrangler exits or we are told to stop first. */
async function waitForHealth(done) {
  let exited = false;
  done.then(() => (exited = true));
  const t0 = Date.now();
  let last = 'no answer yet';
  while (!exited && !stopping) {
    try {
      const r = await call('GET', '/health', { timeoutMs: 5000 });
      if (r.status === 200) return { ok: true, ms: Date.now() - t0 };
      last = `${r.status} ${r.text.slice(0, 500)}`;
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    if (Date.now() - t0 > READY_TIMEOUT_MS) return { ok: false, last };
    await sleep(500);
  }
  return { ok: false, exited };
}

// ---------------------------------------------------------------------------------------------
// 4. Demo data

async function seedDemo(vars) {
  const email = vars.SEED_ADMIN_EMAIL;
  const login = await call('POST', '/admin/v1/auth/login', { body: { email, password: vars.SEED_ADMIN_PASSWORD } });
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
    '',
    `  Admin     ${vars.SEED_ADMIN_EMAIL}`,
    `  Password  ${vars.SEED_ADMIN_PASSWORD}   (SEED_ADMIN_PASSWORD in .dev.vars)`,
    '',
    '  Sandbox shopper login (any code; the same code is always the same shopper):',
    `  curl -s -X POST ${BASE}/store/v1/auth/wx-login -H 'content-type: application/json' -d '{"code":"demo"}'`,
    '',
    '  Ctrl-C stops the server.',
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
  dev.done.then((r) => {
    if (stopping) log(`wrangler stopped (${r.code ?? r.signal}).`);
    else console.error(`${red('[dev]')} wrangler exited (${r.code ?? r.signal}); stopping.`);
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

  if (!stopping) banner(vars);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
