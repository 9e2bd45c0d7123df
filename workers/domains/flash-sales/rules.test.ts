import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyReservation,
  applyTransition,
  decideReserve,
  decideTransition,
  newSaleState,
  remaining,
  type Reservation,
  type SaleState,
} from './rules';

const T0 = 1_700_000_000_000;
const sale = (allocated: number, perShopperLimit: number): SaleState =>
  newSaleState({ saleId: 'fls_test', allocated, perShopperLimit, startsAt: T0, endsAt: T0 + 3_600_000, reservationTtlMs: 60_000 });

type Op = { op: 'reserve'; shopper: number; quantity: number; key: number } | { op: 'confirm' | 'release' | 'expire'; pick: number };

const opArb = (shoppers: number): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        op: fc.constant('reserve' as const),
        shopper: fc.nat(shoppers - 1),
        quantity: fc.integer({ min: 0, max: 4 }),
        key: fc.nat(30),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constantFrom('confirm' as const, 'release' as const, 'expire' as const), pick: fc.nat(1000) }),
    },
  );

/** Runs the ops as the DO would (decide, then apply) and checks the invariants after every step. */
function run(allocated: number, limit: number, ops: Op[]) {
  const s = sale(allocated, limit);
  const all: Reservation[] = [];
  let now = T0;
  for (const o of ops) {
    now += 1_000;
    if (o.op === 'reserve') {
      const shopperId = `u${o.shopper}`;
      const d = decideReserve(s, { shopperId, quantity: o.quantity, idempotencyKey: `k${o.key}`, now });
      if (d.kind === 'reserve') {
        const r: Reservation = {
          id: `r${all.length}`,
          saleId: 'fls_test',
          shopperId,
          quantity: d.quantity,
          idempotencyKey: `k${o.key}`,
          status: 'pending',
          createdAt: now,
          expiresAt: d.expiresAt,
        };
        applyReservation(s, r);
        all.push(r);
      } else if (d.kind === 'duplicate') {
        expect(d.reservation.shopperId).toBe(shopperId);
        expect(d.reservation.idempotencyKey).toBe(`k${o.key}`);
      }
    } else if (all.length) {
      const r = all[o.pick % all.length]!;
      const when = o.op === 'expire' ? r.expiresAt : now;
      if (decideTransition(r, o.op, when) === 'apply') applyTransition(s, r, o.op);
    }
    // Invariants, recomputed from the reservations themselves.
    const holding = all.filter((r) => r.status === 'pending' || r.status === 'confirmed');
    const taken = holding.reduce((a, r) => a + r.quantity, 0);
    expect(s.taken).toBe(taken);
    expect(taken).toBeLessThanOrEqual(allocated);
    expect(remaining(s)).toBeGreaterThanOrEqual(0);
    const perShopper = new Map<string, number>();
    for (const r of holding) perShopper.set(r.shopperId, (perShopper.get(r.shopperId) ?? 0) + r.quantity);
    for (const [, n] of perShopper) expect(n).toBeLessThanOrEqual(limit);
    expect(s.sold).toBe(all.filter((r) => r.status === 'confirmed').reduce((a, r) => a + r.quantity, 0));
  }
  return { s, all };
}

describe('flash-sale rules', () => {
  it('never reserves more than allocated nor above the per-shopper limit, whatever the interleaving', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(opArb(25), { maxLength: 300 }),
        (allocated, limit, ops) => {
          run(allocated, limit, ops);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('sells out exactly: enough demand takes every unit and no more', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.shuffledSubarray([...Array(200).keys()], { minLength: 200 }), (allocated, order) => {
        // 200 shoppers × 1 unit, limit 1, in a random order: exactly `allocated` get one.
        const { s, all } = run(
          allocated,
          1,
          order.map((i) => ({ op: 'reserve' as const, shopper: i % 200, quantity: 1, key: 0 })),
        );
        expect(all.length).toBe(Math.min(allocated, 200));
        expect(remaining(s)).toBe(allocated - all.length);
      }),
      { numRuns: 100 },
    );
  });

  it('a repeated idempotency key returns the earlier reservation, even after sell-out or the end', () => {
    const s = sale(1, 2);
    const d = decideReserve(s, { shopperId: 'u1', quantity: 1, idempotencyKey: 'same-key', now: T0 });
    expect(d.kind).toBe('reserve');
    const r: Reservation = {
      id: 'r1',
      saleId: 'fls_test',
      shopperId: 'u1',
      quantity: 1,
      idempotencyKey: 'same-key',
      status: 'pending',
      createdAt: T0,
      expiresAt: T0 + 60_000,
    };
    applyReservation(s, r);
    expect(decideReserve(s, { shopperId: 'u1', quantity: 1, idempotencyKey: 'same-key', now: T0 + 10 })).toEqual({
      kind: 'duplicate',
      reservation: r,
    });
    expect(decideReserve(s, { shopperId: 'u1', quantity: 1, idempotencyKey: 'same-key', now: T0 + 7_200_000 }).kind).toBe('duplicate');
    // another shopper with the same key is a new request (and here: sold out)
    expect(decideReserve(s, { shopperId: 'u2', quantity: 1, idempotencyKey: 'same-key', now: T0 + 10 }).kind).toBe('sold_out');
  });

  it('refuses outside the window, bad quantities and over-limit requests with the reason', () => {
    const s = sale(10, 2);
    const req = { shopperId: 'u1', quantity: 1, idempotencyKey: 'k', now: T0 };
    expect(decideReserve(s, { ...req, now: T0 - 1 }).kind).toBe('not_started');
    expect(decideReserve(s, { ...req, now: T0 + 3_600_000 }).kind).toBe('ended');
    expect(decideReserve(s, { ...req, quantity: 0 }).kind).toBe('invalid_quantity');
    expect(decideReserve(s, { ...req, quantity: 1.5 }).kind).toBe('invalid_quantity');
    expect(decideReserve(s, { ...req, quantity: 3 })).toEqual({ kind: 'limit_reached', held: 0, limit: 2 });
    expect(decideReserve(s, { ...req, quantity: 2 })).toEqual({ kind: 'reserve', quantity: 2, expiresAt: T0 + 60_000 });
  });

  it('expiry applies once, only to pending reservations whose time is up', () => {
    const s = sale(5, 5);
    const r: Reservation = {
      id: 'r1',
      saleId: 'fls_test',
      shopperId: 'u1',
      quantity: 2,
      idempotencyKey: 'k',
      status: 'pending',
      createdAt: T0,
      expiresAt: T0 + 60_000,
    };
    applyReservation(s, r);
    expect(decideTransition(r, 'expire', T0 + 59_999)).toBe('noop');
    expect(decideTransition(r, 'expire', T0 + 60_000)).toBe('apply');
    applyTransition(s, r, 'expire');
    expect(decideTransition(r, 'expire', T0 + 60_000)).toBe('noop');
    expect(remaining(s)).toBe(5);
    expect(s.byShopper.has('u1')).toBe(false);
    expect(decideTransition(r, 'confirm', T0)).toBe('refuse');
    expect(decideTransition(r, 'release', T0)).toBe('noop');
  });
});
