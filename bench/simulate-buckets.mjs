#!/usr/bin/env node
// bench/simulate-buckets.mjs — a discrete-event simulation of one flash sale against today's single
// SkuStock Durable Object and against the same allocation split across N bucket DOs (shopper →
// bucket by hash, leftovers rebalanced through a coordinator). It exists so that bench/SCALE.md's
// recommendation rests on numbers that anyone can regenerate, not on arithmetic in prose.
//
// Deterministic (seeded PRNG, no Math.random; the clock only reports the run time on stderr),
// dependency-free, Node ≥ 20. It also exports BASE and simulate() for exploring from a REPL.
//
//   node bench/simulate-buckets.mjs            # print the tables (~20 s of CPU)
//   node bench/simulate-buckets.mjs --write    # ... and regenerate the results section of bench/SCALE.md
//   node bench/simulate-buckets.mjs --runs 9 --seed 7
//   node bench/simulate-buckets.mjs --only burst --set svcMs=0.5 --set maxQueue=5000
//
// What is modelled (every number is a parameter in BASE below; SCALE.md says where each comes from):
//  - shoppers arriving uniformly within a spread (1 s or 10 s), wanting 1 unit (some 2; limit 2);
//    people who retry a 429 / 500 after a doubling, jittered backoff a few times and stop at an
//    answer; a few scripts that hammer every ~300 ms whatever they hear;
//  - the Worker: the per-shopper and per-IP Rate Limiting bindings (fixed 10 s windows, counted
//    exactly — production counts per location and approximately), a per-isolate "sold out" memory
//    of 1 s keyed by (sale, bucket), a Worker↔DO round trip;
//  - each DO as one thread serving a FIFO queue, a fixed service time per decision, the output gate
//    (no reply leaves before the object's earlier writes are durable), and the platform's overload
//    refusals (queue depth, time queued, optionally requests per 10 s);
//  - for N > 1: 'static' (allocation split evenly once, no moves) or 'rebalance' (the same split;
//    a bucket that runs dry asks the coordinator — the SKU's home object — for units: a quiet bucket
//    holds its callers meanwhile, a saturated one refuses at once and asks in the background; the
//    coordinator answers within holdMs from its pool or from a reclaim round in which every other
//    bucket returns its unreserved units beyond what it would sell in the next keepMs, and pushes
//    units found later to buckets it had told "none left").
// Invariants checked on every run (the script exits 2 if one breaks): units reserved ≤ allocated,
// no shopper above the limit, every reserve routed to its shopper's bucket, and units conserved
// (pool + Σ bucket allocations + units in transfer = allocated) at the end.

import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DOC = path.join(HERE, 'SCALE.md');
const BEGIN = '<!-- simulate-buckets:results:begin -->';
const END = '<!-- simulate-buckets:results:end -->';

/** The sale, the crowd, the platform. Scenarios override a few of these. */
const BASE = {
  shoppers: 100_000,
  spreadMs: 1_000,
  allocated: 5_000,
  limit: 2,
  /** share of people asking for 2 units at once (the rest ask for 1) */
  twoShare: 0.2,
  /** scripts: ask for 1 unit every botIntervalMs (±50%), botAttempts times, whatever the answer */
  botShare: 0.01,
  botIntervalMs: 300,
  botAttempts: 15,
  /** people: first tap + up to 3 retries after a 429 or an error, backoff 1 s, 2 s, 4 s (±50%) */
  maxAttempts: 4,
  backoffMs: 1_000,
  /** share of shoppers behind carrier-grade NAT, spread over natIps addresses (the rest: one IP each) */
  natShare: 0.2,
  natIps: 20,
  /** wrangler.toml: FLASH_SHOPPER_LIMITER 10 / 10 s, FLASH_IP_LIMITER 1,000 / 10 s */
  shopperLimit: 10,
  ipLimit: 1_000,
  limitWindowMs: 10_000,
  /** Worker isolates serving the sale; each keeps its own 1 s "sold out" memory */
  isolates: 500,
  soldOutCacheMs: 1_000,
  /** Worker time before the DO call (routing, JWT, session cache, rate limits) */
  workerMs: 3,
  /** Worker ↔ DO round trip, uniform in [lo, hi] ms; DO ↔ DO (bucket ↔ coordinator) likewise */
  rttMs: [10, 50],
  doRttMs: [2, 20],
  /** DO thread time per request it handles (decision, RPC in and out, its share of the SQLite write) */
  svcMs: 1.0,
  /** time for a write to become durable (the output gate holds replies until then) */
  commitMs: 4,
  /** the platform's overload refusals; thresholds not documented (assumed) */
  maxQueue: 1_000,
  maxWaitMs: 5_000,
  maxPer10s: Infinity,
  buckets: 1,
  /** 'single' (today), 'static', 'rebalance' */
  mode: 'single',
  /** rebalance: share of the allocation split across buckets at the start (the rest in the pool) */
  initialShare: 1,
  /** rebalance: asked to give units back, a bucket keeps what it would sell in keepMs at its rate over the last ~1 s */
  keepMs: 50,
  /** rebalance: at most one reclaim round per this many ms */
  reclaimCooldownMs: 50,
  /** rebalance: the coordinator answers a refill within holdMs even while a reclaim round is out */
  holdMs: 100,
  /** rebalance: a bucket told "none left" asks again at most this often (when it has to refuse someone) */
  recheckMs: 200,
  /**
   * rebalance: a dry bucket that handled more than this many requests in the last ~1 s is saturated:
   * it refuses at once and asks for units in the background instead of holding its callers
   */
  busyPerSec: 500,
};

// ---------- deterministic randomness and a stable hash ----------

/** mulberry32: small, fast, seeded; good enough for a simulation (not for anything secret). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, 32 bit: the shopper → bucket hash (any stable hash works; this one is cheap to write anywhere). */
function fnv1a(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const hashCache = [];
const shopperHash = (i) => (hashCache[i] ??= fnv1a(`usr_${i}`));

// ---------- the event queue ----------

/**
 * Min-heap of events ordered by time, then by insertion (so equal times stay FIFO). Events live in
 * slots of parallel typed arrays and the heap holds slot numbers: no object per event, which keeps
 * a 100,000-shopper run to well under a second.
 */
class EventQueue {
  constructor(cap = 1 << 15) {
    this.n = 0;
    this.seq = 0;
    this.used = 0;
    this.freeSlots = [];
    this.alloc(cap);
  }
  alloc(cap) {
    const grow = (Ctor, old) => {
      const x = new Ctor(cap);
      if (old) x.set(old);
      return x;
    };
    this.t = grow(Float64Array, this.t);
    this.s = grow(Float64Array, this.s);
    this.kind = grow(Uint8Array, this.kind);
    this.a = grow(Int32Array, this.a);
    this.heap = grow(Int32Array, this.heap);
    this.b = this.b ?? [];
    this.cap = cap;
  }
  /** Is slot x due before slot y? */
  before(x, y) {
    const tx = this.t[x];
    const ty = this.t[y];
    return tx < ty || (tx === ty && this.s[x] < this.s[y]);
  }
  push(t, kind, a, b) {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      if (this.used === this.cap) this.alloc(this.cap * 2);
      slot = this.used++;
    }
    this.t[slot] = t;
    this.s[slot] = this.seq++;
    this.kind[slot] = kind;
    this.a[slot] = a;
    this.b[slot] = b;
    const h = this.heap;
    let i = this.n++;
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (!this.before(slot, h[up])) break;
      h[i] = h[up];
      i = up;
    }
    h[i] = slot;
  }
  /** The due time of the next event (Infinity when none). */
  peekTime() {
    return this.n ? this.t[this.heap[0]] : Infinity;
  }
  /** Removes the next event and returns its slot; read t/kind/a/b from it, then release(slot). */
  pop() {
    const h = this.heap;
    const top = h[0];
    const last = h[--this.n];
    const n = this.n;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.before(h[r], h[l]) ? r : l;
        if (!this.before(h[c], last)) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
  release(slot) {
    this.b[slot] = null;
    this.freeSlots.push(slot);
  }
}

// event kinds
const ATTEMPT = 0; // a shopper taps "buy" (a = shopper)
const ARRIVE = 1; // a message reaches a DO (a = DO index, b = message)
const FREE = 2; // a DO finished the message it was handling (a = DO index)
const ANSWER = 3; // the Worker has the DO's answer to a reserve (b = message)
const TIMEOUT = 4; // a queued message reached the platform's time limit (a = DO index, b = message)
const RECLAIM_TICK = 5; // the coordinator may start a reclaim round again
const HOLD_DEADLINE = 6; // refills waiting since holdMs get what there is (maybe nothing)

// message types
const RESERVE = 0;
const REFILL = 1; // bucket → coordinator: "I am out, send units"
const GRANT = 2; // coordinator → bucket: the answer to REFILL (or a push), units may be 0
const RECLAIM = 3; // coordinator → bucket: "give back what you are not using"
const RETURNED = 4; // bucket → coordinator: the answer to RECLAIM

/** Every message has the same fields, so the engine sees one object shape (several times faster). */
function message(type, f) {
  return {
    type,
    s: f.s ?? -1,
    q: f.q ?? 0,
    t0: f.t0 ?? 0,
    iso: f.iso ?? 0,
    back: f.back ?? 0,
    from: f.from ?? -1,
    need: f.need ?? 0,
    free: f.free ?? -1,
    units: f.units ?? 0,
    state: 0,
    enq: 0,
    busy: false,
    kind: '',
  };
}

// ---------- one simulated sale ----------

/**
 * Runs one sale to the end (every shopper has given up or been answered) and returns its metrics.
 * Throws if an invariant breaks.
 */
function simulate(p, seed) {
  const rng = mulberry32(seed);
  const uni = (lo, hi) => lo + (hi - lo) * rng();
  const S = p.shoppers;
  const N = p.buckets;
  const A = p.allocated;
  const rebalance = p.mode === 'rebalance' && N > 1;
  const ev = new EventQueue();

  const arrive = new Float64Array(S);
  const want = new Uint8Array(S);
  const bucketOf = new Uint16Array(S);
  const ipOf = new Int32Array(S).fill(-1);
  const isBot = new Uint8Array(S);
  const tries = new Uint8Array(S);
  const held = new Uint8Array(S);
  /** refused (sold out, 429, overloaded) at a moment when ≥ the units they asked for were unreserved somewhere */
  const unjust = new Uint8Array(S);
  const rlWin = new Int32Array(S).fill(-1);
  const rlCount = new Uint16Array(S);
  const ipWin = new Int32Array(p.natIps).fill(-1);
  const ipCount = new Int32Array(p.natIps);
  // first taps uniformly within the spread, generated in order (exponential spacings), so shopper i
  // is the i-th to arrive: the taps stream in beside the event queue instead of filling it
  let sum = 0;
  for (let i = 0; i < S; i++) {
    sum -= Math.log(1 - rng());
    arrive[i] = sum;
  }
  const scale = p.spreadMs / (sum - Math.log(1 - rng()));
  for (let i = 0; i < S; i++) {
    arrive[i] *= scale;
    isBot[i] = rng() < p.botShare ? 1 : 0;
    want[i] = isBot[i] ? 1 : rng() < p.twoShare ? Math.min(2, p.limit) : 1;
    bucketOf[i] = N === 1 ? 0 : shopperHash(i) % N;
    if (rng() < p.natShare) ipOf[i] = Math.floor(rng() * p.natIps);
  }
  const soldOutUntil = new Float64Array(p.isolates * N);

  const newDo = (id) => ({
    id,
    q: [],
    qh: 0,
    depth: 0,
    prio: [],
    busy: false,
    cur: null,
    lastConfirm: 0,
    win: -1,
    winCount: 0,
    peak: 0,
    handled: 0,
    // bucket state
    alloc: 0,
    taken: 0,
    waiters: [],
    refilling: false,
    exhausted: false,
    lastAsk: -Infinity,
    rateWin: -1,
    rateCur: 0,
    ratePrev: 0,
    loadWin: -1,
    loadCur: 0,
    loadPrev: 0,
    // coordinator state
    pool: 0,
    pending: [],
    reclaimOut: 0,
    lastReclaim: -Infinity,
    tickSet: false,
    roundYield: 0,
    lastFree: new Int32Array(N).fill(-1), // what each bucket last said it had unreserved (-1: not heard)
    allOut: false,
    starved: new Set(),
  });
  const dos = [];
  for (let b = 0; b < N; b++) dos.push(newDo(b));
  const coord = rebalance ? newDo(N) : null;
  if (coord) dos.push(coord);
  const split = (units) => {
    for (let b = 0; b < N; b++) dos[b].alloc = Math.floor(units / N) + (b < units % N ? 1 : 0);
  };
  if (rebalance) {
    split(Math.floor(A * p.initialShare));
    coord.pool = A - Math.floor(A * p.initialShare);
  } else split(A);

  let taken = 0;
  let inTransfer = 0;
  let soldOutAt = null;
  let firstDryAt = null; // when a bucket first could not serve a shopper (static / before a refill)
  let strandedAtFirstDry = null; // units unreserved elsewhere at that moment
  const m = {
    attempts: 0,
    ok: 0,
    soldOutDo: 0,
    soldOutCached: 0,
    limitReached: 0,
    rateLimited: 0,
    overloaded: 0,
    refills: 0,
    grants: 0,
    reclaimRounds: 0,
    reclaimMsgs: 0,
    heldForRefill: 0,
  };
  let lat = new Float64Array(1 << 18);
  let latN = 0;
  let winLat = new Float64Array(8192);
  let winN = 0;
  const recordLatency = (v, win) => {
    if (latN === lat.length) {
      const next = new Float64Array(lat.length * 2);
      next.set(lat);
      lat = next;
    }
    lat[latN++] = v;
    if (win) {
      if (winN === winLat.length) {
        const next = new Float64Array(winLat.length * 2);
        next.set(winLat);
        winLat = next;
      }
      winLat[winN++] = v;
    }
  };

  // --- the DO machinery ---

  const svc = (d, msg) => {
    const base = p.svcMs * (0.9 + 0.2 * rng());
    // a grant resumes every caller held for it: each one is a decision on the thread
    return msg.type === GRANT ? base * (1 + d.waiters.length) : base;
  };
  const startNext = (d, now) => {
    let msg = d.prio.length ? d.prio.shift() : null;
    while (!msg && d.qh < d.q.length) {
      const x = d.q[d.qh++];
      if (x.state === 0) {
        d.depth--;
        msg = x;
      }
    }
    if (d.qh > 4096 && d.qh * 2 > d.q.length) {
      d.q = d.q.slice(d.qh);
      d.qh = 0;
    }
    if (!msg) {
      d.busy = false;
      return;
    }
    msg.state = 1;
    d.busy = true;
    d.cur = msg;
    d.handled++;
    ev.push(now + svc(d, msg), FREE, d.id, null);
  };
  /** The moment an outgoing message may leave: the output gate waits for every earlier write. */
  const gate = (d, now, wrote) => {
    if (wrote) d.lastConfirm = Math.max(d.lastConfirm, now + p.commitMs);
    return Math.max(now, d.lastConfirm);
  };
  const doRttHalf = () => uni(p.doRttMs[0], p.doRttMs[1]) / 2;
  const send = (at, to, msg) => ev.push(at, ARRIVE, to, msg);

  const arriveAt = (d, msg, now) => {
    if (msg.type === GRANT || msg.type === RETURNED) {
      // a reply to a call the object made: its continuation, not a new request in the queue
      d.prio.push(msg);
      if (!d.busy) startNext(d, now);
      return;
    }
    const w = Math.floor(now / 10_000);
    if (d.win !== w) {
      d.win = w;
      d.winCount = 0;
    }
    if (d.depth >= p.maxQueue || d.winCount >= p.maxPer10s) {
      // "Durable Object is overloaded": the platform refuses before the object's code sees it
      if (msg.type === RESERVE) {
        msg.kind = 'overloaded';
        ev.push(now + msg.back, ANSWER, null, msg);
      } else if (msg.type === RECLAIM) send(now + msg.back, coord.id, message(RETURNED, { units: 0, from: d.id }));
      else if (msg.type === REFILL) send(now + msg.back + 20, coord.id, msg); // the bucket tries again shortly
      return;
    }
    d.winCount++;
    msg.state = 0;
    msg.enq = now;
    d.q.push(msg);
    d.depth++;
    if (d.depth > d.peak) d.peak = d.depth;
    if (Number.isFinite(p.maxWaitMs) && d.depth * p.svcMs * 1.1 > p.maxWaitMs * 0.8) ev.push(now + p.maxWaitMs, TIMEOUT, d.id, msg);
    if (!d.busy) startNext(d, now);
  };

  const reply = (d, msg, kind, now, wrote) => {
    msg.kind = kind;
    ev.push(gate(d, now, wrote) + msg.back, ANSWER, null, msg);
  };

  const requestRefill = (d, now, need = d.waiters.reduce((n, w) => n + w.q, 0)) => {
    if (d.refilling) return;
    d.refilling = true;
    d.lastAsk = now;
    m.refills++;
    const half = doRttHalf();
    send(gate(d, now, false) + half, coord.id, message(REFILL, { from: d.id, need, free: d.alloc - d.taken, back: half }));
  };

  /** Units sold in the current and the previous half-second window (a cheap ~1 s rate). */
  const countSale = (d, now, q) => {
    const w = Math.floor(now / 500);
    if (w !== d.rateWin) {
      d.ratePrev = w === d.rateWin + 1 ? d.rateCur : 0;
      d.rateCur = 0;
      d.rateWin = w;
    }
    d.rateCur += q;
  };
  const recentSales = (d, now) => {
    const w = Math.floor(now / 500);
    if (w === d.rateWin) return d.rateCur + d.ratePrev;
    return w === d.rateWin + 1 ? d.rateCur : 0;
  };
  /** Counts a reserve call and says whether this bucket is saturated (its rate over the last 100–200 ms). */
  const saturated = (d, now) => {
    const w = Math.floor(now / 100);
    if (w !== d.loadWin) {
      d.loadPrev = w === d.loadWin + 1 ? d.loadCur : 0;
      d.loadCur = 0;
      d.loadWin = w;
    }
    d.loadCur++;
    const span = 100 + (now - w * 100);
    return ((d.loadCur + d.loadPrev) * 1000) / span > p.busyPerSec;
  };

  const decideReserve = (d, msg, now) => {
    const s = msg.s;
    if (bucketOf[s] !== d.id) throw new Error(`shopper ${s} reached bucket ${d.id}, not ${bucketOf[s]}`);
    if (held[s] + msg.q > p.limit) return reply(d, msg, 'limit', now, false);
    if (d.alloc - d.taken >= msg.q) {
      d.taken += msg.q;
      held[s] += msg.q;
      taken += msg.q;
      countSale(d, now, msg.q);
      if (taken > A) throw new Error(`oversold: ${taken} > ${A}`);
      if (taken === A && soldOutAt == null) soldOutAt = now;
      return reply(d, msg, 'ok', now, true);
    }
    if (firstDryAt == null && A - taken >= msg.q) {
      firstDryAt = now;
      strandedAtFirstDry = A - taken - (d.alloc - d.taken);
    }
    if (rebalance && !d.exhausted && !msg.busy) {
      d.waiters.push(msg);
      m.heldForRefill++;
      requestRefill(d, now);
      return;
    }
    // told "none left" earlier: refuse now, but let the coordinator know demand is still here (it
    // pushes units when a reclaim finds some), at most once per recheckMs
    if (rebalance && now - d.lastAsk >= p.recheckMs) requestRefill(d, now, msg.q);
    reply(d, msg, 'sold_out', now, false);
  };

  const grant = (c, to, need, now) => {
    const give = Math.min(c.pool, Math.max(need, Math.ceil(c.pool / N)));
    c.pool -= give;
    inTransfer += give;
    m.grants++;
    if (give === 0) c.starved.add(to);
    else c.starved.delete(to);
    send(gate(c, now, give > 0) + doRttHalf(), to, message(GRANT, { units: give }));
  };

  /** Tells every bucket still waiting that nothing can be moved to it now (it answers "sold out"). */
  const refuseAll = (c, now) => {
    for (const x of c.pending.splice(0)) grant(c, x.from, x.need, now);
  };

  /** Starts a reclaim round unless one is out or the last one was too recent (then a tick retries). */
  const maybeReclaim = (c, now, cooled = false) => {
    if (c.reclaimOut > 0) return;
    if (!cooled && now - c.lastReclaim < p.reclaimCooldownMs) {
      if (!c.tickSet) {
        c.tickSet = true;
        ev.push(c.lastReclaim + p.reclaimCooldownMs, RECLAIM_TICK, c.id, null);
      }
      return;
    }
    c.lastReclaim = now;
    c.roundYield = 0;
    m.reclaimRounds++;
    const asking = new Set(c.pending.map((x) => x.from));
    for (let b = 0; b < N; b++) {
      if (asking.has(b) || c.starved.has(b)) continue;
      c.reclaimOut++;
      m.reclaimMsgs++;
      const half = doRttHalf();
      send(gate(c, now, false) + half, b, message(RECLAIM, { back: half }));
    }
    if (c.reclaimOut === 0) refuseAll(c, now);
  };

  /** Serves waiting refills from the pool, then pushes what is left to buckets told "none left" earlier. */
  const servePending = (c, now) => {
    while (c.pending.length && c.pool > 0) {
      const x = c.pending.shift();
      grant(c, x.from, x.need, now);
    }
    if (!c.pending.length && c.pool > 0) for (const b of [...c.starved]) if (c.pool > 0) grant(c, b, 1, now);
  };

  const handle = (d, msg, now) => {
    switch (msg.type) {
      case RESERVE:
        // a saturated bucket must not hold callers: its "sold out" is what stops the crowd
        if (rebalance) msg.busy = saturated(d, now);
        if (rebalance && d.waiters.length) {
          // callers already waiting for a refill go first: keep arrival order within the bucket
          d.waiters.push(msg);
          m.heldForRefill++;
          return;
        }
        return decideReserve(d, msg, now);
      case GRANT: {
        d.alloc += msg.units;
        inTransfer -= msg.units;
        d.refilling = false;
        if (msg.units === 0) {
          d.exhausted = true;
          for (const w of d.waiters.splice(0)) reply(d, w, 'sold_out', now, false);
          return;
        }
        d.exhausted = false;
        gate(d, now, true); // the grant is written before anyone is answered from it
        const ws = d.waiters.splice(0);
        for (const w of ws) {
          if (d.waiters.length) d.waiters.push(w);
          else decideReserve(d, w, now);
        }
        return;
      }
      case RECLAIM: {
        const free = d.alloc - d.taken;
        // keep what this bucket's own crowd would buy in keepMs at its recent rate: moving units
        // from a bucket that is selling fast only sends them where the crowd was told "sold out"
        const keep = Math.ceil((recentSales(d, now) * p.keepMs) / 1000);
        const give = d.waiters.length || d.refilling ? 0 : Math.max(0, free - keep);
        d.alloc -= give;
        inTransfer += give;
        send(gate(d, now, give > 0) + msg.back, coord.id, message(RETURNED, { units: give, from: d.id, free: free - give }));
        return;
      }
      case REFILL: {
        d.lastFree[msg.from] = msg.free;
        if (d.pool > 0) grant(d, msg.from, msg.need, now);
        else if (d.allOut) grant(d, msg.from, 0, now);
        else {
          // hold the refill while a reclaim round looks for units, but never longer than holdMs:
          // the bucket's callers are waiting, and overloaded buckets answer a reclaim late
          d.pending.push({ from: msg.from, need: msg.need, since: now });
          ev.push(now + p.holdMs, HOLD_DEADLINE, d.id, null);
          maybeReclaim(d, now);
        }
        return;
      }
      case RETURNED: {
        d.pool += msg.units;
        inTransfer -= msg.units;
        d.reclaimOut--;
        d.roundYield += msg.units;
        if (msg.free >= 0) d.lastFree[msg.from] = msg.free;
        if (msg.units > 0) d.allOut = false;
        gate(d, now, msg.units > 0);
        servePending(d, now);
        if (d.reclaimOut === 0 && d.pending.length) {
          // a round that found nothing ends the wait; one that found some (but not enough) may go again
          if (d.roundYield === 0) refuseAll(d, now);
          else maybeReclaim(d, now);
        }
        // every bucket has reported nothing unreserved and the pool is empty: the sale is out
        if (d.reclaimOut === 0 && d.pool === 0 && d.roundYield === 0 && d.lastFree.every((x) => x === 0)) d.allOut = true;
        return;
      }
    }
  };

  // --- the Worker and the shoppers ---

  const answer = (s, kind, now, sentAt) => {
    recordLatency(now - sentAt, kind === 'ok');
    if (kind === 'ok') m.ok++;
    else if (kind === 'sold_out') m.soldOutDo++;
    else if (kind === 'sold_out_cached') m.soldOutCached++;
    else if (kind === 'limit') m.limitReached++;
    else if (kind === '429') m.rateLimited++;
    else if (kind === 'overloaded') m.overloaded++;
    if (kind !== 'ok' && kind !== 'limit' && A - taken >= want[s]) unjust[s] = 1;
    if (isBot[s]) {
      if (tries[s] < p.botAttempts) ev.push(now + p.botIntervalMs * uni(0.5, 1.5), ATTEMPT, s, null);
      return;
    }
    if ((kind === '429' || kind === 'overloaded') && tries[s] < p.maxAttempts)
      ev.push(now + p.backoffMs * 2 ** (tries[s] - 1) * uni(0.5, 1.5), ATTEMPT, s, null);
  };

  const attempt = (s, now) => {
    tries[s]++;
    m.attempts++;
    const w = Math.floor(now / p.limitWindowMs);
    if (rlWin[s] !== w) {
      rlWin[s] = w;
      rlCount[s] = 0;
    }
    if (++rlCount[s] > p.shopperLimit) return answer(s, '429', now + p.workerMs, now);
    const ip = ipOf[s];
    if (ip >= 0) {
      if (ipWin[ip] !== w) {
        ipWin[ip] = w;
        ipCount[ip] = 0;
      }
      if (++ipCount[ip] > p.ipLimit) return answer(s, '429', now + p.workerMs, now);
    }
    const iso = Math.floor(rng() * p.isolates);
    const b = bucketOf[s];
    if (soldOutUntil[iso * N + b] > now) return answer(s, 'sold_out_cached', now + p.workerMs, now);
    const half = uni(p.rttMs[0], p.rttMs[1]) / 2;
    send(now + p.workerMs + half, b, message(RESERVE, { s, q: want[s], t0: now, iso, back: half }));
  };

  let events = 0;
  let nextArrival = 0;
  for (;;) {
    if (++events > 50_000_000) throw new Error('runaway simulation: over 50 million events');
    if (nextArrival < S && arrive[nextArrival] <= ev.peekTime()) {
      attempt(nextArrival, arrive[nextArrival]);
      nextArrival++;
      continue;
    }
    if (!ev.n) break;
    const slot = ev.pop();
    const now = ev.t[slot];
    const kind = ev.kind[slot];
    const ea = ev.a[slot];
    const eb = ev.b[slot];
    ev.release(slot);
    switch (kind) {
      case ATTEMPT:
        attempt(ea, now);
        break;
      case ARRIVE:
        arriveAt(dos[ea], eb, now);
        break;
      case FREE: {
        const d = dos[ea];
        const msg = d.cur;
        d.cur = null;
        handle(d, msg, now);
        startNext(d, now);
        break;
      }
      case ANSWER: {
        const msg = eb;
        if (msg.kind === 'sold_out') {
          const k = msg.iso * N + bucketOf[msg.s];
          soldOutUntil[k] = Math.max(soldOutUntil[k], now + p.soldOutCacheMs);
        }
        answer(msg.s, msg.kind, now, msg.t0);
        break;
      }
      case TIMEOUT: {
        const msg = eb;
        if (msg.state !== 0) break;
        msg.state = 2;
        dos[ea].depth--;
        if (msg.type === RESERVE) {
          msg.kind = 'overloaded';
          ev.push(now + msg.back, ANSWER, null, msg);
        } else if (msg.type === RECLAIM) send(now + msg.back, coord.id, message(RETURNED, { units: 0, from: ea }));
        else if (msg.type === REFILL) send(now + msg.back + 20, coord.id, msg);
        break;
      }
      case RECLAIM_TICK: {
        coord.tickSet = false;
        if (coord.pending.length) maybeReclaim(coord, now, true);
        break;
      }
      case HOLD_DEADLINE: {
        const due = coord.pending.filter((x) => x.since + p.holdMs <= now);
        if (due.length) {
          coord.pending = coord.pending.filter((x) => x.since + p.holdMs > now);
          for (const x of due) grant(coord, x.from, x.need, now);
        }
        break;
      }
    }
  }

  // --- invariants ---
  let allocSum = coord ? coord.pool : 0;
  for (let b = 0; b < N; b++) {
    const d = dos[b];
    if (d.taken > d.alloc) throw new Error(`bucket ${b} took ${d.taken} of ${d.alloc}`);
    allocSum += d.alloc;
    if (d.waiters.length) throw new Error(`bucket ${b} still holds ${d.waiters.length} callers`);
  }
  if (allocSum + inTransfer !== A) throw new Error(`units not conserved: ${allocSum} + ${inTransfer} in transfer ≠ ${A}`);
  let units = 0;
  for (let i = 0; i < S; i++) {
    if (held[i] > p.limit) throw new Error(`shopper ${i} holds ${held[i]} > limit ${p.limit}`);
    units += held[i];
  }
  if (units !== taken) throw new Error(`units held ${units} ≠ units taken ${taken}`);

  // --- fairness (people only: scripts are meant to lose) ---
  const humans = [];
  for (let i = 0; i < S; i++) if (!isBot[i]) humans.push(i); // already in arrival order
  let winners = 0;
  let earliestUnjustLoser = Infinity;
  let unjustLosers = 0;
  for (const i of humans) {
    if (held[i] > 0) winners++;
    else if (unjust[i]) {
      unjustLosers++;
      if (arrive[i] < earliestUnjustLoser) earliestUnjustLoser = arrive[i];
    }
  }
  let firstComeWon = 0;
  let afterUnjust = 0;
  for (let k = 0; k < humans.length; k++) {
    const i = humans[k];
    if (held[i] === 0) continue;
    if (k < winners) firstComeWon++;
    if (arrive[i] > earliestUnjustLoser) afterUnjust++;
  }

  const l = lat.subarray(0, latN).sort();
  const wl = winLat.subarray(0, winN).sort();
  return {
    ...m,
    taken,
    stranded: A - taken,
    soldOutAt,
    firstDryAt,
    strandedAtFirstDry,
    latP50: pct(l, 0.5),
    latP99: pct(l, 0.99),
    winP50: pct(wl, 0.5),
    winP99: pct(wl, 0.99),
    humanWinners: winners,
    unjustLosers,
    afterUnjust: winners ? afterUnjust / winners : 0,
    firstCome: winners ? firstComeWon / winners : 1,
    peakQueue: Math.max(...dos.slice(0, N).map((d) => d.peak)),
    coordHandled: coord ? coord.handled : 0,
  };
}

/** Nearest-rank percentile of a sorted array. */
function pct(sorted, q) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[(s.length - 1) >> 1] : NaN;
};

/** Runs a configuration `runs` times with consecutive seeds; every metric is the median (p50) of the runs. */
function runMany(p, runs, seed) {
  const rs = [];
  for (let r = 0; r < runs; r++) rs.push(simulate(p, seed * 1000 + r));
  const keys = Object.keys(rs[0]);
  const out = {};
  for (const k of keys) out[k] = median(rs.map((x) => (x[k] == null ? Infinity : x[k])));
  out.soldOutRuns = rs.filter((x) => x.soldOutAt != null).length;
  out.runs = runs;
  return out;
}

// ---------- scenarios ----------

const DESIGNS = [
  { label: 'N=1 (today)', buckets: 1, mode: 'single' },
  { label: 'N=4 static', buckets: 4, mode: 'static' },
  { label: 'N=4 rebalanced', buckets: 4, mode: 'rebalance' },
  { label: 'N=16 static', buckets: 16, mode: 'static' },
  { label: 'N=16 rebalanced', buckets: 16, mode: 'rebalance' },
];

const SCENARIOS = [
  {
    id: 'burst',
    title: 'A. 100,000 shoppers within 1 s, production DO cost (1 ms per request ⇒ ~1,000/s per object)',
    over: {},
    extra: [{ label: 'N=64 rebalanced (beyond the brief)', buckets: 64, mode: 'rebalance' }],
  },
  {
    id: 'spread',
    title: 'B. 100,000 shoppers within 10 s, production DO cost',
    over: { spreadMs: 10_000 },
  },
  {
    id: 'local',
    title: 'C. 100,000 shoppers within 1 s, the locally measured DO cost (0.214 ms per request ⇒ ~4,700/s; commit 0.5 ms)',
    over: { svcMs: 0.214, commitMs: 0.5 },
  },
  {
    id: 'thin',
    title:
      'D. Demand ≈ supply: 4,200 shoppers (≈ 5,100 units wanted) within 10 s for the same 5,000 units, production DO cost — where a static split strands units',
    over: { shoppers: 4_200, spreadMs: 10_000 },
  },
];

const SWEEP = {
  title: 'E. Where a second object starts to pay: crowd size within 1 s, production DO cost, 5,000 units',
  crowds: [1_000, 2_000, 3_000, 5_000, 10_000, 20_000, 50_000],
  designs: [DESIGNS[0], DESIGNS[2], DESIGNS[4]],
};

const SENSITIVITY = {
  title: "F. The platform's overload threshold is not documented: scenario A with other queue limits",
  cases: [
    { label: 'queue ≤ 100', over: { maxQueue: 100 } },
    { label: 'queue ≤ 1,000 (default)', over: {} },
    { label: 'queue ≤ 10,000, wait ≤ 5 s', over: { maxQueue: 10_000 } },
    { label: 'no depth limit, wait ≤ 2 s', over: { maxQueue: Infinity, maxWaitMs: 2_000 } },
  ],
  designs: [DESIGNS[0], DESIGNS[4]],
};

// ---------- formatting ----------

const int = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–');
const sec = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(2)} s` : 'not sold out');
const msf = (x) => (Number.isFinite(x) ? (x >= 100 ? `${Math.round(x).toLocaleString('en-US')} ms` : `${x.toFixed(1)} ms`) : '–');
const pctf = (x) => `${(x * 100).toFixed(1)}%`;

function mainTable(rows) {
  const head =
    '| design | sold out at (p50) | units sold | unreserved elsewhere when a bucket first turned someone away | left unsold at the end | answers | 201 | 409 sold out (DO / isolate memory) | 429 | overloaded (500 today) | latency p50 / p99, all answers | latency p50 / p99, wins | people refused while units remained, who got nothing | winners who came after such a person | winners among the first-come | refills / reclaim rounds | peak queue per object |';
  const sep = '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
  const lines = rows.map(
    ({ label, r }) =>
      `| ${label} | ${sec(r.soldOutAt)}${r.soldOutRuns < r.runs && r.soldOutRuns > 0 ? ` (${r.soldOutRuns}/${r.runs} runs)` : ''} | ${int(r.taken)} | ${int(r.strandedAtFirstDry)} | ${int(r.stranded)} | ${int(r.attempts)} | ${int(r.ok)} | ${int(r.soldOutDo)} / ${int(r.soldOutCached)} | ${int(r.rateLimited)} | ${int(r.overloaded)} | ${msf(r.latP50)} / ${msf(r.latP99)} | ${msf(r.winP50)} / ${msf(r.winP99)} | ${int(r.unjustLosers)} | ${pctf(r.afterUnjust)} | ${pctf(r.firstCome)} | ${r.refills || r.reclaimRounds ? `${int(r.refills)} / ${int(r.reclaimRounds)}` : '–'} | ${int(r.peakQueue)} |`,
  );
  return [head, sep, ...lines].join('\n');
}

function sweepTable(rows) {
  const head = `| shoppers in 1 s | ${SWEEP.designs.map((d) => `${d.label}: sold out at · overloaded · p99`).join(' | ')} |`;
  const sep = `| ---: | ${SWEEP.designs.map(() => '---:').join(' | ')} |`;
  const lines = rows.map(
    ({ crowd, rs }) => `| ${int(crowd)} | ${rs.map((r) => `${sec(r.soldOutAt)} · ${int(r.overloaded)} · ${msf(r.latP99)}`).join(' | ')} |`,
  );
  return [head, sep, ...lines].join('\n');
}

function sensitivityTable(rows) {
  const head = `| overload threshold | ${SENSITIVITY.designs.map((d) => `${d.label}: sold out at · overloaded · p99 · winners after a wrongly refused person`).join(' | ')} |`;
  const sep = `| --- | ${SENSITIVITY.designs.map(() => '---:').join(' | ')} |`;
  const lines = rows.map(
    ({ label, rs }) =>
      `| ${label} | ${rs.map((r) => `${sec(r.soldOutAt)} · ${int(r.overloaded)} · ${msf(r.latP99)} · ${pctf(r.afterUnjust)}`).join(' | ')} |`,
  );
  return [head, sep, ...lines].join('\n');
}

function paramsList(runs, seed) {
  const p = BASE;
  return [
    `- runs per row: **${runs}** (seeds ${seed * 1000}…${seed * 1000 + runs - 1}); every figure is the median (p50) of the runs`,
    `- sale: **${int(p.allocated)}** units, per-shopper limit **${p.limit}**; ${pctf(p.twoShare)} of people ask for 2 units, the rest for 1`,
    `- crowd: **${int(p.shoppers)}** shoppers, first tap uniformly within the spread; ${pctf(p.botShare)} are scripts (1 unit every ${p.botIntervalMs} ms ±50%, ${p.botAttempts} tries, whatever the answer; left out of the fairness columns); people stop at an answer (201 or 409) and retry a 429 or a 500 up to ${p.maxAttempts - 1} times after ${p.backoffMs / 1000} s, ${(2 * p.backoffMs) / 1000} s, ${(4 * p.backoffMs) / 1000} s (±50%)`,
    `- Worker: rate limits ${p.shopperLimit} per shopper and ${int(p.ipLimit)} per IP per ${p.limitWindowMs / 1000} s (fixed windows, exact); ${pctf(p.natShare)} of shoppers share ${p.natIps} carrier-NAT addresses, the rest have one each; ${p.isolates} isolates, a request lands on one at random, each remembers a DO's "sold out" for ${p.soldOutCacheMs / 1000} s per (sale, bucket); ${p.workerMs} ms of Worker time before the DO call; Worker↔DO round trip ${p.rttMs[0]}–${p.rttMs[1]} ms, DO↔DO ${p.doRttMs[0]}–${p.doRttMs[1]} ms (uniform)`,
    `- DO: one thread, FIFO, ${p.svcMs} ms ±10% per request handled (scenario C: 0.214 ms); a write is durable ${p.commitMs} ms after the decision and the output gate holds every later reply until then; overload refusal when **${int(p.maxQueue)}** requests are already queued or one has waited **${p.maxWaitMs / 1000} s** (assumed; see F)`,
    `- rebalanced buckets: ${pctf(p.initialShare)} of the units split evenly at the start (any rest in the coordinator's pool); refill chunk = max(what the waiting callers need, ⌈pool ÷ N⌉); the coordinator answers a refill within ${p.holdMs} ms (from the pool, from a reclaim round, or "none left"); reclaim: a bucket returns its unreserved units beyond what it would sell in ${p.keepMs} ms at its rate over the last ~1 s; at most one round per ${p.reclaimCooldownMs} ms; a bucket told "none left" asks again at most every ${p.recheckMs} ms while it refuses people`,
  ].join('\n');
}

// ---------- main ----------

const SECTIONS = ['burst', 'spread', 'local', 'thin', 'sweep', 'sensitivity'];

function parseArgs(argv) {
  const o = { write: false, runs: 3, seed: 1, only: new Set(SECTIONS), set: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--write') o.write = true;
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--seed') o.seed = Number(argv[++i]);
    else if (a === '--only') o.only = new Set(String(argv[++i]).split(','));
    else if (a === '--set') {
      // explore a parameter without editing the file, e.g. --set initialShare=0.5 --set maxQueue=500;
      // it changes BASE, so a scenario's own settings (D's shoppers, B's spread) still win
      const [k, v] = String(argv[++i]).split('=');
      if (!(k in BASE) || typeof BASE[k] !== 'number' || !Number.isFinite(Number(v))) throw new Error(`--set: unknown or non-numeric ${k}`);
      o.set[k] = Number(v);
    } else if (a === '--help' || a === '-h') {
      console.log(
        `usage: node bench/simulate-buckets.mjs [--write] [--runs N] [--seed S] [--only ${SECTIONS.join(',')}] [--set param=number ...]`,
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const x of o.only) if (!SECTIONS.includes(x)) throw new Error(`--only: unknown section ${x}`);
  if (o.write && (o.only.size !== SECTIONS.length || Object.keys(o.set).length))
    throw new Error('--write regenerates the whole section with the defaults: drop --only and --set');
  Object.assign(BASE, o.set);
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs must be a positive integer');
  if (!Number.isInteger(o.seed) || o.seed < 0) throw new Error('--seed must be a non-negative integer');
  return o;
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const started = process.hrtime.bigint();
  const out = [];
  out.push(`Generated by \`node bench/simulate-buckets.mjs --write\` — do not edit by hand; rerun it.`, '');
  out.push('### Parameters', '', paramsList(o.runs, o.seed), '');
  for (const sc of SCENARIOS) {
    if (!o.only.has(sc.id)) continue;
    const rows = [...DESIGNS, ...(sc.extra ?? [])].map((d) => ({
      label: d.label,
      r: runMany({ ...BASE, ...sc.over, ...d }, o.runs, o.seed),
    }));
    out.push(`### ${sc.title}`, '', mainTable(rows), '');
    console.error(`done: ${sc.id}`);
  }
  if (o.only.has('sweep')) {
    const sweepRows = SWEEP.crowds.map((crowd) => ({
      crowd,
      rs: SWEEP.designs.map((d) => runMany({ ...BASE, shoppers: crowd, ...d }, o.runs, o.seed)),
    }));
    out.push(`### ${SWEEP.title}`, '', sweepTable(sweepRows), '');
    console.error('done: sweep');
  }
  if (o.only.has('sensitivity')) {
    const sensRows = SENSITIVITY.cases.map((c) => ({
      label: c.label,
      rs: SENSITIVITY.designs.map((d) => runMany({ ...BASE, ...c.over, ...d }, o.runs, o.seed)),
    }));
    out.push(`### ${SENSITIVITY.title}`, '', sensitivityTable(sensRows), '');
  }
  const secs = Number(process.hrtime.bigint() - started) / 1e9;
  out.push(
    `Every run checked: units reserved ≤ allocated, nobody above the limit, every reserve at its shopper's bucket, units conserved (pool + buckets + in transfer = allocated).`,
  );
  const text = out.join('\n');
  console.log(text);
  console.error(`simulated in ${secs.toFixed(1)} s on Node ${process.version}`);
  if (o.write) {
    const doc = readFileSync(DOC, 'utf8');
    const a = doc.indexOf(BEGIN);
    const b = doc.indexOf(END);
    if (a < 0 || b < a) throw new Error(`${DOC} lacks the markers ${BEGIN} … ${END}`);
    writeFileSync(DOC, `${doc.slice(0, a + BEGIN.length)}\n\n${text}\n\n${doc.slice(b)}`);
    console.error(`wrote the results section of ${path.relative(process.cwd(), DOC)}`);
  }
}

export { BASE, simulate };

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    console.error(String(e?.stack ?? e));
    process.exit(2);
  }
}
