// What every bench script here shares (bench/flash.mjs, bench/everyday.mjs): flag helpers, the
// build (`wrangler deploy --dry-run` of bench/worker.ts on a config generated from wrangler.toml),
// serving it with workerd listening itself (Miniflare `unsafeDirectSockets`), D1 migrations, admin
// sign-in and sandbox shoppers, the load runner (bench/load.mjs in its own process) with CPU
// accounting from /proc, the wait for a quiet machine, machine/software info and number formats.
//
// Call configure() once with the script's flags before build/serve/load. The state that serving
// creates (BASE, workerdPids) is exported as live bindings, so importers always see the current
// server. Everything started here is stopped by pid on exit, error or a signal.

import { execFileSync, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, cpSync, createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateWxpayTestEnv } from '../test/wxpay-test-keys.mjs';

export const BENCH = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(BENCH, '..');
const require = createRequire(import.meta.url);

// ---------------------------------------------------------------------------------------------
// Settings of the running script (configure()) and what serving created

/** The scratch directory of this run (bundle, local state, logs); removed by the script at the end. */
export let BUILD = path.join(BENCH, '.build');
let PORT = 8801;
let WAIT_IDLE = 120;
let REF;

/** Base URL of the workerd socket under test, once serve() has run. */
export let BASE = '';
/** The workerd processes serving it (for CPU accounting and cleanup). */
export let workerdPids = [];
let mf = null;

/**
 * Sets what the shared helpers need from the script's flags: where its scratch files go, the
 * workerd port, how long to wait for a quiet machine before each load run, and the git ref to build.
 */
export function configure({ buildDir, port, waitIdle, ref } = {}) {
  if (buildDir !== undefined) BUILD = buildDir;
  if (port !== undefined) PORT = port;
  if (waitIdle !== undefined) WAIT_IDLE = waitIdle;
  REF = ref;
}

export const log = (msg) => console.log(`[bench] ${msg}`);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Flags

/**
 * Parses argv with node:util parseArgs (strict); prints the usage and exits 1 on a bad flag,
 * prints it and exits 0 on --help (which every script gets).
 */
export function parseFlags(options, usage) {
  let values;
  try {
    values = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h', default: false } }, strict: true }).values;
  } catch (e) {
    console.error(`${e.message}\n\n${usage}`);
    process.exit(1);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return values;
}

/** An integer flag in min..max, or exit 1 naming the flag. */
export function intFlag(args, name, min, max) {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`--${name} must be an integer in ${min}..${max}, got "${args[name]}"`);
    process.exit(1);
  }
  return n;
}

/** A comma list of names, each one of `known`, or exit 1 naming the unknown one. */
export function listFlag(value, known, name = 'only') {
  const set = new Set(
    value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  for (const p of set) if (!known.includes(p)) (console.error(`--${name}: unknown path "${p}"`), process.exit(1));
  return set;
}

// ---------------------------------------------------------------------------------------------
// Cleanup: everything we start is registered here and stopped by pid on any exit.

/** ChildProcess objects (own process groups) that cleanup() stops. */
export const children = new Set();
let cleaning = null;

/** Signals a child's whole process group (falls back to the child alone). */
export function killTree(child, sig = 'SIGKILL') {
  try {
    process.kill(-child.pid, sig);
  } catch {
    try {
      child.kill(sig);
    } catch {
      /* gone */
    }
  }
}

/** Stops every child, Miniflare and the workerd processes; safe to call more than once. */
export async function cleanup() {
  cleaning ??= (async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) killTree(c, 'SIGTERM');
    if (mf) {
      await Promise.race([mf.dispose().catch(() => {}), sleep(5000)]);
      mf = null;
    }
    await sleep(200);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) killTree(c, 'SIGKILL');
    for (const pid of workerdPids) {
      try {
        process.kill(pid, 0);
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  })();
  return cleaning;
}
process.on('exit', () => {
  // last resort, synchronous: nothing we started may outlive us
  for (const c of children) if (c.exitCode === null && c.signalCode === null) killTree(c, 'SIGKILL');
  for (const pid of workerdPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    log(`${sig}: stopping…`);
    cleanup().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// Process helpers

/** Runs a command in its own process group; resolves with the tail of its output, rejects on failure. */
export function run(cmd, argv, { cwd = ROOT, env = {}, logFile } = {}) {
  return new Promise((resolve, reject) => {
    const out = logFile ? createWriteStream(logFile) : null;
    const child = spawn(cmd, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.add(child);
    let tail = '';
    const keep = (d) => {
      out?.write(d);
      tail = (tail + d.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      children.delete(child);
      out?.end();
      if (code === 0) resolve(tail);
      else reject(new Error(`${path.basename(cmd)} ${argv.join(' ')} failed (${code ?? signal}):\n${tail}`));
    });
  });
}

/** Whether nothing listens on the port yet. */
export function portFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}
/** A port the kernel says is free on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}
/** Polls fn every 100 ms until it returns truthy, or throws after timeoutMs. */
export async function waitFor(fn, what, timeoutMs = 30_000) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < timeoutMs) {
    try {
      if (await fn()) return;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

/** utime+stime of a process in seconds, from /proc (null if unreadable). */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return null;
  }
}
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Busy CPU seconds of the whole machine so far (all cores), from /proc/stat. */
export function systemBusySeconds() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal …
  return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / CLK_TCK;
}

/**
 * Waits until processes other than ours leave the machine nearly idle (others' tests on a shared
 * 2-core box skew every number), for at most WAIT_IDLE seconds; returns what it saw.
 */
export async function waitIdle(what) {
  const t0 = Date.now();
  let warned = false;
  for (;;) {
    const b0 = systemBusySeconds();
    await sleep(1000);
    const busy = systemBusySeconds() - b0;
    if (busy < 0.25) {
      if (warned) log(`quiet after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      return busy;
    }
    if (Date.now() - t0 > WAIT_IDLE * 1000) {
      log(`machine still busy (${busy.toFixed(2)} cores used by other processes); measuring ${what} anyway`);
      return busy;
    }
    if (!warned) log(`other processes use ${busy.toFixed(2)} cores; waiting up to ${WAIT_IDLE} s for quiet before ${what} …`);
    warned = true;
  }
}

/** Direct children of `ppid` whose command name is `comm`. */
export function childPids(ppid, comm) {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === ppid && name === comm) out.push(Number(d));
    } catch {
      /* raced with exit */
    }
  }
  return out;
}

/** Who owns the listening socket on a port: "workerd (pid 123)", via ss. */
export function listenerOf(port) {
  try {
    const out = execFileSync('ss', ['-Hltnp', `sport = :${port}`]).toString();
    const m = /users:\(\("([^"]+)",pid=(\d+)/.exec(out);
    return m ? { name: m[1], pid: Number(m[2]) } : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP against the Worker (setup and checks only; the load comes from bench/load.mjs)

/** One JSON request to the served Worker: { status, json, text, headers }. */
export async function call(method, p, { body, token, headers = {} } = {}) {
  const h = { ...headers };
  if (body !== undefined) h['content-type'] = 'application/json';
  if (token) h.authorization = `Bearer ${token}`;
  const res = await fetch(BASE + p, {
    method,
    headers: h,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text, headers: res.headers };
}
/** The body of a response with the expected status, or throws naming the step and what came back. */
export function expect(r, status, what) {
  if (r.status !== status) throw new Error(`${what}: expected ${status}, got ${r.status} ${r.text.slice(0, 800)}`);
  return r.json;
}
/** fn(0..n-1) with at most `concurrency` in flight; results in order. */
export async function pool(n, concurrency, fn) {
  const out = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Load runs

/**
 * Runs bench/load.mjs in its own process and samples the server processes' CPU around the
 * measured window. `serverPids` are summed.
 */
export async function load(cfg, serverPids, { waitIdle: wait = true, onMark } = {}) {
  if (wait && WAIT_IDLE > 0) await waitIdle(cfg.name);
  const cfgFile = path.join(BUILD, `load-${cfg.name}-${Date.now()}.json`);
  writeFileSync(cfgFile, JSON.stringify(cfg));
  return new Promise((resolve, reject) => {
    const child = fork(path.join(BENCH, 'load.mjs'), [cfgFile], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
    children.add(child);
    let cpu0 = null;
    let sys0 = null;
    let serverCpuS = null;
    let systemCpuS = null;
    let result = null;
    let error = null;
    const sample = () => serverPids().reduce((a, pid) => a + (cpuSeconds(pid) ?? 0), 0);
    child.on('message', (m) => {
      if (m.type === 'measure-start') {
        cpu0 = sample();
        sys0 = systemBusySeconds();
        onMark?.('start');
      } else if (m.type === 'measure-end' && cpu0 !== null) {
        serverCpuS = sample() - cpu0;
        systemCpuS = systemBusySeconds() - sys0;
        onMark?.('end');
      } else if (m.type === 'result') result = m.result;
      else if (m.type === 'error') error = m.error;
    });
    child.on('exit', (code) => {
      children.delete(child);
      // the rest of the machine's busy time: other people's processes (and a little of ours)
      if (result)
        resolve({
          ...result,
          serverCpuS,
          otherCpuS: systemCpuS == null ? null : Math.max(0, systemCpuS - (serverCpuS ?? 0) - result.loadCpuS),
        });
      else reject(new Error(`load generator failed (${code}): ${error ?? 'no result'}`));
    });
  });
}

/** Unloaded latency: one connection for 2 s against `probePath` (or the path), p50 only. */
export async function probe(cfg, serverPids) {
  const r = await load(
    {
      ...cfg,
      name: `${cfg.name}-probe`,
      path: cfg.probePath ?? cfg.path,
      warmupPath: undefined,
      connections: 1,
      duration: 2,
      warmup: 0,
      keyPrefix: `${cfg.keyPrefix ?? 'x'}p`,
    },
    serverPids,
    { waitIdle: false },
  );
  return { p50: r.latency.p50, mean: r.latency.mean, rps: r.rps };
}

/** A measured path: the load run at full concurrency, then the 1-connection probe. */
export async function measure(cfg, serverPids) {
  const r = await load(cfg, serverPids);
  const unloaded = await probe(cfg, serverPids);
  return { ...r, unloaded };
}

// ---------------------------------------------------------------------------------------------
// Number formats and the columns both reports share

export const fmtInt = (n) => (n == null || Number.isNaN(n) ? '–' : Math.round(n).toLocaleString('en-US'));
export const fmtMs = (n) => (n == null ? '–' : `${Number(n).toFixed(n < 1 ? 2 : n < 10 ? 1 : 0)} ms`);
export const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '–');

/** "200: 1,234, 409: 5" plus socket errors and timeouts. */
export function statusSummary(r) {
  const parts = Object.entries(r.statusCounts)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([s, n]) => `${s}: ${fmtInt(n)}`);
  if (r.errors) parts.push(`socket errors: ${fmtInt(r.errors)}`);
  if (r.timeouts) parts.push(`timeouts: ${fmtInt(r.timeouts)}`);
  return parts.join(', ') || '–';
}

/** Server CPU milliseconds per completed request over the measured window. */
export const cpuPerReq = (r) => (r?.serverCpuS == null || !r.requests ? null : (r.serverCpuS * 1000) / r.requests);

/** A Markdown table: columns as [title, 'left'|'right'], rows as arrays of cell strings. */
export function mdTable(columns, rows) {
  return [
    `| ${columns.map(([t]) => t).join(' | ')} |`,
    `| ${columns.map(([, a]) => (a === 'right' ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Build: a wrangler config generated from wrangler.toml (same bindings) + the bench DO, bundled
// with `wrangler deploy --dry-run`, which applies the same nodejs_compat handling as a deploy.

const wranglerPkgPath = require.resolve('wrangler/package.json');
const wranglerPkg = JSON.parse(readFileSync(wranglerPkgPath, 'utf8'));
const wranglerBin = path.join(
  path.dirname(wranglerPkgPath),
  typeof wranglerPkg.bin === 'string' ? wranglerPkg.bin : wranglerPkg.bin.wrangler,
);
// The Miniflare (and workerd) that this wrangler uses, so the bench runs what `wrangler dev` runs.
const wranglerRequire = createRequire(wranglerPkgPath);

/** `git …` in the repository root, trimmed stdout. */
export function git(...a) {
  return execFileSync('git', a, { cwd: ROOT }).toString().trim();
}

/**
 * Empties BUILD and bundles bench/worker.ts (from the working tree, or from `ref` via git archive)
 * with a config generated from wrangler.toml; returns { configPath, entry, src }.
 */
export async function build() {
  rmSync(BUILD, { recursive: true, force: true });
  mkdirSync(BUILD, { recursive: true });
  let src = ROOT;
  if (REF) {
    src = path.join(BUILD, 'src');
    mkdirSync(src, { recursive: true });
    const sha = git('rev-parse', '--verify', `${REF}^{commit}`);
    log(`building from ${REF} (${sha.slice(0, 10)}) via git archive`);
    execFileSync('bash', ['-c', `git archive ${sha} | tar -x -C ${JSON.stringify(src)}`], { cwd: ROOT });
    // the bench entry comes from this checkout (the ref may predate bench/)
    mkdirSync(path.join(src, 'bench'), { recursive: true });
    cpSync(path.join(BENCH, 'worker.ts'), path.join(src, 'bench', 'worker.ts'));
  }
  const toml = readFileSync(path.join(src, 'wrangler.toml'), 'utf8');
  const rel = (p) => path.relative(BUILD, p).split(path.sep).join('/');
  if (!/^main\s*=.*$/m.test(toml)) throw new Error('wrangler.toml has no main = …');
  let bench = toml
    .replace(/^main\s*=.*$/m, `main = "${rel(path.join(src, 'bench', 'worker.ts'))}"`)
    .replace(/^(\s*migrations_dir\s*=\s*)"([^"]+)"/m, (_, k, dir) => `${k}"${rel(path.join(src, dir))}"`);
  bench += `

# ---- added by bench/harness.mjs ----
[[durable_objects.bindings]]
name = "BENCH_NOOP"
class_name = "BenchNoop"

[[migrations]]
tag = "bench-noop"
new_sqlite_classes = ["BenchNoop"]
`;
  const configPath = path.join(BUILD, 'wrangler.bench.toml');
  writeFileSync(configPath, `# Generated by bench/harness.mjs from ${rel(path.join(src, 'wrangler.toml'))}; do not edit.\n${bench}`);
  const t0 = Date.now();
  await run(process.execPath, [wranglerBin, 'deploy', '--dry-run', '--outdir', path.join(BUILD, 'dist'), '-c', configPath], {
    env: { CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    logFile: path.join(BUILD, 'build.log'),
  });
  const entry = path.join(BUILD, 'dist', 'worker.js');
  if (!existsSync(entry)) throw new Error(`wrangler did not write ${entry}; see ${path.relative(ROOT, BUILD)}/build.log`);
  log(
    `bundled bench/worker.ts → ${path.relative(ROOT, entry)} (${(readFileSync(entry).length / 1024).toFixed(0)} KiB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { configPath, entry, src };
}

// ---------------------------------------------------------------------------------------------
// Serve: Miniflare's API, worker options derived from the generated config by wrangler itself.

/** The secrets the Worker gets, like .ci/dev.mjs writes them: fresh random ones per run. */
export function benchSecrets() {
  return {
    ENVIRONMENT: 'development',
    SANDBOX: 'true',
    PUBLIC_BASE_URL: `http://127.0.0.1:${PORT}`,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    PII_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    SEED_ADMIN_EMAIL: 'admin@edgemall.local',
    SEED_ADMIN_PASSWORD: randomBytes(18).toString('base64url'),
    LOGISTICS_WEBHOOK_SECRET: randomBytes(24).toString('base64url'),
    ...generateWxpayTestEnv(),
  };
}

/** Local state (D1, DO SQLite, R2) of the served Worker. */
export const stateDir = () => path.join(BUILD, 'state');

/**
 * Starts workerd on the built Worker (PORT, state in BUILD/state, which survives a restart) with
 * the given secrets (default: fresh ones) and rate limits raised out of the way. Requires the
 * settlement queue and its consumer in the config. Sets BASE and workerdPids.
 */
export async function startServer({ configPath, entry }, { secrets = benchSecrets() } = {}) {
  if (!(await portFree(PORT))) throw new Error(`port ${PORT} is in use; pick another with --port`);
  const { Miniflare } = await import(pathToFileURL(wranglerRequire.resolve('miniflare')).href);
  const wrangler = await import(pathToFileURL(require.resolve('wrangler')).href);
  const { workerOptions } = wrangler.unstable_getMiniflareWorkerOptions(configPath);
  // The reserve path hands the order to the SETTLEMENT queue; its consumer (this same worker) must
  // run here as it does in production, or (c) would look fast by leaving its work undone.
  const settlementQueue = workerOptions.queueProducers?.SETTLEMENT?.queueName;
  const settlementConsumer = settlementQueue ? workerOptions.queueConsumers?.[settlementQueue] : undefined;
  if (!settlementQueue || !settlementConsumer)
    throw new Error(
      `the generated config has no ${settlementQueue ? `consumer for queue ${settlementQueue}` : 'SETTLEMENT queue producer'}; check [[queues.*]] in wrangler.toml`,
    );
  const queueInfo = {
    queue: settlementQueue,
    maxBatchSize: settlementConsumer.maxBatchSize,
    maxBatchTimeout: settlementConsumer.maxBatchTimeout,
    maxRetries: settlementConsumer.maxRetries,
  };
  log(
    `SETTLEMENT → ${settlementQueue}, consumed by this worker (max_batch_size ${queueInfo.maxBatchSize}, max_batch_timeout ${queueInfo.maxBatchTimeout} s, max_retries ${queueInfo.maxRetries})`,
  );

  // Rate limits (if wrangler.toml has any) must not be what this measures.
  const ratelimits = workerOptions.ratelimits
    ? Object.fromEntries(
        Object.entries(workerOptions.ratelimits).map(([k, v]) => [
          k,
          { ...v, simple: { ...(v.simple ?? {}), limit: 1_000_000_000, period: v.simple?.period ?? 60 } },
        ]),
      )
    : undefined;

  // appended to across restarts: the log of the whole run
  const workerdLog = createWriteStream(path.join(BUILD, 'workerd.log'), { flags: 'a' });
  let logLines = 0;
  const stderrTail = [];
  mf = new Miniflare({
    host: '127.0.0.1',
    port: 0, // Miniflare's own entry socket (unused by the load)
    defaultPersistRoot: stateDir(),
    logRequests: false,
    // profiling by hand: BENCH_INSPECTOR_PORT=9229 npm run bench:flash -- --serve, then attach a CDP client
    ...(process.env.BENCH_INSPECTOR_PORT ? { inspectorPort: Number(process.env.BENCH_INSPECTOR_PORT) } : {}),
    // workerd's stdout/stderr (the app's JSON request logs) go to a file, not through our console
    handleRuntimeStdio(stdout, stderr) {
      stdout.on('data', (d) => {
        workerdLog.write(d);
        logLines++;
      });
      stderr.on('data', (d) => {
        workerdLog.write(d);
        stderrTail.push(d.toString());
        if (stderrTail.length > 50) stderrTail.shift();
      });
    },
    workers: [
      {
        ...workerOptions,
        name: 'edgemall',
        modules: true,
        scriptPath: entry,
        modulesRoot: path.dirname(entry),
        bindings: { ...(workerOptions.bindings ?? {}), ...secrets },
        ...(ratelimits ? { ratelimits } : {}),
        // A socket straight into this worker: the load never passes Miniflare's entry worker or Node.
        unsafeDirectSockets: [{ host: '127.0.0.1', port: PORT }],
      },
    ],
  });
  await mf.ready;
  workerdPids = childPids(process.pid, 'workerd');
  const url = await mf.unsafeGetDirectURL('edgemall');
  BASE = url.origin;
  const listener = listenerOf(PORT);
  log(
    `workerd up: ${BASE} (listener: ${listener ? `${listener.name} pid ${listener.pid}` : 'unknown'}; workerd pids ${workerdPids.join(',') || '?'})`,
  );
  return { secrets, listener, queueInfo, wrangler, logStats: () => ({ logLines, stderrTail }) };
}

/**
 * D1 migrations, in order, straight into the binding (what `wrangler d1 migrations apply` does),
 * then GET /health. Returns the D1 binding proxy and the number of migrations.
 */
export async function applyMigrations(src, wrangler) {
  const db = await mf.getD1Database('DB');
  const migDir = path.join(src, 'migrations');
  const files = readdirSync(migDir)
    .filter((f) => /^\d+.*\.sql$/.test(f))
    .sort();
  // the bookkeeping table wrangler keeps (GET /health counts its rows)
  await db.exec(
    'CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)',
  );
  for (const f of files) {
    const stmts = wrangler.unstable_splitSqlQuery(readFileSync(path.join(migDir, f), 'utf8')).filter((s) => s.trim());
    await db.batch([...stmts.map((s) => db.prepare(s)), db.prepare('INSERT INTO d1_migrations (name) VALUES (?)').bind(f)]);
  }
  const health = await call('GET', '/health');
  if (health.status !== 200) throw new Error(`GET /health → ${health.status}: ${health.text.slice(0, 800)}`);
  log(`applied ${files.length} D1 migrations (${files.at(-1)})`);
  return db;
}

/** Builds nothing: starts workerd on a fresh state and applies the migrations (startServer + applyMigrations). */
export async function serve(built) {
  const s = await startServer(built);
  const db = await applyMigrations(built.src, s.wrangler);
  return { secrets: s.secrets, db, listener: s.listener, queueInfo: s.queueInfo, logStats: s.logStats };
}

/** Stops Miniflare and its workerd (the local state stays on disk for a restart). */
export async function stopServer() {
  if (!mf) return;
  await Promise.race([mf.dispose().catch(() => {}), sleep(5000)]);
  mf = null;
}

// ---------------------------------------------------------------------------------------------
// The shop's people: the seeded admin and sandbox shoppers

/** Signs in the seeded admin (the secrets' SEED_ADMIN_*); returns the access token. */
export async function adminLogin(secrets) {
  const login = expect(
    await call('POST', '/admin/v1/auth/login', { body: { email: secrets.SEED_ADMIN_EMAIL, password: secrets.SEED_ADMIN_PASSWORD } }),
    200,
    'admin login',
  );
  return login.accessToken;
}

/**
 * `count` sandbox shoppers (`wx-login` with code `bench-<tag>-<i>`), each with one address,
 * 32 at a time; returns [{ token, addressId }].
 */
export async function createShoppers(count, tag) {
  const t0 = Date.now();
  const shoppers = await pool(count, 32, async (i) => {
    const l = expect(await call('POST', '/store/v1/auth/wx-login', { body: { code: `bench-${tag}-${i}` } }), 200, 'shopper login');
    const a = expect(
      await call('POST', '/store/v1/addresses', {
        token: l.accessToken,
        body: { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: `文三路${i + 1}号` },
      }),
      201,
      'address',
    );
    return { token: l.accessToken, addressId: a.id };
  });
  log(`created ${count} shoppers with addresses in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return shoppers;
}

// ---------------------------------------------------------------------------------------------

/** The machine, the software versions and the code under test, for the report's header. */
export const machine = () => {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  let workerdVersion = 'unknown';
  try {
    const workerdPkg = createRequire(wranglerRequire.resolve('miniflare')).resolve('workerd/package.json');
    const bin = path.join(path.dirname(workerdPkg), 'bin', 'workerd');
    workerdVersion = `${JSON.parse(readFileSync(workerdPkg, 'utf8')).version} (${execFileSync(bin, ['--version']).toString().trim()})`;
  } catch {
    /* leave unknown */
  }
  const ver = (p) => {
    try {
      return JSON.parse(readFileSync(p, 'utf8')).version;
    } catch {
      return '?';
    }
  };
  let redisVersion = null;
  try {
    redisVersion = /v=(\S+)/.exec(execFileSync('redis-server', ['--version']).toString())?.[1];
  } catch {
    /* none */
  }
  let commit = '?';
  let dirty = false;
  try {
    commit = git('rev-parse', '--short=10', REF ?? 'HEAD');
    dirty = !REF && git('status', '--porcelain', '--', 'workers', 'durable-objects', 'migrations', 'wrangler.toml') !== '';
  } catch {
    /* not a git checkout */
  }
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    workerd: workerdVersion,
    miniflare: ver(wranglerRequire.resolve('miniflare/package.json')),
    wrangler: wranglerPkg.version,
    autocannon: ver(require.resolve('autocannon/package.json')),
    redis: redisVersion,
    nodeRedis: ver(require.resolve('redis/package.json')),
    commit,
    dirty,
  };
};
