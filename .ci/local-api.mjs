// What `npm run dev` (.ci/dev.mjs) and the browser suite (test/browser/run.mjs) both need to run
// the API locally: .dev.vars, wrangler's entry point, child processes in their own process group,
// a tiny JSON client, the /health wait and the seeded-admin sign-in.
// Plain Node ESM with no dependencies. Nothing here exits the process or prints on its own
// (callers pass `log`/`warn`), so each script keeps its own messages.

import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { generateWxpayTestEnv } from '../test/wxpay-test-keys.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEV_VARS = path.join(ROOT, '.dev.vars');
export const GROUPS = process.platform !== 'win32';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// .dev.vars — local secrets, never committed, never overwritten (re-runs keep the password).

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
export function parseVars(text) {
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

/**
 * Writes .dev.vars if missing, adds only the missing keys otherwise, and returns its variables.
 * @param {{ log?: (m: string) => void, bold?: (s: string) => string }} [o]
 */
export function ensureDevVars({ log = () => {}, bold = (s) => s } = {}) {
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
    if (missing.some(([, , group]) => group === 'wxpay'))
      missing = [...missing.filter(([, , g]) => g !== 'wxpay'), ...REQUIRED_VARS.filter(([, , g]) => g === 'wxpay')];
    if (missing.length) {
      const prefix = text.length && !text.endsWith('\n') ? '\n' : '';
      appendFileSync(DEV_VARS, prefix + missing.map(([k, make]) => `${k}=${make()}`).join('\n') + '\n');
      log(`.dev.vars: added missing ${missing.map(([k]) => k).join(', ')}`);
    } else {
      log('.dev.vars found; keeping it');
    }
  }
  return parseVars(readFileSync(DEV_VARS, 'utf8'));
}

// ---------------------------------------------------------------------------------------------
// Child processes. We run wrangler's own JS entry with this Node (what `npx wrangler` ends up
// doing) so there is no npx/shell layer between us and wrangler when forwarding signals.

/** Path of wrangler's JS entry point; throws if wrangler is not installed. */
export function wranglerBin() {
  const require = createRequire(path.join(ROOT, 'package.json'));
  const pkgPath = require.resolve('wrangler/package.json');
  const bin = JSON.parse(readFileSync(pkgPath, 'utf8')).bin;
  return path.join(path.dirname(pkgPath), typeof bin === 'string' ? bin : bin.wrangler);
}

/** Signals every process in the child's group (wrangler, its inner CLI, workerd, esbuild; npm, vite). */
export function killGroup(child, sig) {
  try {
    if (GROUPS) process.kill(-child.pid, sig);
    else child.kill(sig);
  } catch {
    /* already gone */
  }
}

/** Streams a child's output line by line with a prefix, so our messages and the child's stay readable. */
export function pipeLines(stream, out, prefix) {
  readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${prefix} ${line}\n`));
}

/**
 * Starts `cmd args` in its own process group (so whatever it leaves behind can be killed with it),
 * with stdin closed (no prompts, no hotkeys) and each output line passed to `onLine(line, isErr)`
 * or written with `prefix`. `done` resolves with { code, signal } once it exits (or failed to start);
 * on exit the rest of its group is SIGKILLed: if wrangler dies abruptly its workerd keeps the port
 * and ignores SIGTERM (seen with wrangler 4.86).
 */
export function startGroup(
  cmd,
  args,
  { cwd = ROOT, env = {}, prefix = '', onLine, stdout = process.stdout, stderr = process.stderr } = {},
) {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: GROUPS });
  if (onLine) {
    readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (l) => onLine(l, false));
    readline.createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (l) => onLine(l, true));
  } else {
    pipeLines(child.stdout, stdout, prefix);
    pipeLines(child.stderr, stderr, prefix);
  }
  let exited = false;
  const done = new Promise((resolve) => {
    child.on('error', (e) => {
      exited = true;
      resolve({ code: 1, signal: null, error: e });
    });
    child.on('exit', (code, signal) => {
      exited = true;
      killGroup(child, 'SIGKILL');
      resolve({ code, signal });
    });
  });
  return {
    child,
    done,
    get exited() {
      return exited;
    },
  };
}

/** `wrangler …` with this Node. */
export function startWrangler(wargs, opts = {}) {
  return startGroup(process.execPath, [wranglerBin(), ...wargs], opts);
}

/**
 * Stops a child started by startGroup: `sig` to the leader first (wrangler's launcher passes it on
 * and shuts workerd down cleanly, in about a second), SIGKILL to the whole group after `graceMs`.
 */
export async function stopGroup(proc, { sig = 'SIGTERM', graceMs = 5000 } = {}) {
  if (!proc || proc.exited) return;
  try {
    proc.child.kill(sig);
  } catch {
    /* gone */
  }
  const t = setTimeout(() => killGroup(proc.child, 'SIGKILL'), graceMs);
  await proc.done;
  clearTimeout(t);
}

// ---------------------------------------------------------------------------------------------
// Ports

export function canListen(port, host) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', (e) => resolve(e.code !== 'EADDRINUSE' && e.code !== 'EACCES' ? true : false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}
export function answers(port, host) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host });
    sock.setTimeout(1000);
    sock.once('connect', () => (sock.destroy(), resolve(true)));
    sock.once('timeout', () => (sock.destroy(), resolve(false)));
    sock.once('error', () => resolve(false));
  });
}
/** Nobody listens on `port` (IPv4 or IPv6), so a server started there is the one that answers. */
export async function portIsFree(port) {
  return (await canListen(port, '0.0.0.0')) && !(await answers(port, '127.0.0.1')) && !(await answers(port, '::1'));
}
/** The first free port from `start` on. */
export async function freePort(start) {
  for (let p = start; p < start + 200; p++) if (await portIsFree(p)) return p;
  throw new Error(`no free port in ${start}…${start + 199}`);
}

// ---------------------------------------------------------------------------------------------
// HTTP (Node 20 has fetch)

/** A JSON client for `base`: call(method, path, { body, token, timeoutMs, headers }) → { status, json, text }. */
export function apiClient(base) {
  return async function call(method, p, { body, token, timeoutMs = 60_000, headers: extra = {} } = {}) {
    const headers = { ...extra };
    if (body !== undefined && !(body instanceof FormData)) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(base + p, {
      method,
      headers,
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
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
  };
}

/**
 * Polls GET /health until 200. Resolves { ok: true, ms }, { ok: false, exited } when `done`
 * settles or `shouldStop()` turns true first, or { ok: false, last } after `timeoutMs`.
 */
export async function waitForHealth(call, { done, timeoutMs = 120_000, shouldStop = () => false } = {}) {
  let exited = false;
  done?.then(() => (exited = true));
  const t0 = Date.now();
  let last = 'no answer yet';
  while (!exited && !shouldStop()) {
    try {
      const r = await call('GET', '/health', { timeoutMs: 5000 });
      if (r.status === 200) return { ok: true, ms: Date.now() - t0 };
      last = `${r.status} ${r.text.slice(0, 500)}`;
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    if (Date.now() - t0 > timeoutMs) return { ok: false, last };
    await sleep(500);
  }
  return { ok: false, exited };
}

/** Signs in as the seeded admin (SEED_ADMIN_EMAIL / SEED_ADMIN_PASSWORD); returns the raw reply. */
export function adminSignIn(call, vars) {
  return call('POST', '/admin/v1/auth/login', { body: { email: vars.SEED_ADMIN_EMAIL, password: vars.SEED_ADMIN_PASSWORD } });
}
