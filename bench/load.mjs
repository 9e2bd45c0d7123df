// Load generator for bench/flash.mjs, run as a separate process (child_process.fork) so the
// server under test and the client never share an event loop. One autocannon run per call:
// an optional warm-up (discarded), then the measured run. Talks to its parent over IPC:
//   ← {type:'measure-start'} / {type:'measure-end'}  (the parent samples server CPU around them)
//   ← {type:'result', result}
//
// argv[2]: path of a JSON config:
//   { url, kind: 'plain'|'reserve'|'peer-reserve'|'do-reserve', method, path, warmupPath?, connections,
//     duration, warmup, shoppersFile?, shoppers?, keyPrefix? }
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
  return [{ method: cfg.method, path }];
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
    await run(cfg.warmupPath ?? cfg.path, cfg.warmup);
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
