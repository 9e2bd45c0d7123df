import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyGrantReceived,
  applyGrantSent,
  applyReservation,
  applyReturnReceived,
  applyReturnSent,
  applyTransition,
  bucketOf,
  bucketShares,
  COORDINATOR,
  decideGrant,
  decideReserve,
  decideReturn,
  decideTransition,
  fnv1a,
  isNewTransfer,
  keepFor,
  MAX_BUCKETS,
  newPoolState,
  newSaleState,
  remaining,
  unitsAccountedFor,
  type Reservation,
  type SaleConfig,
  type SaleState,
  type UnitTransfer,
} from './rules';

describe('bucket routing rules', () => {
  it('routes a shopper to one bucket in 0…N−1, the same every time; one bucket is always 0', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 1, max: MAX_BUCKETS }), (sale, shopper, n) => {
        const b = bucketOf(sale, shopper, n);
        expect(Number.isInteger(b) && b >= 0 && b < n).toBe(true);
        expect(bucketOf(sale, shopper, n)).toBe(b);
        expect(bucketOf(sale, shopper, 1)).toBe(0);
      }),
    );
    // FNV-1a's published test vectors: the hash is the standard one, so any other runtime agrees
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('spreads shoppers evenly enough that each bucket gets its share of the crowd', () => {
    for (const n of [4, 16]) {
      const counts = Array<number>(n).fill(0);
      for (let i = 0; i < 16_000; i++) counts[bucketOf('fls_spread', `usr_${i.toString(36)}`, n)]!++;
      for (const c of counts) expect(Math.abs(c - 16_000 / n) / (16_000 / n)).toBeLessThan(0.1);
    }
  });

  it('splits the allocation into N shares that add up to it and differ by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: MAX_BUCKETS }), (allocated, n) => {
        const shares = bucketShares(allocated, n);
        expect(shares).toHaveLength(n);
        expect(shares.reduce((a, x) => a + x, 0)).toBe(allocated);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

// ---- the transfer protocol, as a model: random interleavings with lost, duplicated and reordered messages ----

const T0 = 1_700_000_000_000;

type Op =
  | { op: 'reserve'; shopper: number; quantity: number; key: number }
  | { op: 'confirm' | 'release' | 'expire'; pick: number }
  | { op: 'grant'; bucket: number; need: number }
  | { op: 'reclaim'; bucket: number; keep: number }
  | { op: 'deliver' | 'duplicate' | 'drop'; pick: number; ackLost: boolean }
  | { op: 'resend' }
  | { op: 'evict'; bucket: number }
  | { op: 'close' };

const opArb = (shoppers: number, buckets: number): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        op: fc.constant('reserve' as const),
        shopper: fc.nat(shoppers - 1),
        quantity: fc.integer({ min: 1, max: 3 }),
        key: fc.nat(20),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constantFrom('confirm' as const, 'release' as const, 'expire' as const), pick: fc.nat(1000) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant('grant' as const), bucket: fc.nat(buckets - 1), need: fc.integer({ min: 1, max: 4 }) }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('reclaim' as const), bucket: fc.nat(buckets - 1), keep: fc.nat(3) }) },
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constantFrom('deliver' as const, 'duplicate' as const, 'drop' as const),
        pick: fc.nat(1000),
        ackLost: fc.boolean(),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('resend' as const) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('evict' as const), bucket: fc.nat(buckets - 1) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('close' as const) }) },
  );

/** One sale over N buckets and a coordinator, driven only through the rules, checked after every step. */
function runTransfers(allocated: number, buckets: number, limit: number, ops: Op[]) {
  const saleId = 'fls_model';
  const config = (units: number): SaleConfig => ({
    saleId,
    allocated: units,
    perShopperLimit: limit,
    startsAt: T0,
    endsAt: T0 + 3_600_000,
    reservationTtlMs: 60_000,
  });
  const pool = newPoolState(config(allocated), buckets);
  const shares = bucketShares(allocated, buckets);
  let states: SaleState[] = shares.map((n) => newSaleState(config(n)));
  const reservations: Reservation[][] = shares.map(() => []);
  // what each end has applied ("storage": it survives eviction) and what each sender has not seen acked
  const applied = new Map<number, Set<string>>([[COORDINATOR, new Set()], ...shares.map((_, b) => [b, new Set<string>()] as const)]);
  const outbox = new Map<string, UnitTransfer>();
  let network: UnitTransfer[] = [];
  let seq = 0;
  let now = T0;

  const receive = (t: UnitTransfer, ackLost: boolean) => {
    const seen = applied.get(t.to)!;
    const before = JSON.stringify({ pool: pool.pool, alloc: states.map((s) => s.config.allocated) });
    if (isNewTransfer(seen, t)) {
      seen.add(t.id);
      if (t.to === COORDINATOR) applyReturnReceived(pool, t.units);
      else applyGrantReceived(states[t.to]!, t.units);
    } else {
      // a duplicate changes nothing
      expect(JSON.stringify({ pool: pool.pool, alloc: states.map((s) => s.config.allocated) })).toBe(before);
    }
    if (!ackLost) outbox.delete(t.id);
  };

  for (const o of ops) {
    now += 500;
    switch (o.op) {
      case 'reserve': {
        const shopperId = `u${o.shopper}`;
        const b = bucketOf(saleId, shopperId, buckets);
        const s = states[b]!;
        const d = decideReserve(s, { shopperId, quantity: o.quantity, idempotencyKey: `k${o.key}`, now });
        if (d.kind === 'reserve') {
          const r: Reservation = {
            id: `r${seq++}`,
            saleId,
            shopperId,
            quantity: d.quantity,
            idempotencyKey: `k${o.key}`,
            status: 'pending',
            createdAt: now,
            expiresAt: d.expiresAt,
          };
          applyReservation(s, r);
          reservations[b]!.push(r);
        }
        break;
      }
      case 'confirm':
      case 'release':
      case 'expire': {
        const all = reservations.flatMap((rs, b) => rs.map((r) => ({ r, b })));
        if (!all.length) break;
        const { r, b } = all[o.pick % all.length]!;
        const when = o.op === 'expire' ? r.expiresAt : now;
        if (decideTransition(r, o.op, when) === 'apply') applyTransition(states[b]!, r, o.op);
        break;
      }
      case 'grant': {
        const units = decideGrant(pool, o.need);
        if (pool.closing) expect(units).toBe(0);
        if (units === 0) break;
        applyGrantSent(pool, units);
        const t: UnitTransfer = { id: `t${seq++}`, saleId, from: COORDINATOR, to: o.bucket, units };
        outbox.set(t.id, t);
        network.push({ ...t });
        break;
      }
      case 'reclaim': {
        const s = states[o.bucket]!;
        const units = decideReturn(s, o.keep);
        expect(units).toBeLessThanOrEqual(remaining(s));
        if (units === 0) break;
        applyReturnSent(s, units);
        const t: UnitTransfer = { id: `t${seq++}`, saleId, from: o.bucket, to: COORDINATOR, units };
        outbox.set(t.id, t);
        network.push({ ...t });
        break;
      }
      case 'deliver':
      case 'duplicate':
      case 'drop': {
        if (!network.length) break;
        const i = o.pick % network.length;
        const t = network[i]!;
        if (o.op !== 'duplicate') network = network.filter((_, j) => j !== i);
        if (o.op !== 'drop') receive(t, o.ackLost);
        break;
      }
      case 'resend':
        for (const t of outbox.values()) network.push({ ...t });
        break;
      case 'evict': {
        // memory rebuilt from storage: the allocation as written, then every reservation replayed
        const s = states[o.bucket]!;
        const rebuilt = newSaleState(config(s.config.allocated));
        rebuilt.closed = s.closed;
        for (const r of reservations[o.bucket]!) applyReservation(rebuilt, r);
        expect({ taken: rebuilt.taken, sold: rebuilt.sold, byShopper: rebuilt.byShopper }).toEqual({
          taken: s.taken,
          sold: s.sold,
          byShopper: s.byShopper,
        });
        states = states.map((x, b) => (b === o.bucket ? rebuilt : x));
        break;
      }
      case 'close':
        pool.closing = true;
        break;
    }

    // Invariants, recomputed from the parts.
    const inTransfer = [...outbox.values()].filter((t) => !applied.get(t.to)!.has(t.id)).reduce((a, t) => a + t.units, 0);
    expect(
      unitsAccountedFor(
        pool.pool,
        states.map((s) => s.config.allocated),
        inTransfer,
      ),
    ).toBe(allocated);
    expect(pool.pool).toBeGreaterThanOrEqual(0);
    let taken = 0;
    for (const [b, s] of states.entries()) {
      const holding = reservations[b]!.filter((r) => r.status === 'pending' || r.status === 'confirmed');
      expect(s.taken).toBe(holding.reduce((a, r) => a + r.quantity, 0));
      expect(s.taken).toBeLessThanOrEqual(s.config.allocated);
      taken += s.taken;
      for (const r of holding) expect(bucketOf(saleId, r.shopperId, buckets)).toBe(b);
      for (const n of s.byShopper.values()) expect(n).toBeLessThanOrEqual(limit);
    }
    expect(taken).toBeLessThanOrEqual(allocated);
  }
  // Every message delivered and acked at the end: nothing in transfer, every unit in the pool or a bucket.
  for (const t of [...outbox.values()]) receive(t, false);
  expect(pool.pool + states.reduce((a, s) => a + s.config.allocated, 0)).toBe(allocated);
  return { pool, states };
}

describe('unit transfers between the coordinator and the buckets', () => {
  it('conserve units and keep every bucket within its allocation and every shopper within the limit, whatever arrives twice, late or never', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 6 }).chain((n) => fc.tuple(fc.constant(n), fc.array(opArb(20, n), { maxLength: 300 }))),
        (allocated, limit, [buckets, ops]) => {
          runTransfers(allocated, buckets, limit, ops);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('grants what is needed or a fair slice of the pool, never more than it holds, and nothing once closing', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: MAX_BUCKETS }), (pool, need, buckets) => {
        const p = { ...newPoolState({ saleId: 's', allocated: 0 }, buckets), pool };
        const g = decideGrant(p, need);
        expect(g).toBe(pool === 0 ? 0 : Math.min(pool, Math.max(need, Math.ceil(pool / buckets))));
        expect(decideGrant({ ...p, closing: true }, need)).toBe(0);
      }),
    );
    expect(() => applyGrantSent({ ...newPoolState({ saleId: 's', allocated: 3 }, 1), pool: 2 }, 3)).toThrow();
  });

  it('a bucket returns only unreserved units beyond what its crowd would buy meanwhile, and none once closed', () => {
    const s = newSaleState({ saleId: 's', allocated: 10, perShopperLimit: 5, startsAt: T0, endsAt: T0 + 1, reservationTtlMs: 1 });
    s.taken = 4;
    expect(keepFor(0, 50)).toBe(0);
    expect(keepFor(100, 50)).toBe(5);
    expect(decideReturn(s, keepFor(0, 50))).toBe(6);
    expect(decideReturn(s, keepFor(100, 50))).toBe(1);
    expect(decideReturn(s, keepFor(1000, 50))).toBe(0);
    expect(() => applyReturnSent(s, 7)).toThrow();
    s.closed = true;
    expect(decideReturn(s, 0)).toBe(0);
  });
});
