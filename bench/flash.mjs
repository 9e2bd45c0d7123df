#!/usr/bin/env node
// `npm run bench:flash`: how fast the flash-sale reserve path is, next to its floor and ceiling
// and next to the classic Redis + Lua design. Writes bench/RESULTS.md. See bench/README.md.
//
//   (a) hello     GET  /bench/hello                    the runtime's ceiling (no app code)
//   (b) noop-do   POST /bench/noop-do                  one Worker→DO RPC that does nothing
//   (b2) d1       GET  /bench/d1                       one `SELECT 1` through the D1 binding
//   (b3) do-reserve POST /bench/do-reserve             the real SkuStock DO's reserve() alone: no app
//                                                      code, no auth; decided in memory, committed in
//                                                      coalesced SQLite batches, answered after the commit
//   (c) reserve   POST /store/v1/flash-sales/:id/reserve   the real path: auth, checks, DO decision
//                                                      made durable, one settlement-queue message; the
//                                                      queue's consumer (same workerd) writes the D1
//                                                      order, and the script waits until all are there
//   (d) peer      node:http + Redis Lua check-limit+DECR, and its own hello
//
// The built Worker is served by workerd itself through Miniflare's API (a direct workerd socket:
// no Node proxy, unlike `wrangler dev`); load comes from autocannon in a second process.
// Exit code: 0 ok, 1 error, 2 oversold (any path sold more units than it had) or the counts
// disagree (e.g. the pending orders never reached the units the DO took).

import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  BASE,
  BENCH,
  BUILD,
  ROOT,
  adminLogin,
  build,
  call,
  children,
  cleanup,
  configure,
  cpuPerReq,
  cpuSeconds,
  createShoppers,
  expect,
  fmtInt,
  fmtMs,
  freePort,
  intFlag,
  killTree,
  listFlag,
  load,
  log,
  machine,
  measure,
  parseFlags,
  probe,
  ratio,
  serve,
  sleep,
  statusSummary,
  stopServer,
  waitFor,
  workerdPids,
} from './harness.mjs';

// ---------------------------------------------------------------------------------------------
// Flags

const USAGE = `usage: npm run bench:flash -- [flags]

  -c, --connections N   concurrent connections for every path (default 64)
  -d, --duration S      measured seconds per path (default 10)
  -w, --warmup S        warm-up seconds per path, discarded (default 3)
      --shoppers N      shoppers created for (c), simulated for (b3) and (d) (default 2000)
      --allocated N     units in the measured sale; "auto" = half of what the warm-up rate
                        would reserve in --duration, so the run also spends time sold out (default auto)
      --only LIST       comma list of: hello,noop,d1,do-reserve,reserve,peer (default all)
      --port N          port of the workerd socket under test (default 8801)
      --ref REF         build the Worker from a git ref (git archive) instead of the working tree
      --out FILE        where to write the report (default bench/RESULTS.md)
      --no-write        print the table only
      --wait-idle S     before each path, wait up to S s for other processes to leave the
                        machine idle (default 120; 0 = don't wait); their CPU use is reported
      --serve           build, serve and set up the shop (admin, sale, shoppers), print how to
                        reach it, and keep serving until Ctrl-C: for profiling by hand
      --keep-state      keep bench/.build (bundle, local D1/DO state, workerd log) afterwards
      --no-levers       skip the levers table: by default a full run also measures (b) and (c)
                        at each commit listed in bench/levers.json (each lever of the reserve
                        path added one at a time), a few minutes more
      --skip-trace      skip "where the time goes" (the levers' runs do)
      --json FILE       also write the measured numbers as JSON (the levers' runs do)
      --build-dir DIR   where to build and keep state (default bench/.build)`;

const args = parseFlags(
  {
    connections: { type: 'string', short: 'c', default: '64' },
    duration: { type: 'string', short: 'd', default: '10' },
    warmup: { type: 'string', short: 'w', default: '3' },
    shoppers: { type: 'string', default: '2000' },
    allocated: { type: 'string', default: 'auto' },
    only: { type: 'string', default: 'hello,noop,d1,do-reserve,reserve,peer' },
    port: { type: 'string', default: '8801' },
    ref: { type: 'string' },
    out: { type: 'string', default: path.join(BENCH, 'RESULTS.md') },
    'no-write': { type: 'boolean', default: false },
    'keep-state': { type: 'boolean', default: false },
    'wait-idle': { type: 'string', default: '120' },
    serve: { type: 'boolean', default: false },
    'no-levers': { type: 'boolean', default: false },
    'skip-trace': { type: 'boolean', default: false },
    json: { type: 'string' },
    'build-dir': { type: 'string', default: path.join(BENCH, '.build') },
  },
  USAGE,
);
const int = (name, min, max) => intFlag(args, name, min, max);

const CONNECTIONS = int('connections', 1, 10_000);
const DURATION = int('duration', 1, 600);
const WARMUP = int('warmup', 0, 120);
const SHOPPERS = int('shoppers', 1, 100_000);
const PORT = int('port', 1024, 65535);
const WAIT_IDLE = int('wait-idle', 0, 3600);
const ALLOCATED = args.allocated === 'auto' ? 'auto' : int('allocated', 1, 100_000);
const ONLY = listFlag(args.only, ['hello', 'noop', 'd1', 'do-reserve', 'reserve', 'peer']);
configure({ buildDir: path.resolve(args['build-dir']), port: PORT, waitIdle: WAIT_IDLE, ref: args.ref });

// ---------------------------------------------------------------------------------------------
// Load runs

const results = {}; // key → { label, ...load result, serverCpuS, extra }
let QUEUE_INFO = null; // the SETTLEMENT queue and its consumer's settings, as served

/**
 * Where the time goes, unloaded: one reserve request with `x-bench-trace: 1` (bench/worker.ts
 * wraps the bindings and reports per-binding counts and times in a response header).
 */
async function traceOne(pathname, shopper, key) {
  const t0 = performance.now();
  const r = await call('POST', pathname, {
    token: shopper.token,
    body: { quantity: 1, addressId: shopper.addressId },
    headers: { 'idempotency-key': key, 'x-bench-trace': '1' },
  });
  const clientMs = performance.now() - t0;
  return { status: r.status, clientMs, trace: JSON.parse(r.headers.get('x-bench-trace') ?? '{}') };
}

/** Averages traced requests: per-binding calls and ms, and what was called, per request. */
function aggregate(per) {
  const avg = (f) => per.reduce((a, x) => a + f(x), 0) / per.length;
  const kinds = [...new Set(per.flatMap((x) => Object.keys(x.trace).filter((k) => k !== 'wallMs')))];
  const what = {};
  for (const x of per)
    for (const k of kinds)
      for (const [w, c] of Object.entries(x.trace[k]?.what ?? {})) what[`${k}: ${w}`] = (what[`${k}: ${w}`] ?? 0) + c / per.length;
  const statuses = {};
  for (const x of per) statuses[x.status] = (statuses[x.status] ?? 0) + 1;
  return {
    n: per.length,
    statuses,
    clientMs: avg((x) => x.clientMs),
    wallMs: avg((x) => x.trace.wallMs ?? 0),
    kinds: Object.fromEntries(kinds.map((k) => [k, { calls: avg((x) => x.trace[k]?.calls ?? 0), ms: avg((x) => x.trace[k]?.ms ?? 0) }])),
    what,
  };
}

/** The settlement consumer's traced batches (GET /bench/queue-trace), per message. */
function perMessage(q) {
  if (!q || !q.messages) return null;
  const n = q.messages;
  const what = {};
  for (const [k, t] of Object.entries(q.tally)) for (const [w, c] of Object.entries(t.what)) what[`${k}: ${w}`] = c / n;
  return {
    n,
    batches: q.batches,
    statuses: q.types,
    clientMs: null,
    wallMs: q.wallMs / n,
    kinds: Object.fromEntries(Object.entries(q.tally).map(([k, t]) => [k, { calls: t.calls / n, ms: t.ms / n }])),
    what,
  };
}

// ---------------------------------------------------------------------------------------------
// The pending D1 orders of a flash sale, which the settlement queue's consumer writes after the
// reserve has answered (or the reservation poll, which the bench does not call).

/** The sale's orders in D1 (null when this build's orders have no promo_id), via bench/worker.ts. */
async function ordersOf(saleId) {
  return expect(await call('GET', `/bench/flash-orders?sale=${encodeURIComponent(saleId)}`), 200, 'flash-orders');
}

const ORDER_POLL_MS = 250;
const ORDER_WAIT_MS = 180_000;

/** Samples the sale's orders in D1 every 250 ms until stop(): [{ at: Date.now() when seen, n, units, firstAt, lastAt, total }]. */
function pollOrders(saleId) {
  const samples = [];
  let stopped = false;
  let error = null;
  const loop = (async () => {
    while (!stopped) {
      try {
        const r = await ordersOf(saleId);
        if (!r) return;
        samples.push({ at: Date.now(), ...r });
      } catch (e) {
        error = e;
      }
      if (!stopped) await sleep(ORDER_POLL_MS);
    }
  })();
  return {
    samples,
    last: () => samples.at(-1) ?? null,
    error: () => error,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/**
 * Waits (polling D1 every 250 ms, up to 180 s after `endAt`) until the sale's orders hold the units
 * the DO took; `taken()` is asked again if they never do (a consumer may release a reservation).
 * Returns what it saw relative to `endAt` (the end of the load run that sold them).
 */
async function settleOrders(saleId, taken, endAt, poller = pollOrders(saleId)) {
  if ((await ordersOf(saleId)) === null) {
    await poller.stop();
    return null; // this build's orders have no promo_id: nothing to wait for
  }
  let target = await taken();
  // workerd's CPU while the consumer catches up (nothing else runs then)
  const workerdCpu = () => workerdPids.reduce((a, pid) => a + (cpuSeconds(pid) ?? 0), 0);
  const c0 = { at: Date.now(), cpu: workerdCpu(), n: (await ordersOf(saleId)).n };
  const deadline = endAt + ORDER_WAIT_MS;
  const reached = () => target != null && poller.last() && poller.last().units >= target;
  while (!reached() && Date.now() < deadline) await sleep(50);
  const c1 = { at: Date.now(), cpu: workerdCpu() };
  if (!reached()) target = await taken();
  await poller.stop();
  const s = poller.samples;
  if (!s.length) return null;
  const last = s.at(-1);
  const atEnd = [...s].reverse().find((x) => x.at <= endAt) ?? null; // the last sample before the load ended
  const firstFull = s.find((x) => x.units >= target) ?? null;
  const n0 = atEnd?.n ?? 0;
  return {
    target,
    n: last.n,
    units: last.units,
    converged: target != null && last.units === target,
    atEnd: n0,
    // when the poll first saw them all, seconds after the load ended (≤ 0: all there by the end)
    lastSeenS: firstFull ? (firstFull.at - endAt) / 1000 : null,
    // the consumer's own timestamps (orders.created_at: when it started writing each)
    firstAtS: last.firstAt == null ? null : (last.firstAt - endAt) / 1000,
    lastAtS: last.lastAt == null ? null : (last.lastAt - endAt) / 1000,
    ratePerS: last.n > 1 && last.lastAt > last.firstAt ? (last.n - 1) / ((last.lastAt - last.firstAt) / 1000) : null,
    afterEndRatePerS: firstFull && firstFull.at > endAt && last.n > n0 ? (last.n - n0) / ((firstFull.at - endAt) / 1000) : null,
    samples: s.length,
    // the catch-up after the run: workerd's cores and CPU per order written then
    catchUp:
      c1.at - c0.at > 500 && last.n > c0.n
        ? {
            seconds: (c1.at - c0.at) / 1000,
            orders: last.n - c0.n,
            cores: (c1.cpu - c0.cpu) / ((c1.at - c0.at) / 1000),
            cpuMsPerOrder: ((c1.cpu - c0.cpu) * 1000) / (last.n - c0.n),
          }
        : null,
  };
}

/** Units the DO took for a sale, from the storefront listing. */
async function takenByDoOf(saleId, allocated) {
  const item = expect(await call('GET', '/store/v1/flash-sales'), 200, 'listFlashSales').items.find((i) => i.id === saleId);
  return item?.remaining == null ? null : allocated - item.remaining;
}

// ---------------------------------------------------------------------------------------------
// Setup for (c): admin, two single-SKU products (warm-up sale and measured sale), shoppers.
async function setupShop(secrets) {
  const admin = await adminLogin(secrets);
  const tag = randomBytes(3).toString('hex');
  const l1 = expect(await call('POST', '/admin/v1/categories', { token: admin, body: { name: `秒杀测试${tag}` } }), 201, 'category l1');
  const l2 = expect(
    await call('POST', '/admin/v1/categories', { token: admin, body: { name: '厨房用品', parentId: l1.id } }),
    201,
    'category l2',
  );
  const l3 = expect(
    await call('POST', '/admin/v1/categories', { token: admin, body: { name: '保温杯', parentId: l2.id } }),
    201,
    'category l3',
  );
  const product = async (title) => {
    const p = expect(
      await call('POST', '/admin/v1/products', {
        token: admin,
        body: {
          categoryId: l3.id,
          title,
          subtitle: '压测专用',
          material: '316不锈钢',
          origin: '浙江永康',
          attributes: { 品牌: '山川' },
          specDims: [],
          skus: [{ specValues: [], price: 5000, stock: 200_000, lowStockThreshold: 0, weightG: 500 }],
          status: 'on_sale',
        },
      }),
      201,
      'create product',
    );
    return p.skus[0].id;
  };
  const warmSku = await product(`压测预热 ${tag}`);
  const mainSku = await product(`压测秒杀 ${tag}`);

  const shoppers = await createShoppers(SHOPPERS, tag);
  const shoppersFile = path.join(BUILD, 'shoppers.json');
  writeFileSync(shoppersFile, JSON.stringify(shoppers));
  return { admin, warmSku, mainSku, shoppersFile };
}

async function createSale(admin, skuId, allocated, perShopperLimit) {
  const now = Date.now();
  return expect(
    await call('POST', '/admin/v1/flash-sales', {
      token: admin,
      body: {
        skuId,
        salePrice: 1990,
        allocated,
        perShopperLimit,
        startsAt: new Date(now - 60_000).toISOString(),
        endsAt: new Date(now + 3600_000).toISOString(),
        reservationTtlSeconds: 3600,
      },
    }),
    201,
    'createFlashSale',
  );
}

/**
 * Orders one run may create locally when every order carries its own delayed payment-timeout
 * message (code from before `orders.payment_timeouts`; see where (c) picks its allocation): the
 * broker failed at ~7,800 of them on 7 Dec. Code that sends one timeout per delivery of orders
 * (≤ 1 per 20) keeps far fewer timers, and gets the larger budget.
 */
const LOCAL_BROKER_ORDER_BUDGET = { perOrderTimeouts: 6_000, batchedTimeouts: 100_000 };
/** Whether the built Worker sends one delayed timeout per batch of flash-sale orders (set after the build). */
let BATCHED_TIMEOUTS = true;
/** Half of what the warm-up rate would reserve in the measured window, so the run also spends time sold out. */
function autoAllocated(warmRps, max = 100_000) {
  return Math.max(100, Math.min(max, Math.round((warmRps * DURATION) / 2 / 100) * 100));
}
/** A per-shopper limit that leaves the shoppers room for ~1.25× the units: the pool runs out first. */
const limitFor = (allocated, max = 100) => Math.min(max, Math.max(1, Math.ceil((allocated * 1.25) / SHOPPERS)));

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// (d) the peer

function ensureRedisServer() {
  try {
    execFileSync('redis-server', ['--version']);
    return;
  } catch {
    /* missing */
  }
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    log("redis-server is missing: installing Debian's redis-server with apt-get…");
    execFileSync(
      'bash',
      ['-c', 'apt-get install -y -qq redis-server >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq redis-server)'],
      { stdio: 'inherit' },
    );
    return;
  }
  throw new Error(
    'redis-server not found: install it (Debian: apt-get install redis-server), or skip the peer with --only hello,noop,reserve',
  );
}

async function runPeer() {
  ensureRedisServer();
  const redisPort = await freePort();
  const peerPort = await freePort();
  const redisDir = path.join(BUILD, 'redis');
  mkdirSync(redisDir, { recursive: true });
  // Not durable on purpose: this is how the classic design is usually benchmarked (and run).
  const redis = spawn(
    'redis-server',
    [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      redisDir,
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    },
  );
  children.add(redis);
  redis.on('exit', () => children.delete(redis));
  await waitFor(
    () =>
      new Promise((r) =>
        net
          .connect(redisPort, '127.0.0.1')
          .once('connect', function () {
            this.destroy();
            r(true);
          })
          .once('error', () => r(false)),
      ),
    'redis-server',
  );

  const { createClient } = await import('redis');
  const rc = createClient({ url: `redis://127.0.0.1:${redisPort}` });
  await rc.connect();

  const peer = spawn(process.execPath, [path.join(BENCH, 'peer', 'server.mjs')], {
    env: { ...process.env, PORT: String(peerPort), REDIS_URL: `redis://127.0.0.1:${redisPort}` },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  children.add(peer);
  peer.on('exit', () => children.delete(peer));
  const url = `http://127.0.0.1:${peerPort}`;
  await waitFor(async () => (await fetch(`${url}/hello`)).ok, 'peer server');
  const peerPids = () => [peer.pid, redis.pid];
  log(`peer: node:http on ${url}, redis-server on ${redisPort} (no persistence)`);
  const setSale = async (name, stock, limit) => {
    await rc.del(`fs:{${name}}:held`);
    await rc.set(`fs:{${name}}:stock`, String(stock));
    await rc.set(`fs:{${name}}:limit`, String(limit));
  };

  log('(d0) peer hello …');
  results.peerHello = {
    label: '(d0) peer hello: node:http `GET /hello`',
    ...(await measure(
      {
        name: 'peer-hello',
        url,
        kind: 'plain',
        method: 'GET',
        path: '/hello',
        connections: CONNECTIONS,
        duration: DURATION,
        warmup: WARMUP,
      },
      peerPids,
    )),
  };

  // warm-up against its own sale, which also gives the rate for "auto"
  await setSale('warm', 1_000_000_000, 1_000_000);
  log('(d) peer reserve warm-up …');
  const warm = await load(
    {
      name: 'peer-warm',
      url,
      kind: 'peer-reserve',
      path: '/reserve?sale=warm',
      shoppers: SHOPPERS,
      keyPrefix: 'pw',
      connections: CONNECTIONS,
      duration: Math.max(1, WARMUP),
      warmup: 0,
    },
    peerPids,
  );
  const allocated = ALLOCATED === 'auto' ? autoAllocated(warm.rps, 10_000_000) : ALLOCATED;
  const limit = limitFor(allocated, 1_000_000);
  await setSale('main', allocated, limit);
  log(`(d) peer reserve: stock ${fmtInt(allocated)}, limit ${limit}/shopper …`);
  const r = await measure(
    {
      name: 'peer-reserve',
      url,
      kind: 'peer-reserve',
      path: '/reserve?sale=main',
      warmupPath: '/reserve?sale=warm',
      probePath: '/reserve?sale=warm',
      shoppers: SHOPPERS,
      keyPrefix: 'pm',
      connections: CONNECTIONS,
      duration: DURATION,
      warmup: 1,
    },
    peerPids,
  );
  const left = Number(await rc.get('fs:{main}:stock'));
  const held = (await rc.hVals('fs:{main}:held')).reduce((a, v) => a + Number(v), 0);
  const reserved = r.counts.reserved;
  results.peerReserve = {
    label: '(d) peer reserve: Redis Lua check-limit + DECR',
    ...r,
    allocated,
    perShopperLimit: limit,
    oversold: Math.max(0, reserved - allocated),
    check: { left, held, consistent: left >= 0 && held === allocated - left && held === reserved },
  };
  await rc.quit().catch(() => {});
  killTree(peer, 'SIGTERM');
  killTree(redis, 'SIGTERM');
}

// ---------------------------------------------------------------------------------------------
// (b3) the SKU DO's decision alone: POST /bench/do-reserve (bench/worker.ts) calls the real
// SkuStock.reserve() for a bench sale on a bench SKU id; no app code, no auth, no order.

async function runDoReserve(wpids) {
  const tag = randomBytes(3).toString('hex');
  // the warm-up (and the 1-connection probe) go to another SKU id, i.e. another DO, so the measured
  // DO holds exactly the measured run's reservations
  const mainSku = `bench-sku-${tag}`;
  const warmSku = `bench-sku-warm-${tag}`;
  const configure = async (sku) => expect(await call('POST', `/bench/do-sale?sku=${sku}`), 200, 'configureSale (bench)').config;
  const stats = async (sku) => expect(await call('GET', `/bench/do-sale?sku=${sku}`), 200, 'bench sale snapshot');
  await configure(warmSku);
  const config = await configure(mainSku);
  const before = await stats(mainSku);
  log(
    `(b3) DO decision alone: SkuStock("${mainSku}"), sale ${config.saleId}, allocated ${fmtInt(config.allocated)}, limit ${fmtInt(config.perShopperLimit)}/shopper, ${fmtInt(SHOPPERS)} shopper ids …`,
  );
  const r = await measure(
    {
      name: 'do-reserve',
      url: BASE,
      kind: 'do-reserve',
      path: `/bench/do-reserve?sku=${mainSku}`,
      warmupPath: `/bench/do-reserve?sku=${warmSku}`,
      probePath: `/bench/do-reserve?sku=${warmSku}`,
      shoppers: SHOPPERS,
      keyPrefix: 'dm',
      connections: CONNECTIONS,
      duration: DURATION,
      warmup: WARMUP,
    },
    wpids,
  );
  // the probe ran for 2 s after the measured run, so nothing of it is still in flight; be sure anyway
  await sleep(500);
  const after = await stats(mainSku);
  const snap = after.snapshot;
  const taken = snap ? snap.allocated - snap.remaining : null;
  const reserved = r.counts.reserved;
  const inFlight = taken == null ? null : taken - reserved;
  const flushes = after.flushCount == null || before.flushCount == null ? null : after.flushCount - before.flushCount;
  results.doReserve = {
    label: '(b3) DO decision alone: `POST /bench/do-reserve`, the SKU DO’s `reserve()` made durable, no app code',
    ...r,
    allocated: config.allocated,
    perShopperLimit: config.perShopperLimit,
    oversold: Math.max(0, reserved - config.allocated, (taken ?? 0) - config.allocated),
    sku: mainSku,
    saleId: config.saleId,
    flushes,
    check: {
      taken,
      inFlight,
      snapshot: snap,
      consistent: snap != null && taken <= config.allocated && inFlight >= 0 && inFlight <= CONNECTIONS && r.counts.replayed === 0,
    },
  };
  log(
    `(b3) ${fmtInt(r.rps)} req/s; the DO took ${fmtInt(taken)}, 2xx ${fmtInt(reserved)}${flushes != null ? `; ${fmtInt(flushes)} committed batches` : ''}`,
  );
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const m = machine();
  log(
    `${m.nproc} cores (${m.model}), node ${m.node}, workerd ${m.workerd}; ${CONNECTIONS} connections × ${DURATION} s (+${WARMUP} s warm-up)`,
  );
  if (m.dirty)
    log('note: the working tree has uncommitted changes under workers/, durable-objects/ or migrations/; they are what gets measured');

  let served = null;
  const needWorker = args.serve || ONLY.has('hello') || ONLY.has('noop') || ONLY.has('d1') || ONLY.has('do-reserve') || ONLY.has('reserve');
  if (needWorker) {
    const built = await build();
    BATCHED_TIMEOUTS = readFileSync(built.entry, 'utf8').includes('orders.payment_timeouts');
    served = await serve(built);
    QUEUE_INFO = served.queueInfo;
  } else {
    rmSync(BUILD, { recursive: true, force: true });
    mkdirSync(BUILD, { recursive: true });
  }
  const wpids = () => workerdPids;

  if (args.serve) {
    const shop = await setupShop(served.secrets);
    const sale = await createSale(shop.admin, shop.warmSku, 100_000, 100);
    const info = {
      url: BASE,
      adminToken: shop.admin,
      saleId: sale.id,
      reservePath: `/store/v1/flash-sales/${sale.id}/reserve`,
      shoppersFile: shop.shoppersFile,
      workerdLog: path.join(BUILD, 'workerd.log'),
      workerdPids,
    };
    writeFileSync(path.join(BUILD, 'serve.json'), JSON.stringify(info, null, 2));
    log(`serving; details in bench/.build/serve.json:\n${JSON.stringify({ ...info, adminToken: '…' }, null, 2)}\nCtrl-C stops.`);
    await new Promise(() => {}); // until a signal
  }
  if (ONLY.has('hello')) {
    log('(a) hello …');
    results.hello = {
      label: '(a) hello: `GET /bench/hello`, no app code',
      ...(await measure(
        {
          name: 'hello',
          url: BASE,
          kind: 'plain',
          method: 'GET',
          path: '/bench/hello',
          connections: CONNECTIONS,
          duration: DURATION,
          warmup: WARMUP,
        },
        wpids,
      )),
    };
  }
  if (ONLY.has('noop')) {
    log('(b) no-op DO …');
    results.noop = {
      label: '(b) no-op DO: `POST /bench/noop-do`, one RPC returning 1',
      ...(await measure(
        {
          name: 'noop',
          url: BASE,
          kind: 'plain',
          method: 'POST',
          path: '/bench/noop-do',
          connections: CONNECTIONS,
          duration: DURATION,
          warmup: WARMUP,
        },
        wpids,
      )),
    };
  }
  if (ONLY.has('d1')) {
    log('(b2) one D1 query …');
    results.d1 = {
      label: '(b2) one D1 query: `GET /bench/d1`, `SELECT 1`',
      ...(await measure(
        {
          name: 'd1',
          url: BASE,
          kind: 'plain',
          method: 'GET',
          path: '/bench/d1',
          connections: CONNECTIONS,
          duration: DURATION,
          warmup: WARMUP,
        },
        wpids,
      )),
    };
  }
  if (ONLY.has('do-reserve')) await runDoReserve(wpids);
  if (ONLY.has('reserve')) {
    const shop = await setupShop(served.secrets);
    const warmSale = await createSale(shop.admin, shop.warmSku, 100_000, 100);
    const warmPath = `/store/v1/flash-sales/${warmSale.id}/reserve`;
    log('(c) reserve warm-up (separate sale, separate SKU/DO) …');
    const warmS = Math.max(2, WARMUP);
    let warmEndAt = null;
    const warm = await load(
      {
        name: 'reserve-warm',
        url: BASE,
        kind: 'reserve',
        path: warmPath,
        shoppersFile: shop.shoppersFile,
        keyPrefix: 'bw',
        connections: CONNECTIONS,
        duration: warmS,
        warmup: 0,
      },
      wpids,
      { onMark: (m) => m === 'end' && (warmEndAt = Date.now()) },
    );
    warmEndAt ??= Date.now();
    if (warm.requests > 0 && !warm.counts.reserved)
      throw new Error(`(c) warm-up reserved nothing: ${statusSummary(warm)} ${JSON.stringify(warm.counts.otherSamples)}`);
    // The rate for "auto" from what the DO took (includes requests still in flight at the stop,
    // which matter when the first wave is slow), not from the responses autocannon counted.
    await sleep(Math.min(10_000, Math.max(1000, 2 * (warm.latency.max ?? 0))));
    const warmTaken = await takenByDoOf(warmSale.id, 100_000);
    const warmRate = warmTaken == null ? warm.rps : warmTaken / warmS;
    log(`(c) warm-up: the DO took ${fmtInt(warmRate * warmS)} units in ${warmS} s (${fmtInt(warmRate)}/s while selling)`);
    // The warm-up's orders are still being written by the settlement consumer: let it finish, so
    // the measured run does not start with a backlog (and the machine is idle again).
    const warmTakenNow = () => takenByDoOf(warmSale.id, 100_000);
    log('(c) waiting for the settlement consumer to write the warm-up’s orders …');
    const warmOrders = await settleOrders(warmSale.id, warmTakenNow, warmEndAt);
    if (warmOrders)
      log(
        `(c) warm-up: ${fmtInt(warmOrders.n)}/${fmtInt(warmOrders.target)} orders in D1, the last seen ${warmOrders.lastSeenS?.toFixed(1) ?? '–'} s after the warm-up ended${warmOrders.afterEndRatePerS ? ` (${fmtInt(warmOrders.afterEndRatePerS)} orders/s after it)` : ''}`,
      );

    // Miniflare's local queue broker keeps one timer per delayed message. Seen on 7 Dec: past
    // ~7,800 of them in one run every send to the broker fails with 500 (likely a cap on timers per
    // isolate), and the run's orders then wait for the reconciliation backstop. Code whose orders
    // each carry a delayed payment timeout keeps "auto" under a budget. (The levers' rows do not use
    // "auto": runLevers gives each this run's allocation, whatever it costs their older code.)
    const budget = Math.max(500, LOCAL_BROKER_ORDER_BUDGET[BATCHED_TIMEOUTS ? 'batchedTimeouts' : 'perOrderTimeouts'] - (warmTaken ?? 0));
    const allocated = ALLOCATED === 'auto' ? Math.min(autoAllocated(warmRate), Math.floor(budget / 100) * 100) : ALLOCATED;
    if (ALLOCATED === 'auto' && allocated < autoAllocated(warmRate))
      log(
        `(c) allocation capped at ${fmtInt(allocated)} (the local queue broker's timer budget; the warm-up made ${fmtInt(warmTaken ?? 0)} orders)`,
      );
    const limit = limitFor(allocated);
    const sale = await createSale(shop.admin, shop.mainSku, allocated, limit);
    // bring the measured sale's DO up (as a storefront listing would) before the clock starts
    expect(await call('GET', '/store/v1/flash-sales'), 200, 'listFlashSales');
    log(`(c) reserve: sale ${sale.id}, allocated ${fmtInt(allocated)}, limit ${limit}/shopper, ${fmtInt(SHOPPERS)} shoppers …`);
    // D1 is polled for the sale's orders from the start of the measured window (4 cheap queries/s).
    let poller = null;
    let startAt = null;
    let endAt = null;
    const cfg = {
      name: 'reserve',
      url: BASE,
      kind: 'reserve',
      path: `/store/v1/flash-sales/${sale.id}/reserve`,
      warmupPath: warmPath,
      probePath: warmPath,
      shoppersFile: shop.shoppersFile,
      keyPrefix: 'bm',
      connections: CONNECTIONS,
      duration: DURATION,
      warmup: 1,
    };
    const r = await load(cfg, wpids, {
      onMark: (m) => {
        if (m === 'start') {
          startAt = Date.now();
          poller = pollOrders(sale.id);
        } else endAt = Date.now();
      },
    });
    endAt ??= Date.now();
    poller ??= pollOrders(sale.id);
    // Requests still in flight when the clock stopped are not counted by autocannon but may still
    // reserve: let them finish before asking the DO what it recorded.
    await sleep(Math.min(10_000, Math.max(1000, 2 * (r.latency.max ?? 0))));
    const remainingOf = async () => {
      const t = await takenByDoOf(sale.id, allocated);
      return t == null ? null : allocated - t;
    };
    let remaining = await remainingOf();
    // Then wait for the queue: the sale's pending orders must reach the units the DO took.
    log(`(c) waiting (up to ${ORDER_WAIT_MS / 1000} s after the run) for the settlement consumer to write the sale’s orders …`);
    const orders = await settleOrders(
      sale.id,
      async () => ((remaining = await remainingOf()) == null ? null : allocated - remaining),
      endAt,
      poller,
    );
    // The queue delivers at least once, but a local broker can drop or stall messages under load. The
    // app's backstop is the reconciliation (cron every minute in production; here called once): it
    // writes the order of every reservation whose message never arrived (older than 2 min).
    if (orders && !orders.converged) {
      log('(c) orders did not all arrive through the queue: running the reconciliation backstop …');
      const rep = expect(
        await call('POST', `/admin/v1/flash-sales/${sale.id}/reconcile`, { token: shop.admin }),
        200,
        'reconcileFlashSale',
      );
      const again = await ordersOf(sale.id);
      orders.backstop = { ordersWritten: rep.repaired.ordersWritten, released: rep.repaired.released, agree: rep.agree, queued: orders.n };
      orders.n = again.n;
      orders.units = again.units;
      orders.converged = orders.target != null && again.units === orders.target;
    }
    // everything the consumer wrote (both sales) while the load was measured
    const inWindow = (() => {
      const s = poller.samples;
      const a = [...s].reverse().find((x) => x.at <= startAt + 500) ?? s[0];
      const b = [...s].reverse().find((x) => x.at <= endAt) ?? null;
      return a && b && b.at > a.at ? { orders: b.total - a.total, seconds: (b.at - a.at) / 1000 } : null;
    })();
    if (orders)
      log(
        `(c) orders: ${fmtInt(orders.n)} (${fmtInt(orders.units)} units) of ${fmtInt(orders.target)} taken; ${fmtInt(orders.atEnd)} by the end of the run, all seen at +${orders.lastSeenS?.toFixed(2) ?? '–'} s${orders.converged ? '' : ' — NOT CONVERGED'}`,
      );
    const ordersInD1 = orders?.units ?? null;

    const reserved = r.counts.reserved;
    const takenByDo = remaining == null ? null : allocated - remaining;
    // at most one uncounted request per connection was in flight at the stop
    const inFlight = takenByDo == null ? null : takenByDo - reserved;
    const k = r.counts;
    results.reserve = {
      label: '(c) reserve: `reserveFlashSale` (auth, checks, DO decision, order queued; the consumer writes it in the same workerd)',
      ...r,
      allocated,
      perShopperLimit: limit,
      // the worst of what the clients were told, what the DO recorded and what D1 holds
      oversold: Math.max(0, reserved - allocated, (takenByDo ?? 0) - allocated, (ordersInD1 ?? 0) - allocated),
      orders,
      warmOrders,
      inWindow,
      check: {
        remaining,
        takenByDo,
        inFlight,
        ordersInD1,
        consistent:
          remaining != null &&
          remaining >= 0 &&
          inFlight >= 0 &&
          inFlight <= CONNECTIONS &&
          // every 2xx names an order, a different one (the ids follow from the reservation)
          (k.withOrder === 0 || (k.withOrder === reserved && k.uniqueOrders === k.withOrder)) &&
          // and the consumer wrote exactly the units the DO took, no more, no fewer
          (orders == null || k.withOrder === 0 || (orders.converged && orders.units === takenByDo)),
      },
    };
    // the unloaded latency, once the consumer is done (it would otherwise share the cores)
    results.reserve.unloaded = await probe(cfg, wpids);
    const probeEndAt = Date.now();
    const drainWarm = () => settleOrders(warmSale.id, warmTakenNow, Date.now());
    await drainWarm();

    // Where the time goes, one request at a time: on a selling sale (the warm-up's) each shopper
    // first unseen by the isolate for > 30 s (its session is read from D1), then at once again
    // (session cached), then on the sold-out sale; then the consumer writing the selling orders.
    // In groups of 6 shoppers (12 messages, under a batch of 20, sent well within the 1 s batch
    // timeout), each followed by the consumer writing them: the traced requests never share the
    // cores with the consumer.
    if (args['skip-trace']) {
      if (served) await stopServer();
      return finish(m, served, started);
    }
    await sleep(Math.max(0, probeEndAt + 30_500 - Date.now())); // past the 30 s session cache
    const shoppersList = JSON.parse(readFileSync(shop.shoppersFile, 'utf8'));
    const traceShoppers = Array.from(
      { length: 30 },
      (_, i) => shoppersList[(shoppersList.length - 1 - i + shoppersList.length) % shoppersList.length],
    );
    expect(await call('POST', '/bench/queue-trace'), 200, 'queue trace on');
    const cold = [];
    const again = [];
    const soldOut = [];
    const key = (p, i) => `${p}.${String(i).padStart(8, '0')}`;
    for (let g = 0; g < traceShoppers.length; g += 6) {
      const group = traceShoppers.slice(g, g + 6);
      for (const [j, sh] of group.entries()) {
        cold.push(await traceOne(warmPath, sh, key('twc', g + j)));
        again.push(await traceOne(warmPath, sh, key('twa', g + j)));
      }
      for (const [j, sh] of group.entries()) soldOut.push(await traceOne(`/store/v1/flash-sales/${sale.id}/reserve`, sh, key('ts', g + j)));
      await drainWarm();
    }
    const queueTrace = expect(await call('GET', '/bench/queue-trace'), 200, 'queue trace');
    results.reserve.trace = {
      cold: aggregate(cold),
      again: aggregate(again),
      soldOut: aggregate(soldOut),
      consumer: perMessage(queueTrace),
    };
    const { stderrTail } = served.logStats();
    if (stderrTail.length) results.reserve.workerdStderr = stderrTail.join('').slice(-2000);
  }
  if (served) await stopServer();
  return finish(m, served, started);
}

/** After the Worker's paths: the levers' runs, the peer, then the report (and the JSON). */
async function finish(m, served, started) {
  if (LEVERS) results.levers = await runLevers(results.reserve?.allocated);
  if (ONLY.has('peer')) await runPeer();
  if (args.json) writeFileSync(args.json, JSON.stringify(summary(m), null, 2));
  report(m, served, (Date.now() - started) / 1000);
}

// ---------------------------------------------------------------------------------------------
// Levers: (b) and (c) measured at each commit that added one lever to the reserve path

const LEVERS_FILE = path.join(BENCH, 'levers.json');
const LEVERS = !args['no-levers'] && !args.ref && !args.serve && ONLY.has('noop') && ONLY.has('reserve') && existsSync(LEVERS_FILE);

/** The numbers a levers table needs, from one run. */
function summary(m) {
  const pick = (r) =>
    r && {
      rps: r.rps,
      p50: r.requests ? r.latency.p50 : null,
      p99: r.requests ? r.latency.p99 : null,
      cpuPerReq: cpuPerReq(r),
      responses: statusSummary(r),
      oversold: r.oversold ?? null,
      ordersPerS: r.orders?.afterEndRatePerS ?? null,
      cpuMsPerOrder: r.orders?.catchUp?.cpuMsPerOrder ?? null,
      consistent: r.check?.consistent ?? null,
    };
  return { commit: m.commit, ref: args.ref ?? null, noop: pick(results.noop), reserve: pick(results.reserve) };
}

/**
 * Runs this script once per lever commit (built from that commit with --ref, same load flags and
 * the same (c) allocation, no trace, its own build dir and port) and collects their summaries; the
 * current code is this run's own (b) and (c).
 */
async function runLevers(allocated) {
  const levers = JSON.parse(readFileSync(LEVERS_FILE, 'utf8'));
  const out = [];
  for (const lever of levers) {
    log(`lever "${lever.name}" (${lever.ref}) …`);
    const dir = path.join(BENCH, '.build-lever');
    const json = path.join(BENCH, `.lever-${lever.ref}.json`);
    rmSync(json, { force: true });
    const flags = ['--ref', lever.ref, '--only', 'noop,reserve', '-c', CONNECTIONS, '-d', DURATION, '-w', WARMUP, '--shoppers', SHOPPERS];
    // any free port: other benches (or a lingering server) may hold the next one
    const port = await new Promise((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = srv.address().port;
        srv.close(() => resolve(p));
      });
    });
    flags.push('--wait-idle', WAIT_IDLE, '--port', port, '--build-dir', dir, '--no-write', '--no-levers', '--skip-trace', '--json', json);
    // the same allocation as this run's (c), so every row sells the same units and refuses the rest
    if (allocated) flags.push('--allocated', allocated);
    const logFile = path.join(BENCH, `.lever-${lever.ref}.log`);
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, [path.join(BENCH, 'flash.mjs'), ...flags.map(String)], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const sink = createWriteStream(logFile);
      child.stdout.pipe(sink);
      child.stderr.pipe(sink);
      child.on('exit', resolve);
    });
    const got = existsSync(json) ? JSON.parse(readFileSync(json, 'utf8')) : null;
    rmSync(json, { force: true });
    if (code === 0) rmSync(logFile, { force: true });
    else log(`lever "${lever.name}" exited ${code}; its log: ${path.relative(ROOT, logFile)}`);
    out.push({ ...lever, code, ...(got ?? {}) });
    if (got?.reserve)
      log(
        `lever "${lever.name}": (c) ${fmtInt(got.reserve.rps)} req/s, (b) ${fmtInt(got.noop?.rps)} → ${ratio(got.reserve.rps, got.noop?.rps)}`,
      );
  }
  return out;
}

/** The levers table: each lever's commit, then this run (the working tree or HEAD). */
function leversSection(m) {
  const rows = [
    ...(results.levers ?? []),
    { name: 'this run', ref: m.commit, what: 'the code measured above', noop: summary(m).noop, reserve: summary(m).reserve, code: 0 },
  ];
  const ms = (x) => (x == null ? '–' : fmtMs(x));
  return [
    '| lever | commit | what it changed | (b) no-op DO req/s | (c) reserve req/s | (c)/(b) | (c) p50 | (c) p99 | CPU per reserve | orders/s written after the run | consumer CPU per order | oversold |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((l) =>
      l.code !== 0 || !l.reserve
        ? `| ${l.name} | \`${l.ref}\` | ${l.what} | run failed (exit ${l.code}; see bench/.lever-${l.ref}.log) | | | | | | | | |`
        : `| ${l.name} | \`${String(l.ref).slice(0, 10)}\` | ${l.what} | ${fmtInt(l.noop?.rps)} | ${fmtInt(l.reserve.rps)} | ${ratio(l.reserve.rps, l.noop?.rps)} | ${ms(l.reserve.p50)} | ${ms(l.reserve.p99)} | ${l.reserve.cpuPerReq == null ? '–' : `${l.reserve.cpuPerReq.toFixed(3)} ms`} | ${l.reserve.ordersPerS == null ? '–' : fmtInt(l.reserve.ordersPerS)} | ${l.reserve.cpuMsPerOrder == null ? '–' : `${l.reserve.cpuMsPerOrder.toFixed(1)} ms`} | ${l.reserve.oversold ?? '–'}${l.reserve.consistent === false ? ' (inconsistent!)' : ''} |`,
    ),
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

function traceSection(t) {
  if (!t) return 'not run';
  const cols = [
    ['cold', t.cold, `selling, shopper unseen by the isolate for > 30 s (${t.cold.n} requests: ${statusList(t.cold.statuses)})`],
    ['again', t.again, `selling, the same shopper at once again (session cached; ${t.again.n} requests: ${statusList(t.again.statuses)})`],
    ['soldOut', t.soldOut, `sold out (session cached; ${t.soldOut.n} requests: ${statusList(t.soldOut.statuses)})`],
    ...(t.consumer
      ? [
          [
            'consumer',
            t.consumer,
            `settlement consumer, per order it wrote, after the answer (${t.consumer.n} messages in ${t.consumer.batches} batches: ${statusList(t.consumer.statuses)})`,
          ],
        ]
      : []),
  ];
  const kinds = [...new Set(cols.flatMap(([, x]) => Object.keys(x.kinds)))];
  const cell = (x, k) => (x.kinds[k] ? `${x.kinds[k].calls.toFixed(1)} × → ${x.kinds[k].ms.toFixed(1)} ms` : '–');
  const rows = [
    `| | ${cols.map(([, , title]) => title).join(' | ')} |`,
    `| --- |${cols.map(() => ' ---: |').join('')}`,
    `| client-measured latency | ${cols.map(([, x]) => (x.clientMs == null ? '– (no client)' : `${x.clientMs.toFixed(1)} ms`)).join(' | ')} |`,
    `| Worker wall time (waits on I/O; CPU between them is invisible to Date.now()) | ${cols.map(([key, x]) => `${x.wallMs.toFixed(1)} ms${key === 'consumer' ? ' (batch time ÷ messages)' : ''}`).join(' | ')} |`,
    ...kinds.map((k) => `| ${k} round trips | ${cols.map(([, x]) => cell(x, k)).join(' | ')} |`),
  ];
  const list = (x) =>
    Object.entries(x.what)
      .sort((a, b) => b[1] - a[1])
      .map(([w, c]) => `${w} ×${Number(c.toFixed(2))}`)
      .join('; ') || '–';
  return `${rows.join('\n')}

Calls per request, selling, shopper unseen for > 30 s: ${list(t.cold)}.
Selling, same shopper again: ${list(t.again)}.
Sold out: ${list(t.soldOut)}.
${t.consumer ? `Settlement consumer, per \`flash_sales.create_order\` message (the pending order, written from the DO's reservation): ${list(t.consumer)}.` : 'Settlement consumer: not traced.'}

${d1Model(t)}

Traced with \`x-bench-trace: 1\` (bench/worker.ts wraps the bindings; the load never sends it); the consumer's batches were traced through the same wrapper between \`POST\` and \`GET /bench/queue-trace\`, which only these 30 + 30 selling reservations fed. The requests went in groups of 6 shoppers, each group's orders written by the consumer before the next group, so no traced request shared the cores with the consumer. Each binding call is timed from the Worker; the time between calls (JSON, crypto, routing) is CPU that workerd's frozen clock does not show, so client latency − the sum of the round trips ≈ Worker CPU + HTTP.`;
}

const statusList = (o) =>
  Object.entries(o)
    .map(([k, v]) => `${k}×${v}`)
    .join(', ');

/** The (b3) section: the bench sale, the answers, oversold, the DO's own counts and its durable batches. */
function doReserveSection(r) {
  if (!r) return 'not run';
  const k = r.counts;
  const c = r.check;
  const snap = c.snapshot;
  const per = r.flushes ? c.taken / r.flushes : null;
  return [
    `- sale: \`${r.saleId}\` on the real \`SkuStock\` of SKU id \`${r.sku}\` (\`SKU_STOCK.idFromName\`), configured once at setup with \`configureSale\`: allocated **${fmtInt(r.allocated)}**, per-shopper limit ${fmtInt(r.perShopperLimit)}, window now − 1 h … now + 1 h, reservations held 15 min; ${fmtInt(SHOPPERS)} shopper ids in rotation (\`x-user\`), a unique \`Idempotency-Key\` per request, quantity 1, no order details (\`meta\`); ${fmtInt(r.requests)} requests. The warm-up and the 1-connection probe went to another bench SKU id (another DO), so this DO holds exactly the measured run's reservations`,
    `- reserved (2xx) **${fmtInt(k.reserved)}**${k.replayed ? ` (${k.replayed} replayed!)` : ''}; sold out (409) ${fmtInt(k.soldOut)}; limit reached (409) ${fmtInt(k.limitReached)}; other 409 ${fmtInt(k.conflictOther)}; other ${fmtInt(k.other)}${
      Object.keys(k.otherSamples).length
        ? ` — samples: ${Object.entries(k.otherSamples)
            .map(([st, body]) => `${st} \`${body.replace(/`/g, "'").slice(0, 200)}\``)
            .join('; ')}`
        : ''
    }`,
    `- oversold: **${r.oversold}** (the most of: units the DO took, 2xx − allocated, floor 0)`,
    `- cross-check: the DO's snapshot after the run: reserved ${fmtInt(snap?.reserved)}, sold ${fmtInt(snap?.sold)}, remaining ${fmtInt(snap?.remaining)} → taken **${fmtInt(c.taken)}** ≤ allocated ${fmtInt(r.allocated)}; 2xx ${fmtInt(k.reserved)} ${c.inFlight === 0 ? '= taken' : `(${fmtInt(c.inFlight)} more were decided for requests still in flight when the clock stopped, which autocannon does not count; at most ${CONNECTIONS} can be)`} → ${c.consistent ? 'consistent' : '**INCONSISTENT**'}`,
    r.flushes == null
      ? '- durable transactions: not read'
      : `- durable transactions: the DO committed **${fmtInt(r.flushes)}** reservation batches (its \`flushCount\`, read through a bench-only subclass; one SQLite \`transactionSync\` each) for the ${fmtInt(c.taken)} reservations: ≈ ${per == null ? '–' : per.toFixed(1)} reservations per transaction, ≈ ${fmtInt(r.flushes / r.durationS)} transactions/s (plus one \`setAlarm\` write for the first reservation's expiry)`,
  ].join('\n');
}

/**
 * (c) split into what the DO costs and what the Worker's app code costs per request, from (a),
 * (b3), (c) and (c)'s sold-out trace.
 */
function doVsApp() {
  const b3 = results.doReserve;
  const c = results.reserve;
  const cpuA = cpuPerReq(results.hello);
  const cpuB3 = cpuPerReq(b3);
  const cpuC = cpuPerReq(c);
  if (!b3 || !c || cpuA == null || cpuB3 == null || cpuC == null || !c.requests) return null;
  const k = c.counts;
  const doPrice = cpuB3 - cpuA; // the DO call, decision and durable write, above an empty request
  const refused = k.soldOut + k.limitReached;
  const refusedShare = refused / c.requests;
  const soldOutDo = c.trace?.soldOut?.what['durable object: SKU_STOCK.reserve'] ?? null;
  // a limit-reached answer always comes from the DO; a sold-out one only when the isolate has not
  // remembered one in the last second (the trace's sold-out column: at most that share)
  const doCalls = (k.reserved + k.limitReached + k.soldOut * (soldOutDo ?? 1)) / c.requests;
  const doCpu = doCalls * doPrice;
  const appCpu = cpuC - cpuA - doCpu;
  const refusalRate = k.firstSoldOutMs == null ? null : refused / Math.max(0.001, c.durationS - k.firstSoldOutMs / 1000);
  return `What the DO costs and what the Worker's app code costs, per request: (b3) puts every request through the real \`SkuStock.reserve()\` and makes each decision durable before answering, and it ran at ${fmtInt(b3.rps)} req/s with ${cpuB3.toFixed(3)} ms of workerd CPU per request, ${doPrice.toFixed(3)} ms above (a)'s empty request: that is the whole price of a reservation in the DO (the Worker→DO hop, the decision, its share of the batched SQLite commit)${
    b3.serverCpuS == null
      ? ''
      : b3.serverCpuS / b3.durationS < 0.85
        ? `; its workerd used only ${(b3.serverCpuS / b3.durationS).toFixed(2)} cores, so what bounds (b3) is not CPU but the DO deciding one reservation at a time and answering each batch only after its commit`
        : `; its workerd used ${(b3.serverCpuS / b3.durationS).toFixed(2)} cores, about all that workerd's one JavaScript thread (which locally runs the Worker and every DO) takes in any row here, so (b3) is bounded by CPU too`
  }. (c) ran at ${fmtInt(c.rps)} req/s (${ratio(c.rps, b3.rps)} of (b3)) with ${cpuC.toFixed(3)} ms per request, although ${Math.round(100 * refusedShare)}% of its answers were refusals: ${Math.round((100 * k.soldOut) / c.requests)}% sold out${soldOutDo != null ? `, which reached the DO at most ${soldOutDo.toFixed(2)}× per request (the trace's sold-out column: the isolate remembers a sold-out answer for 1 s)` : ''}, ${Math.round((100 * k.limitReached) / c.requests)}% limit reached (decided by the DO)${refusalRate != null ? `; once sold out it refused ≈ ${fmtInt(refusalRate)} requests/s, ${ratio(refusalRate, b3.rps)} of what (b3) managed with a durable DO decision in every request` : ''}. So (c) made at most ≈ ${doCalls.toFixed(2)} DO reserve calls per request, ≈ ${Math.max(0, doCpu).toFixed(3)} ms (${Math.round((100 * Math.max(0, doCpu)) / cpuC)}%) of its CPU per request at (b3)'s price (an upper bound: a refusal writes nothing); the other ≥ ${appCpu.toFixed(3)} ms above (a) (${Math.round((100 * appCpu) / cpuC)}%) is the Worker's app code per request — Hono routing, zod, JWT, the session and address caches and their D1 reads, the rate-limit check, the JSON log line of each success (refusals are only counted) — plus the settlement consumer's work during the window. ${appCpu > doCpu ? 'The DO is not what bounds (c) on this machine; the app code around it is.' : "Here the DO is the larger share of (c)'s CPU."}`;
}

/** What local D1 allows: (b2)'s CPU per query (above hello's) × the D1 calls each side makes. */
function d1Model(t) {
  const d1 = cpuPerReq(results.d1);
  const hello = cpuPerReq(results.hello);
  if (d1 == null || hello == null) return '';
  const perQuery = d1 - hello;
  const calls = (x) => x?.kinds.d1?.calls ?? 0;
  const o = results.reserve?.orders;
  const q = calls(t.consumer);
  const sessionCap = SHOPPERS / 30;
  return `Locally one D1 round trip costs ≈ ${perQuery.toFixed(2)} ms of workerd CPU ((b2) minus (a), per request). A reserve while selling makes ${calls(t.cold).toFixed(1)} of them when the isolate has not seen the shopper's session in the last 30 s (the session read) and ${calls(t.again).toFixed(1)} when it has; sold out, ${calls(t.soldOut).toFixed(1)}. The session cache keeps an entry 30 s from its read (a hit does not extend it), so under load each of the ${fmtInt(SHOPPERS)} shoppers still costs one read per 30 s: at most ${fmtInt(sessionCap)} reads/s ≈ ${((sessionCap * perQuery) / 1000).toFixed(2)} cores of local D1 CPU, whatever the request rate.${
    t.consumer
      ? ` The order's D1 work moved to the settlement consumer: ${q.toFixed(1)} round trips per order (≈ ${(q * perQuery).toFixed(1)} ms of workerd CPU), so local D1 alone caps order writing near ${q ? fmtInt(1000 / (q * perQuery)) : '–'} orders/s per core${o?.afterEndRatePerS ? ` (measured after the load run: ${fmtInt(o.afterEndRatePerS)} orders/s${o.catchUp ? `, with workerd at ${o.catchUp.cores.toFixed(2)} cores and ${o.catchUp.cpuMsPerOrder.toFixed(1)} ms of CPU per order: the D1 round trips are ≈ ${Math.round((100 * q * perQuery) / o.catchUp.cpuMsPerOrder)}% of it, the rest is the consumer's own work (address decryption and encryption, hashing, building the orders) and Miniflare's queue broker` : ''})` : ''}.`
      : ''
  } In production a D1 query is a network round trip to the database instead (latency, not this CPU), so these local numbers say more about the number of round trips than about their cost there.`;
}

function report(m, served, elapsedS) {
  const rows = [results.hello, results.noop, results.d1, results.doReserve, results.reserve, results.peerHello, results.peerReserve].filter(
    Boolean,
  );
  const table = [
    '| path | req/s | p50 | p99 | latency at 1 conn (mean) | responses | oversold | server CPU | server CPU per request | load-gen CPU | other CPU |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${fmtInt(r.rps)} | ${r.requests ? fmtMs(r.latency.p50) : '–'} | ${r.requests ? fmtMs(r.latency.p99) : '–'} | ${r.unloaded ? fmtMs(r.unloaded.mean) : '–'} | ${statusSummary(r)} | ${r.oversold ?? '–'} | ${r.serverCpuS == null ? '–' : `${(r.serverCpuS / r.durationS).toFixed(2)} cores`} | ${cpuPerReq(r) == null ? '–' : `${cpuPerReq(r).toFixed(3)} ms`} | ${(r.loadCpuS / r.durationS).toFixed(2)} cores | ${r.otherCpuS == null ? '–' : `${(r.otherCpuS / r.durationS).toFixed(2)} cores${r.otherCpuS / r.durationS > 0.25 ? ' ⚠' : ''}`} |`,
    ),
  ].join('\n');

  const a = results.hello?.rps;
  const b = results.noop?.rps;
  const c = results.reserve?.rps;
  const d = results.peerReserve?.rps;
  const d0 = results.peerHello?.rps;
  const ratios = [
    `| (b)/(a) no-op DO vs hello | ${ratio(b, a)} | issue's earlier measurement: 0.77× |`,
    `| (b2)/(a) one D1 query vs hello | ${ratio(results.d1?.rps, a)} | |`,
    `| (b3)/(b) DO decision alone vs no-op DO | ${ratio(results.doReserve?.rps, b)} | the DO decision made durable vs a no-op DO round trip |`,
    `| (c)/(a) reserve vs hello | ${ratio(c, a)} | |`,
    `| (c)/(b) reserve vs no-op DO | ${ratio(c, b)} | issue 16's goal: ≥ 0.6× (measured on the landed code when it was filed: 0.05×) |`,
    `| (d)/(d0) peer reserve vs its hello | ${ratio(d, d0)} | issue's earlier measurement: 0.56× |`,
    `| (c)/(d) reserve vs peer reserve | ${ratio(c, d)} | |`,
  ].join('\n');

  const detail = (r, what) => {
    if (!r) return '';
    const k = r.counts;
    const soldPhase =
      k.firstOkMs != null && k.lastOkMs != null && k.lastOkMs > k.firstOkMs
        ? `${fmtInt(k.reserved / ((k.lastOkMs - k.firstOkMs) / 1000))} units/s while stock lasted (first→last success ${((k.lastOkMs - k.firstOkMs) / 1000).toFixed(2)} s)`
        : '–';
    const lines = [
      `- ${what}: allocated **${fmtInt(r.allocated)}**, per-shopper limit ${r.perShopperLimit}, ${fmtInt(SHOPPERS)} shoppers, ${fmtInt(r.requests)} requests`,
      `- reserved (2xx) **${fmtInt(k.reserved)}**${k.replayed ? ` (${k.replayed} replayed!)` : ''}; sold out (409) ${fmtInt(k.soldOut)}; limit reached (409) ${fmtInt(k.limitReached)}; other 409 ${fmtInt(k.conflictOther)}; rate limited (429) ${fmtInt(k.rateLimited)}; other ${fmtInt(k.other)}${
        Object.keys(k.otherSamples).length
          ? ` — samples: ${Object.entries(k.otherSamples)
              .map(([s, body]) => `${s} \`${body.replace(/`/g, "'").slice(0, 200)}\``)
              .join('; ')}`
          : ''
      }`,
      `- sell-through: ${soldPhase}; first sold-out answer at ${k.firstSoldOutMs == null ? '–' : `${(k.firstSoldOutMs / 1000).toFixed(2)} s, then ≈ ${fmtInt((k.soldOut + k.limitReached) / Math.max(0.001, r.durationS - k.firstSoldOutMs / 1000))} refusals/s`}`,
      `- oversold: **${r.oversold}** (${r.check?.remaining !== undefined ? 'the most of: 2xx, units the DO took, units in D1 orders' : 'reserved'} − allocated, floor 0)`,
    ];
    if (r.check?.remaining !== undefined) {
      const o = r.orders;
      lines.push(
        `- answers: ${fmtInt(k.withOrder)} of the 2xx name an order (${fmtInt(k.uniqueOrders)} distinct ids); ${fmtInt(k.orderCreating)} say \`"status":"creating"\` (handed to the settlement queue), ${fmtInt(k.withOrder - k.orderCreating)} carry an order already written (older code wrote some orders in the request)`,
      );
      if (o) {
        const s = (x) => (x == null ? '–' : `${x >= 0 ? '+' : ''}${x.toFixed(2)} s`);
        lines.push(
          `- orders written by the settlement queue's consumer (\`flash_sales.create_order\` on \`${QUEUE_INFO?.queue ?? '?'}\`, max_batch_size ${QUEUE_INFO?.maxBatchSize ?? '?'}, max_batch_timeout ${QUEUE_INFO?.maxBatchTimeout ?? '?'} s, max_retries ${QUEUE_INFO?.maxRetries ?? '?'}, from wrangler.toml): **${fmtInt(o.n)}** pending orders for the sale in D1 holding ${fmtInt(o.units)} units, of the ${fmtInt(o.target)} the DO took → ${o.converged ? (o.backstop ? `**all there** after the reconciliation backstop: the queue delivered ${fmtInt(o.backstop.queued)} within ${ORDER_WAIT_MS / 1000} s, the backstop wrote the other ${fmtInt(o.backstop.ordersWritten)} (their messages never arrived from the local broker), D1 and the DO agree: ${o.backstop.agree}` : '**all arrived**') : `**NOT ALL ARRIVED** within ${ORDER_WAIT_MS / 1000} s of the end of the run${o.backstop ? `, even after the reconciliation backstop (${fmtInt(o.backstop.ordersWritten)} written)` : ''}`}`,
          `- when: ${fmtInt(o.atEnd)} were in D1 when the load run ended, the rest came after it; the poll (D1 every ${ORDER_POLL_MS} ms) saw the last one at **${s(o.lastSeenS)}** after the end of the run (the consumer's own \`created_at\`: first order ${s(o.firstAtS)}, last ${s(o.lastAtS)})`,
          `- write rate: **${o.ratePerS == null ? '–' : fmtInt(o.ratePerS)} orders/s** from the sale's first order to its last (by \`created_at\`, part of it while the load still ran); ${o.afterEndRatePerS == null ? '–' : fmtInt(o.afterEndRatePerS)} orders/s after the run ended, with the machine to itself${
            o.catchUp
              ? ` (workerd used ${o.catchUp.cores.toFixed(2)} cores then: ${o.catchUp.cpuMsPerOrder.toFixed(1)} ms of CPU per order)`
              : ''
          }${
            r.inWindow
              ? `; while the load ran (${r.inWindow.seconds.toFixed(1)} s between polls) the consumer wrote only ${fmtInt(r.inWindow.orders)} orders of either sale (≈ ${fmtInt(r.inWindow.orders / r.inWindow.seconds)}/s; the queue is FIFO, so the 1 s warm-up's orders came before this sale's)`
              : ''
          }`,
          `- the consumer runs in the same workerd process on the same ${os.availableParallelism?.() ?? os.cpus().length} cores as the reserve path: while (c) was measured its work competed with the reserves, and its CPU is part of (c)'s "server CPU". Locally Miniflare's queue broker hands it about one batch of ≤ ${QUEUE_INFO?.maxBatchSize ?? '?'} at a time and the app writes a delivery's orders in one D1 batch (a handful of round trips per delivery, not per order); production Queues scale consumer invocations out with the backlog by default, so this local drain time is not a production prediction${
            r.warmOrders
              ? `. Before the measured run the script waited for the warm-up's ${fmtInt(r.warmOrders.n)} orders (seen complete ${s(r.warmOrders.lastSeenS)} after the warm-up ended${r.warmOrders.afterEndRatePerS ? `, ${fmtInt(r.warmOrders.afterEndRatePerS)} orders/s after it` : ''}), so the run did not start with a backlog`
              : ''
          }`,
        );
      }
      lines.push(
        `- latency at 1 conn: measured after the consumer had caught up, on the selling warm-up sale, with shoppers the isolate last saw during the load run (so mostly a session read each); the consumer writes those requests' orders alongside once 20 are queued or 1 s has passed, so it includes that competition`,
      );
      lines.push(
        `- cross-check: the DO reports remaining ${fmtInt(r.check.remaining)} → taken ${fmtInt(r.check.takenByDo)}; responses said ${fmtInt(k.reserved)} (${fmtInt(r.check.inFlight)} more were in flight when the clock stopped; at most ${CONNECTIONS} can be); ${
          r.check.ordersInD1 == null
            ? 'no order column (promo_id) in D1 yet'
            : `units in the sale's D1 orders after waiting: ${fmtInt(r.check.ordersInD1)}, responses naming an order: ${fmtInt(k.withOrder)}`
        } → ${r.check.consistent ? 'consistent' : '**INCONSISTENT**'}`,
      );
    }
    if (r.check?.left !== undefined)
      lines.push(
        `- cross-check: Redis stock left ${fmtInt(r.check.left)}, units held across shoppers ${fmtInt(r.check.held)}, responses said ${fmtInt(k.reserved)} → ${r.check.consistent ? 'consistent' : '**INCONSISTENT**'}`,
      );
    if (r.workerdStderr) lines.push(`- workerd stderr (tail):\n\n\`\`\`\n${r.workerdStderr}\n\`\`\``);
    return lines.join('\n');
  };

  const listener = served?.listener;
  const md = `# Flash-sale reserve benchmark

Generated by \`npm run bench:flash\` (bench/flash.mjs) — do not edit by hand; rerun it.

- **date**: ${m.date}
- **machine**: ${m.nproc} cores, ${m.model}, ${m.memGiB} GiB RAM, Linux ${m.kernel}
- **software**: Node ${m.node}, workerd ${m.workerd}, Miniflare ${m.miniflare} (wrangler ${m.wrangler}), autocannon ${m.autocannon}${m.redis ? `, redis-server ${m.redis}, node-redis ${m.nodeRedis}` : ''}
- **code**: ${m.commit}${m.dirty ? ' **plus uncommitted changes** in workers/, durable-objects/ or migrations/' : ''}${args.ref ? ` (built from --ref ${args.ref})` : ''}
- **load**: autocannon in its own process, **${CONNECTIONS} connections, ${DURATION} s** per path after ${WARMUP} s warm-up, no pipelining; same settings for every path
- **served by**: ${listener ? `\`${listener.name}\` (pid ${listener.pid}) listening itself on 127.0.0.1:${PORT}` : `workerd on 127.0.0.1:${PORT}`} — a Miniflare \`unsafeDirectSockets\` socket into the worker; no Node process and no Miniflare entry worker in the request path (\`wrangler dev\` adds a Node proxy). Local D1, DO SQLite and R2 live under bench/.build/state. The app's request logs go from workerd's stdout to bench/.build/workerd.log.
- run took ${elapsedS.toFixed(0)} s in total

## Results

${table}

"server CPU" is user+system time of the serving processes (workerd; for the peer: node + redis-server) over the measured window, "load-gen CPU" that of the autocannon process, "other CPU" the rest of the machine's busy time in that window (other processes, plus this script's own small share); the machine has ${m.nproc} cores for all of them. Before each path the script waited up to ${WAIT_IDLE} s for other processes to go quiet; ⚠ marks a row where they still took more than a quarter core, which lowers that row's req/s and widens its latencies.

### Ratios

| ratio | value | note |
| --- | ---: | --- |
${ratios}

${
  results.levers
    ? `### Levers on the reserve path, one at a time

Each lever's commit measured in this same run, built from that commit (\`--ref\`) with the same load and the same (c) allocation (so every row sells the same units and refuses the rest), (b) and (c) only, no trace; the last row is this run's own. Each row is one run of a few seconds on a shared 2-core machine: read differences under ~10% as noise.

${leversSection(m)}

`
    : ''
}### (b3) DO decision alone

${doReserveSection(results.doReserve)}

### (c) reserve

${results.reserve ? detail(results.reserve, 'sale') : 'not run'}
${doVsApp() ? `\n${doVsApp()}\n` : ''}
### Where the time goes in (c), one request at a time

${traceSection(results.reserve?.trace)}

### (d) peer

${results.peerReserve ? detail(results.peerReserve, 'stock') : 'not run'}

The peer has no auth, no idempotency key, no pending order, and its Redis runs with \`--save "" --appendonly no\`: a reservation it acknowledges is gone if Redis restarts. (c) answers only after the DO's SQLite write is durable (the output gate), checks each shopper's session against D1 at least once per 30 s, and its pending orders are written by the settlement queue's consumer in the same workerd (see (c) above for how long that took).

## Earlier numbers (from the issue, same machine, before any code existed)

hello ≈ 5,000 req/s; no-op DO ≈ 3,900 (0.77× hello); a DO doing one SQLite insert per request ≈ 1,250; Redis + Lua ≈ 20,500 behind Node at ≈ 36,000 hello (0.56×).

## What limits each number

- **all rows**: two cores shared by server and load generator. The client's share (the "load-gen CPU" column) is what the fast rows — (a), (d0), (d) — are also bounded by; the slow rows leave the client nearly idle.
- **(a) hello**: workerd's HTTP handling and isolate entry per request, on the cores the load generator leaves it; nothing else runs.
- **(b) no-op DO**: (a) plus one RPC into the DO and back. Locally the DO lives in the same workerd process, so this is the runtime's actor hop (serialisation, scheduling, the DO's input gate), not a network trip; in production the DO is usually in another data centre and the trip costs the round-trip time instead.
- **(b2) one D1 query**: (a) plus one query through the D1 binding. Locally D1 is a SQLite-backed object inside the same workerd, so this is another actor hop plus SQLite; in production it is a network trip to the database's primary (or a read replica).
- **(b3) DO decision alone**: (b) plus the real SKU DO's work for one reservation: the decision in memory (\`rules.decideReserve\`), a new reservation id, and the wait for the batch's SQLite transaction (every reserve decided in the same tick joins one \`transactionSync\`; the reply waits for the commit and the output gate). Locally the durable write is a local SQLite commit (see (b3) above for how many batches it took), not production's replicated storage; the DO's single thread decides one reservation at a time.
- **(c) reserve**: everything the trace above lists — Hono routing, zod validation, JWT verification, the session and delivery-address checks (a D1 read each once per shopper per 30 s per isolate, otherwise cached), the rate-limit check, the isolate-cached sale row, the SKU's DO (one decision at a time; the reservation, which carries the order details, is made durable in coalesced SQLite batches and the reply waits for that write) — plus a JSON request log line for a success (routine refusals are counted and logged once per 10 s). The SKU's DO hands the \`flash_sales.create_order\` messages to the settlement queue itself, one sendBatch per committed batch (its outbox), so the request sends nothing. The pending D1 order is never written in the request: the queue's consumer writes a delivery's orders in one D1 batch (the trace's last column: its round trips per order), in the same workerd on the same cores, so during the run it competes with the reserves for CPU (workerd's thread serves both; under this load the consumer got little of it, see (c) above) and its CPU is inside (c)'s "server CPU". Locally every D1 query is an actor hop plus SQLite inside the same workerd (see (b2)); local SQLite durability is a local disk write, not production's replicated storage.
- **(d) peer**: one Node event loop (JSON, HTTP parsing) plus one Redis round trip; Redis itself executes the Lua in microseconds and is far from its limit.

## How to run

\`\`\`
npm run bench:flash                       # all paths, 64 connections, 10 s each (+3 s warm-up)
npm run bench:flash -- -c 128 -d 20       # other concurrency / duration
npm run bench:flash -- --only reserve     # just (c)
npm run bench:flash -- --only do-reserve  # just (b3)
npm run bench:flash -- --ref HEAD         # measure the last commit, not the working tree
\`\`\`

See bench/README.md for every flag.
`;

  console.log('\n' + table + '\n\n| ratio | value | note |\n| --- | ---: | --- |\n' + ratios + '\n');
  if (results.levers) console.log('Levers on the reserve path, one at a time:\n\n' + leversSection(m) + '\n');
  if (results.doReserve) console.log('(b3) DO decision alone:\n' + doReserveSection(results.doReserve) + '\n');
  if (results.reserve) console.log(detail(results.reserve, '(c) sale') + '\n');
  if (doVsApp()) console.log(doVsApp() + '\n');
  if (results.reserve?.trace)
    console.log('Where the time goes in (c), one request at a time:\n\n' + traceSection(results.reserve.trace) + '\n');
  if (results.peerReserve) console.log(detail(results.peerReserve, '(d) stock') + '\n');
  if (!args['no-write']) {
    writeFileSync(args.out, md);
    log(`wrote ${path.relative(ROOT, args.out)}`);
  }
}

let exitCode = 0;
try {
  await main();
  const oversold = [results.doReserve, results.reserve, results.peerReserve].filter((r) => r && r.oversold > 0);
  const inconsistent = [results.doReserve, results.reserve, results.peerReserve].filter((r) => r && r.check && !r.check.consistent);
  if (oversold.length) {
    console.error(`[bench] OVERSOLD: ${oversold.map((r) => `${r.label}: ${r.oversold}`).join('; ')}`);
    exitCode = 2;
  } else if (inconsistent.length) {
    console.error(`[bench] cross-check failed: ${inconsistent.map((r) => r.label).join('; ')}`);
    exitCode = 2;
  }
} catch (e) {
  console.error(`[bench] error: ${e?.stack ?? e}`);
  exitCode = 1;
} finally {
  await cleanup();
  if (!args['keep-state'] && exitCode === 0) rmSync(BUILD, { recursive: true, force: true });
}
process.exit(exitCode);
