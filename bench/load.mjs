// Load generator for bench/flash.mjs and bench/everyday.mjs, run as a separate process (child_process.fork) so the
// server under test and the client never share an event loop. One autocannon run per call:
// an optional warm-up (discarded), then the measured run. Talks to its parent over IPC:
//   ← {type:'measure-start'} / {type:'measure-end'}  (the parent samples server CPU around them)
//   ← {type:'result', result}
//
// argv[2]: path of a JSON config:
//   { url, kind: 'plain'|'reserve'|'peer-reserve'|'do-reserve'|'rotate', method, path, warmupPath?, connections,
//     duration, warmup, shoppersFile?, shoppers?, keyPrefix?, list?, uniqueKey?, serverPids? }
// kind 'rotate' (bench/everyday.mjs): request i is list[i % list.length] ({ method, path, headers?,
// body? }), so a run spreads over many ids, pages or shoppers instead of one hot key; with
// uniqueKey every request also gets `Idempotency-Key: <keyPrefix>.<n>` (the warm-up's keys are
// `<keyPrefix>w.<n>`, so the measured run's writes can be counted apart from the warm-up's).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';

const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const send = (msg) => new Promise((resolve) => (process.send ? process.send(msg, resolve) : resolve()));

const shoppers = cfg.shoppersFile ? JSON.parse(readFileSync(cfg.shoppersFile, 'utf8')) : [];
let seq = 0;

/** Response classes for the reserve paths; reset after the warm-up. */
function freshCounts() {
  return {
    reserved: 0, // 2xx
    replayed: 0, // 200 with "replayed":true (should stay 0: every key is unique)
    withOrder: 0, // 2xx whose body carries an order / orderId
    orderCreating: 0, // …of which the order is still being written ("status":"creating": queued)
    soldOut: 0, // 409 sold_out
    limitReached: 0, // 409 limit_reached
    conflictOther: 0, // other 409s (ended, not_started, …)
    rateLimited: 0, // 429
    other: 0, // anything else
    otherSamples: {}, // status → first body seen
    firstOkMs: null,
    lastOkMs: null,
    firstSoldOutMs: null,
    orderIds: [],
  };
}
let counts = freshCounts();
let t0 = 0;
let warming = false;

function classify(status, body) {
  const t = performance.now() - t0;
  if (status >= 200 && status < 300) {
    counts.reserved++;
    if (counts.firstOkMs === null) counts.firstOkMs = t;
    counts.lastOkMs = t;
    if (typeof body === 'string') {
      if (body.includes('"replayed":true')) counts.replayed++;
      const m = /"orderId":"([^"]+)"/.exec(body) ?? /"order":\{[^}]*?"id":"([^"]+)"/.exec(body);
      if (m) {
        counts.withOrder++;
        counts.orderIds.push(m[1]);
        if (body.includes('"status":"creating"')) counts.orderCreating++;
      }
    }
    return;
  }
  const b = typeof body === 'string' ? body : '';
  if (status === 409) {
    if (b.includes('sold_out')) {
      counts.soldOut++;
      if (counts.firstSoldOutMs === null) counts.firstSoldOutMs = t;
    } else if (b.includes('limit_reached')) counts.limitReached++;
    else {
      counts.conflictOther++;
      counts.otherSamples[`409`] ??= b.slice(0, 300);
    }
    return;
  }
  if (status === 429) {
    counts.rateLimited++;
    return;
  }
  counts.other++;
  counts.otherSamples[String(status)] ??= b.slice(0, 300);
}

function requestsFor(path) {
  if (cfg.kind === 'reserve') {
    return [
      {
        method: 'POST',
        path,
        setupRequest(req) {
          const i = seq++;
          const s = shoppers[i % shoppers.length];
          req.method = 'POST';
          req.path = path;
          req.headers = {
            'content-type': 'application/json',
            authorization: `Bearer ${s.token}`,
            'idempotency-key': `${cfg.keyPrefix}.${String(i).padStart(8, '0')}`,
          };
          req.body = JSON.stringify({ quantity: 1, addressId: s.addressId });
          return req;
        },
        onResponse: classify,
      },
    ];
  }
  // the peer and (b3) /bench/do-reserve: shopper in `x-user`, a unique Idempotency-Key, no body
  if (cfg.kind === 'peer-reserve' || cfg.kind === 'do-reserve') {
    const n = cfg.shoppers;
    return [
      {
        method: 'POST',
        path,
        setupRequest(req) {
          const i = seq++;
          req.method = 'POST';
          req.path = path;
          req.headers = { 'x-user': `u${i % n}`, 'idempotency-key': `${cfg.keyPrefix}.${String(i).padStart(8, '0')}` };
          return req;
        },
        onResponse: classify,
      },
    ];
  }
  if (cfg.kind === 'rotate') {
    const list = cfg.list;
    return [
      {
        method: list[0].method,
        path: list[0].path,
        setupRequest(req) {
          const i = seq++;
          const r = list[i % list.length];
          req.method = r.method;
          req.path = r.path;
          req.headers = { ...(r.headers ?? {}) };
          if (r.body !== undefined) {
            req.headers['content-type'] = 'application/json';
            req.body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
          } else req.body = undefined;
          if (cfg.uniqueKey) req.headers['idempotency-key'] = `${cfg.keyPrefix}${warming ? 'w' : ''}.${String(i).padStart(8, '0')}`;
          return req;
        },
        onResponse: sampleOther,
      },
    ];
  }
  return [{ method: cfg.method, path }];
}

/** kind 'rotate': 2xx are only counted; of anything else the first body per status is kept. */
function sampleOther(status, body) {
  if (status >= 200 && status < 300) {
    counts.reserved++;
    return;
  }
  counts.other++;
  counts.otherSamples[String(status)] ??= typeof body === 'string' ? body.slice(0, 300) : '';
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();
/** utime+stime of the server processes (cfg.serverPids) in seconds, from /proc. */
function serverCpu() {
  let sum = 0;
  for (const pid of cfg.serverPids ?? []) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      sum += (Number(f[11]) + Number(f[12])) / CLK_TCK;
    } catch {
      /* gone */
    }
  }
  return sum;
}
/**
 * After the warm-up: at least 0.5 s, then until the server uses under a tenth of a core over
 * 250 ms (it has answered or dropped what the warm-up left in flight), at most 10 s. Without
 * server pids, twice the warm-up's slowest answer (0.5–5 s).
 */
async function drain(warm) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  if (!cfg.serverPids?.length) return sleep(Math.min(5000, Math.max(500, 2 * (warm.latency.max ?? 0))));
  const t0 = Date.now();
  await sleep(500);
  let last = serverCpu();
  while (Date.now() - t0 < 10_000) {
    await sleep(250);
    const now = serverCpu();
    if (now - last < 0.025) return;
    last = now;
  }
}

function run(path, duration) {
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      {
        url: cfg.url,
        connections: cfg.connections,
        pipelining: 1,
        duration,
        timeout: 30,
        requests: requestsFor(path),
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    // keep autocannon quiet: no progress bar, no table
    void inst;
  });
}

try {
  if (cfg.warmup > 0) {
    t0 = performance.now();
    warming = true;
    const warm = await run(cfg.warmupPath ?? cfg.path, cfg.warmup);
    warming = false;
    // autocannon stops with up to `connections` requests unanswered, which the server still works
    // through: on a slow path that backlog would eat into the measured window, so let it drain.
    if (cfg.kind === 'rotate') await drain(warm);
  }
  counts = freshCounts();
  await send({ type: 'measure-start' });
  const cpu0 = process.cpuUsage();
  t0 = performance.now();
  const r = await run(cfg.path, cfg.duration);
  const cpu = process.cpuUsage(cpu0);
  await send({ type: 'measure-end' });
  const statusCounts = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
  const result = {
    requests: r.requests.total,
    durationS: r.duration,
    rps: r.requests.total / r.duration,
    latency: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.average },
    statusCounts,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    loadCpuS: (cpu.user + cpu.system) / 1e6,
    counts: cfg.kind === 'plain' ? null : { ...counts, orderIds: undefined, uniqueOrders: new Set(counts.orderIds).size },
  };
  await send({ type: 'result', result });
  process.exit(0);
} catch (e) {
  await send({ type: 'error', error: String(e?.stack ?? e) });
  process.exit(1);
}
