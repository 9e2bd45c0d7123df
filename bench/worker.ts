// Bench entry (never deployed): the real edgemall Worker plus bench-only routes that give the
// measurements their floor and ceiling. Built by bench/flash.mjs with `wrangler deploy --dry-run`
// from a config generated out of wrangler.toml (same bindings) plus the BENCH_NOOP namespace.
//
//   GET  /bench/hello    → "ok" straight from fetch: no Hono, no middleware, no bindings
//                          (the runtime's ceiling for this machine and load generator);
//   POST /bench/noop-do  → one RPC to one SQLite-backed Durable Object that returns 1 and
//                          touches no storage (the price of a Worker→DO round trip);
//   GET  /bench/d1       → one `SELECT 1` through the D1 binding (locally D1 is itself a
//                          SQLite-backed object in the same workerd: the price of one query hop);
//   POST /bench/do-sale?sku=ID → configures the bench sale `bench-sale:ID` on the real SkuStock DO
//                          of that (bench-only) SKU id: 10,000,000 units, 1,000,000 per shopper,
//                          now−1 h … now+1 h, 15 min reservations (idempotent: first config wins);
//   GET  /bench/do-sale?sku=ID → that sale's snapshot and the DO's committed reservation batches
//                          (`flushCount`, read through the bench-only subclass below);
//   POST /bench/do-reserve?sku=ID → the SKU DO's reserve() RPC for that sale and nothing else: no
//                          app code, no auth; shopperId from `x-user` (else rotating over 2,000
//                          ids), idempotency key from `idempotency-key` (else a fresh UUID);
//                          200 on ok, 409 (with the reason) otherwise;
//   GET  /bench/flash-orders?sale=ID → the sale's pending D1 orders (count, units, first/last
//                          created_at) and all orders: what bench/flash.mjs polls while the
//                          settlement queue's consumer writes them (over HTTP, not Miniflare's
//                          synchronous binding proxy, which can deadlock with workerd's log pipe);
//   GET  /bench/checkout-orders?key=PREFIX → the checkouts whose Idempotency-Key starts with
//                          PREFIX, their orders and order lines, and all orders: what
//                          bench/everyday.mjs counts after its createOrder run;
//   anything else        → the real app, unchanged.
//
// A request with the header `x-bench-trace: 1` runs the real app with its bindings wrapped so
// that every D1 round trip, DO call, queue send and rate-limit check is counted and timed; the
// totals come back in the `x-bench-trace` response header (JSON). The load never sends it.
//
// Queue consumer batches are traced the same way between `POST /bench/queue-trace` (resets and
// starts) and `GET /bench/queue-trace` (the totals so far, per message type). Off by default, so
// the consumer runs unwrapped while the load is measured.
import { DurableObject } from 'cloudflare:workers';
import realWorker, { SkuStock as AppSkuStock } from '../workers/index';
import type { Env } from '../workers/shared/env';

/**
 * The real SkuStock, unchanged, plus one bench-only read: how many reservation batches it has
 * committed since it started (its private `flushCount`: one SQLite transaction per batch).
 * Exported under the real name, so the SKU_STOCK binding of wrangler.toml serves it for every SKU.
 */
export class SkuStock extends AppSkuStock {
  benchFlushCount(): number {
    return (this as unknown as { flushCount: number }).flushCount;
  }
}

export class BenchNoop extends DurableObject {
  noop(): number {
    return 1;
  }
}

type BenchEnv = Env & { BENCH_NOOP: DurableObjectNamespace<BenchNoop> };

const benchSkuStub = (env: Env, sku: string) => env.SKU_STOCK.get(env.SKU_STOCK.idFromName(sku)) as unknown as DurableObjectStub<SkuStock>;
const benchSaleId = (sku: string) => `bench-sale:${sku}`;
let benchShopperSeq = 0;

// ---------------------------------------------------------------------------------------------
// Tracing (bench only)

type Tally = Record<string, { calls: number; ms: number; what: Record<string, number> }>;

function tracer() {
  const tally: Tally = {};
  const note = (kind: string, what: string, ms: number) => {
    const t = (tally[kind] ??= { calls: 0, ms: 0, what: {} });
    t.calls++;
    t.ms += ms;
    t.what[what] = (t.what[what] ?? 0) + 1;
  };
  // Date.now() only moves across I/O in workerd, which is exactly what these calls are.
  const timed = async <T>(kind: string, what: string, p: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await p();
    } finally {
      note(kind, what, Date.now() - t0);
    }
  };
  return { tally, timed };
}

/** "select from sessions", "insert into orders", … */
const sqlVerb = (sql: string) => {
  const verb = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase() ?? 'sql';
  const m = /\b(from|into|update)\s+[`"]?(\w+)/i.exec(sql);
  return m ? `${verb} ${m[1]!.toLowerCase() === 'update' ? '' : `${m[1]!.toLowerCase()} `}${m[2]}` : verb;
};

const sqlOf = new WeakMap<object, string>();

function traceStatement(st: D1PreparedStatement, sql: string, timed: ReturnType<typeof tracer>['timed']): D1PreparedStatement {
  sqlOf.set(st, sql);
  const s = st as unknown as Record<string, unknown>;
  const bind = st.bind.bind(st);
  s.bind = (...v: unknown[]) => traceStatement(bind(...v), sql, timed);
  for (const m of ['first', 'all', 'run', 'raw'] as const) {
    const orig = (st as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[m]!.bind(st);
    s[m] = (...a: unknown[]) => timed('d1', sqlVerb(sql), () => orig(...a));
  }
  return st;
}

function traceEnv(env: BenchEnv) {
  const { tally, timed } = tracer();
  const db = env.DB;
  const DB = new Proxy(db, {
    get(target, prop) {
      if (prop === 'prepare') return (sql: string) => traceStatement(target.prepare(sql), sql, timed);
      if (prop === 'batch')
        return (stmts: D1PreparedStatement[]) =>
          timed('d1', `batch [${stmts.map((x) => sqlVerb(sqlOf.get(x) ?? '?')).join(', ')}]`, () => target.batch(stmts));
      const v = Reflect.get(target, prop);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const stub = (s: object, ns: string) =>
    new Proxy(s, {
      get(target, prop) {
        const v = Reflect.get(target, prop);
        if (typeof prop !== 'string' || prop === 'then' || typeof v !== 'function') return v;
        return (...a: unknown[]) =>
          timed('durable object', `${ns}.${prop}`, () => (target as Record<string, (...x: unknown[]) => Promise<unknown>>)[prop]!(...a));
      },
    });
  const namespace = (n: DurableObjectNamespace, name: string) =>
    new Proxy(n, {
      get(target, prop) {
        if (prop === 'get') return (id: DurableObjectId, o?: unknown) => stub(target.get(id, o as never), name);
        const v = Reflect.get(target, prop);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  const out: Record<string, unknown> = { ...env, DB };
  for (const [k, v] of Object.entries(env)) {
    if (!v || typeof v !== 'object') continue;
    if (k === 'DB') continue;
    if ('idFromName' in v) out[k] = namespace(v as DurableObjectNamespace, k);
    else if ('sendBatch' in v) {
      const q = v as Queue;
      out[k] = {
        send: (b: unknown, o?: QueueSendOptions) => timed('queue', `${k}.send`, () => q.send(b, o)),
        sendBatch: (m: Iterable<MessageSendRequest>, o?: QueueSendBatchOptions) =>
          timed('queue', `${k}.sendBatch`, () => q.sendBatch(m, o)),
      };
    } else if ('limit' in v && typeof (v as RateLimit).limit === 'function') {
      const r = v as RateLimit;
      out[k] = { limit: (o: RateLimitOptions) => timed('rate limit', k, () => r.limit(o)) };
    }
  }
  return { env: out as unknown as BenchEnv, tally };
}

// ---------------------------------------------------------------------------------------------
// Queue consumer tracing (bench only; this isolate serves both fetch and queue locally)

let ordersHavePromo: boolean | undefined;
const queueTrace = { on: false, batches: 0, messages: 0, wallMs: 0, types: {} as Record<string, number>, tally: {} as Tally };

function addTally(into: Tally, from: Tally) {
  for (const [k, t] of Object.entries(from)) {
    const o = (into[k] ??= { calls: 0, ms: 0, what: {} });
    o.calls += t.calls;
    o.ms += t.ms;
    for (const [w, c] of Object.entries(t.what)) o.what[w] = (o.what[w] ?? 0) + c;
  }
}

// ---------------------------------------------------------------------------------------------

export default {
  async fetch(req, env, ctx) {
    const url = new URL(req.url);
    if (url.pathname === '/bench/hello') return new Response('ok');
    if (url.pathname === '/bench/noop-do' && req.method === 'POST') {
      const stub = env.BENCH_NOOP.get(env.BENCH_NOOP.idFromName('bench'));
      const n = await stub.noop();
      return new Response(String(n));
    }
    if (url.pathname === '/bench/d1') {
      const row = await env.DB.prepare('SELECT 1 AS one').first<{ one: number }>();
      return new Response(String(row?.one));
    }
    if (url.pathname === '/bench/do-reserve' && req.method === 'POST') {
      const sku = url.searchParams.get('sku') ?? 'bench-sku';
      const out = await benchSkuStub(env, sku).reserve({
        saleId: benchSaleId(sku),
        shopperId: req.headers.get('x-user') ?? `bench-u${benchShopperSeq++ % 2000}`,
        quantity: 1,
        idempotencyKey: req.headers.get('idempotency-key') ?? crypto.randomUUID(),
      });
      return out.ok ? new Response(out.reservation.id) : Response.json(out, { status: 409 });
    }
    if (url.pathname === '/bench/do-sale') {
      const sku = url.searchParams.get('sku') ?? 'bench-sku';
      const stub = benchSkuStub(env, sku);
      if (req.method === 'POST') {
        const now = Date.now();
        const r = await stub.configureSale({
          saleId: benchSaleId(sku),
          allocated: 10_000_000,
          perShopperLimit: 1_000_000,
          startsAt: now - 3600_000,
          endsAt: now + 3600_000,
          reservationTtlMs: 15 * 60_000,
        });
        return Response.json(r);
      }
      return Response.json({ snapshot: await stub.snapshot(benchSaleId(sku)), flushCount: await stub.benchFlushCount() });
    }
    if (url.pathname === '/bench/flash-orders') {
      ordersHavePromo ??= (await env.DB.prepare('PRAGMA table_info(orders)').all<{ name: string }>()).results.some(
        (c) => c.name === 'promo_id',
      );
      if (!ordersHavePromo) return Response.json(null);
      const row = await env.DB.prepare(
        `SELECT (SELECT count(*) FROM orders WHERE promo_id = ?1) AS n,
                (SELECT coalesce(sum(l.quantity), 0) FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE o.promo_id = ?1) AS units,
                (SELECT min(created_at) FROM orders WHERE promo_id = ?1) AS firstAt,
                (SELECT max(created_at) FROM orders WHERE promo_id = ?1) AS lastAt,
                (SELECT count(*) FROM orders) AS total`,
      )
        .bind(url.searchParams.get('sale') ?? '')
        .first();
      return Response.json(row);
    }
    if (url.pathname === '/bench/checkout-orders') {
      const key = url.searchParams.get('key') ?? '';
      if (!key) return Response.json({ error: 'key=PREFIX is required' }, { status: 400 });
      // substr, not LIKE: the prefix is matched literally, whatever characters it holds
      const row = await env.DB.prepare(
        `SELECT (SELECT count(*) FROM checkouts WHERE substr(idempotency_key, 1, length(?1)) = ?1) AS checkouts,
                (SELECT count(*) FROM orders o JOIN checkouts c ON c.id = o.checkout_id
                   WHERE substr(c.idempotency_key, 1, length(?1)) = ?1) AS orders,
                (SELECT count(*) FROM order_lines l JOIN orders o ON o.id = l.order_id JOIN checkouts c ON c.id = o.checkout_id
                   WHERE substr(c.idempotency_key, 1, length(?1)) = ?1) AS lines,
                (SELECT count(*) FROM orders) AS total`,
      )
        .bind(key)
        .first();
      return Response.json(row);
    }
    if (url.pathname === '/bench/queue-trace') {
      if (req.method === 'POST') Object.assign(queueTrace, { on: true, batches: 0, messages: 0, wallMs: 0, types: {}, tally: {} });
      return Response.json(queueTrace);
    }
    if (req.headers.get('x-bench-trace') === '1') {
      const t = traceEnv(env);
      const t0 = Date.now();
      const res = await realWorker.fetch(req, t.env, ctx);
      const body = await res.arrayBuffer();
      const out = new Response(body, res);
      out.headers.set('x-bench-trace', JSON.stringify({ wallMs: Date.now() - t0, ...t.tally }));
      return out;
    }
    return realWorker.fetch(req, env, ctx);
  },
  async queue(batch, env, ctx) {
    if (!queueTrace.on) return realWorker.queue(batch, env, ctx);
    const t = traceEnv(env);
    const t0 = Date.now();
    try {
      await realWorker.queue(batch, t.env, ctx);
    } finally {
      queueTrace.batches++;
      queueTrace.messages += batch.messages.length;
      queueTrace.wallMs += Date.now() - t0;
      for (const m of batch.messages) {
        const type = String((m.body as { type?: unknown } | null)?.type ?? '?');
        queueTrace.types[type] = (queueTrace.types[type] ?? 0) + 1;
      }
      addTally(queueTrace.tally, t.tally);
    }
  },
  scheduled: (controller, env, ctx) => realWorker.scheduled(controller, env, ctx),
} satisfies ExportedHandler<BenchEnv>;
