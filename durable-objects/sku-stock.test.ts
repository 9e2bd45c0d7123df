import { evictDurableObject as evictRaw, runDurableObjectAlarm } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReserveOutcome, SkuStock } from './sku-stock';
import { evictSkuStock as evictDurableObject, freshSkuStocks, runInSkuStock as runInDurableObject } from '../test/sku-stock';

// fresh objects per test; their alarms are deleted after each test (alarms are not reset between tests)
const freshStub = freshSkuStocks();

const HOUR = 3_600_000;
/** Another sale on an existing object. */
async function configuredOn(stub: DurableObjectStub<SkuStock>, allocated: number, perShopperLimit: number) {
  const saleId = `fls_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const now = Date.now();
  await stub.configureSale({ saleId, allocated, perShopperLimit, startsAt: now - HOUR, endsAt: now + HOUR, reservationTtlMs: 15 * 60_000 });
  return { saleId };
}

async function configured(allocated = 100, perShopperLimit = 2, reservationTtlMs = 15 * 60_000) {
  const stub = freshStub();
  const saleId = `fls_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const now = Date.now();
  const r = await stub.configureSale({ saleId, allocated, perShopperLimit, startsAt: now - HOUR, endsAt: now + HOUR, reservationTtlMs });
  expect(r.created).toBe(true);
  return { stub, saleId };
}

type Req = { shopperId: string; idempotencyKey: string };
/**
 * 2,000 requests from 400 shoppers (5 each, distinct keys), in an order chosen by fast-check:
 * 'shuffled' interleaves everyone; 'bursty' keeps each shopper's 5 requests together (shoppers in
 * random order), which is what a script hammering the button looks like and what tests the limit.
 */
function shuffledRequests(seed: number, style: 'shuffled' | 'bursty' = 'shuffled'): Req[] {
  const shoppers = [...Array(400).keys()];
  const forShopper = (s: number) => [...Array(5).keys()].map((k) => ({ shopperId: `usr_${s}`, idempotencyKey: `key-${s}-${k}` }));
  if (style === 'bursty') {
    const [order] = fc.sample(fc.shuffledSubarray(shoppers, { minLength: 400, maxLength: 400 }), { numRuns: 1, seed });
    return order!.flatMap(forShopper);
  }
  const reqs = shoppers.flatMap(forShopper);
  const [perm] = fc.sample(fc.shuffledSubarray(reqs, { minLength: reqs.length, maxLength: reqs.length }), { numRuns: 1, seed });
  return perm!;
}

function tally(outcomes: ReserveOutcome[]) {
  const perShopper = new Map<string, number>();
  let units = 0;
  const reasons: Record<string, number> = {};
  for (const o of outcomes) {
    if (o.ok) {
      units += o.reservation.quantity;
      perShopper.set(o.reservation.shopperId, (perShopper.get(o.reservation.shopperId) ?? 0) + o.reservation.quantity);
    } else reasons[o.reason] = (reasons[o.reason] ?? 0) + 1;
  }
  return { units, perShopper, reasons, maxPerShopper: Math.max(0, ...perShopper.values()) };
}

describe('SkuStock flash-sale pool', () => {
  it('keeps ping()', async () => {
    const pong = await freshStub().ping();
    expect(pong).toMatchObject({ ok: true, storage: 'sqlite' });
    expect(pong.tables).toBeGreaterThanOrEqual(3);
  });

  it('2,000 concurrent reserves from 400 shoppers (limit 2) for 100 units reserve exactly 100', async () => {
    for (const [seed, style] of [
      [1, 'shuffled'],
      [2, 'bursty'],
    ] as const) {
      const { stub, saleId } = await configured(100, 2);
      const outcomes = await Promise.all(shuffledRequests(seed, style).map((r) => stub.reserve({ saleId, quantity: 1, ...r })));
      const t = tally(outcomes);
      expect(t.units).toBe(100);
      expect(t.maxPerShopper).toBeLessThanOrEqual(2);
      if (style === 'bursty') expect(t.perShopper.size).toBe(50); // 50 shoppers × 2 units, each stopped by the limit
      expect(t.reasons.sold_out! + (t.reasons.limit_reached ?? 0)).toBe(1900);
      expect(await stub.snapshot(saleId)).toEqual({ saleId, allocated: 100, reserved: 100, sold: 0, remaining: 0, closed: false });
      // storage agrees with what callers were told
      const stored = await runInDurableObject(stub, (_i: SkuStock, state) =>
        state.storage.sql
          .exec<{ n: number; q: number }>(`SELECT count(*) AS n, sum(quantity) AS q FROM reservations WHERE status = 'pending'`)
          .one(),
      );
      expect(stored).toEqual({ n: 100, q: 100 });
    }
  });

  it('survives eviction mid-sale: state reloads from storage, still exactly 100 and nobody over the limit', async () => {
    const { stub, saleId } = await configured(100, 2);
    const reqs = shuffledRequests(7);
    // Wave 1: 30 shoppers try 3 each → 60 units, 30 refused by the limit.
    const wave1 = reqs.filter(
      (r) => Number(r.shopperId.slice(4)) < 30 && !r.idempotencyKey.endsWith('-3') && !r.idempotencyKey.endsWith('-4'),
    );
    expect(wave1.length).toBe(90);
    const out1 = await Promise.all(wave1.map((r) => stub.reserve({ saleId, quantity: 1, ...r })));
    expect(tally(out1).units).toBe(60);
    await evictDurableObject(stub);
    // Wave 2: everything else, with another eviction while it is in flight; callers retry with the same key.
    const wave2 = reqs.filter((r) => !wave1.includes(r));
    let settled = 0;
    const call = (r: Req) =>
      stub
        .reserve({ saleId, quantity: 1, ...r })
        .then(
          (o) => o,
          () => null,
        )
        .finally(() => settled++);
    const half = Math.floor(wave2.length / 2);
    const first = wave2.slice(0, half).map(call);
    const settledAtEviction = await evictRaw(stub).then(() => settled); // while the first half is in flight
    const inFlight = [...first, ...wave2.slice(half).map(call)];
    let out2 = await Promise.all(inFlight);
    const retried = out2.filter((o) => o === null).length;
    out2 = await Promise.all(out2.map((o, i) => o ?? stub.reserve({ saleId, quantity: 1, ...wave2[i]! })));
    // a call cut off by the eviction may have committed before it failed: its retry is a replay, so count reservations by id
    const seen = new Set<string>();
    const all = tally(
      [...out1, ...(out2 as ReserveOutcome[])].filter((o) => !o.ok || (!seen.has(o.reservation.id) && !!seen.add(o.reservation.id))),
    );
    expect(all.units).toBe(100);
    expect(all.maxPerShopper).toBeLessThanOrEqual(2);
    // the 30 wave-1 shoppers already held 2 each: the reloaded state must refuse them
    for (let s = 0; s < 30; s++) expect(all.perShopper.get(`usr_${s}`)).toBe(2);
    await evictDurableObject(stub);
    expect(await stub.snapshot(saleId)).toEqual({ saleId, allocated: 100, reserved: 100, sold: 0, remaining: 0, closed: false });
    console.log(
      `eviction mid-flight: ${settledAtEviction} of ${wave2.length} calls answered when it finished; ${retried} failed and were retried with their key`,
    );
  });

  it('repeating an idempotency key returns the same reservation (also concurrently and after eviction)', async () => {
    const { stub, saleId } = await configured(10, 2);
    const req = { saleId, shopperId: 'usr_a', quantity: 1, idempotencyKey: 'same-key-123' };
    const [a, b, c] = await Promise.all([stub.reserve(req), stub.reserve(req), stub.reserve(req)]);
    expect(a.ok && b.ok && c.ok).toBe(true);
    const ids = [a, b, c].map((o) => (o.ok ? o.reservation.id : ''));
    expect(new Set(ids).size).toBe(1);
    expect([a, b, c].filter((o) => o.ok && !o.replayed).length).toBe(1);
    await evictDurableObject(stub);
    const d = await stub.reserve(req);
    expect(d).toMatchObject({ ok: true, replayed: true, reservation: { id: ids[0] } });
    expect((await stub.snapshot(saleId))!.remaining).toBe(9);
    // the same key from another shopper is that shopper's own request
    const e = await stub.reserve({ ...req, shopperId: 'usr_b' });
    expect(e.ok && e.reservation.id).not.toBe(ids[0]);
    expect((await stub.snapshot(saleId))!.remaining).toBe(8);
  });

  it('configureSale is idempotent: a second call changes nothing', async () => {
    const { stub, saleId } = await configured(10, 1);
    await stub.reserve({ saleId, shopperId: 'usr_a', quantity: 1, idempotencyKey: 'k-000001' });
    const again = await stub.configureSale({
      saleId,
      allocated: 999,
      perShopperLimit: 9,
      startsAt: 0,
      endsAt: Date.now() + HOUR,
      reservationTtlMs: 1,
    });
    expect(again.created).toBe(false);
    expect(again.config.allocated).toBe(10);
    expect(await stub.snapshot(saleId)).toMatchObject({ allocated: 10, remaining: 9 });
  });

  it('refuses before the start, after the end and for unknown sales', async () => {
    const stub = freshStub();
    const now = Date.now();
    await stub.configureSale({
      saleId: 'fls_window',
      allocated: 5,
      perShopperLimit: 1,
      startsAt: now + HOUR,
      endsAt: now + 2 * HOUR,
      reservationTtlMs: 60_000,
    });
    const base = { saleId: 'fls_window', shopperId: 'usr_a', quantity: 1 };
    expect(await stub.reserve({ ...base, idempotencyKey: 'k-1' })).toMatchObject({ ok: false, reason: 'not_started' });
    expect(await stub.reserve({ ...base, idempotencyKey: 'k-2', now: now + 2 * HOUR })).toMatchObject({ ok: false, reason: 'ended' });
    expect(await stub.reserve({ ...base, idempotencyKey: 'k-3', now: now + HOUR })).toMatchObject({ ok: true, replayed: false });
    expect(await stub.reserve({ ...base, saleId: 'fls_nope', idempotencyKey: 'k-4' })).toEqual({ ok: false, reason: 'unknown_sale' });
  });

  it('confirm makes units sold; release returns them; neither applies twice', async () => {
    const { stub, saleId } = await configured(5, 3);
    const r1 = await stub.reserve({ saleId, shopperId: 'usr_a', quantity: 2, idempotencyKey: 'k-confirm' });
    const r2 = await stub.reserve({ saleId, shopperId: 'usr_a', quantity: 1, idempotencyKey: 'k-release' });
    if (!r1.ok || !r2.ok) throw new Error('reserve failed');
    expect(await stub.confirm(r1.reservation.id)).toMatchObject({ ok: true, changed: true, reservation: { status: 'confirmed' } });
    expect(await stub.confirm(r1.reservation.id)).toMatchObject({ ok: true, changed: false });
    expect(await stub.release(r1.reservation.id)).toMatchObject({ ok: false, reason: 'not_pending', status: 'confirmed' });
    expect(await stub.release(r2.reservation.id)).toMatchObject({ ok: true, changed: true, reservation: { status: 'released' } });
    expect(await stub.release(r2.reservation.id)).toMatchObject({ ok: true, changed: false });
    expect(await stub.confirm('fsr_unknown')).toEqual({ ok: false, reason: 'unknown_reservation' });
    await evictDurableObject(stub);
    expect(await stub.snapshot(saleId)).toEqual({ saleId, allocated: 5, reserved: 0, sold: 2, remaining: 3, closed: false });
    // the released unit counts against nobody: usr_a holds 2 of 3 and may take 1 more
    expect(await stub.reserve({ saleId, shopperId: 'usr_a', quantity: 1, idempotencyKey: 'k-again' })).toMatchObject({ ok: true });
    // a payment for the released reservation now would put usr_a over the limit: refused, to be refunded
    expect(await stub.confirm(r2.reservation.id)).toMatchObject({ ok: false, reason: 'limit_reached', status: 'released' });
  });

  it('coalesces a burst of decisions into a few durable writes, and every acknowledged reservation is durable', async () => {
    const { stub, saleId } = await configured(300, 1);
    const flushesBefore = await runInDurableObject(stub, (i: SkuStock) => (i as unknown as { flushCount: number }).flushCount);
    const outcomes = await Promise.all(
      [...Array(500).keys()].map((n) => stub.reserve({ saleId, shopperId: `usr_${n}`, quantity: 1, idempotencyKey: `k-${n}` })),
    );
    const flushes = (await runInDurableObject(stub, (i: SkuStock) => (i as unknown as { flushCount: number }).flushCount)) - flushesBefore;
    expect(outcomes.filter((o) => o.ok)).toHaveLength(300);
    // one transaction per tick, not per reservation: how many ticks a burst of RPCs spans depends
    // on the machine's load, but uncoalesced it would be exactly 300
    expect(flushes).toBeGreaterThan(0);
    expect(flushes).toBeLessThan(300);
    // decided in one tick (calls made together inside the object), they share exactly one write
    const { saleId: one } = await configuredOn(stub, 50, 1);
    const together = await runInDurableObject(stub, async (i: SkuStock) => {
      const before = (i as unknown as { flushCount: number }).flushCount;
      const out = await Promise.all(
        [...Array(80).keys()].map((n) => i.reserve({ saleId: one, shopperId: `usr_t${n}`, quantity: 1, idempotencyKey: `t-${n}` })),
      );
      return { out, flushes: (i as unknown as { flushCount: number }).flushCount - before };
    });
    expect(together.out.filter((o) => o.ok)).toHaveLength(50);
    expect(together.flushes).toBe(1);
    await evictDurableObject(stub);
    const stored = await runInDurableObject(stub, (_i: SkuStock, state) =>
      state.storage.sql
        .exec<{ id: string }>(`SELECT id FROM reservations WHERE sale_id = ?`, saleId)
        .toArray()
        .map((r) => r.id),
    );
    expect(new Set(stored)).toEqual(new Set(outcomes.flatMap((o) => (o.ok ? [o.reservation.id] : []))));
  });

  it('an eviction in the middle of a burst loses no acknowledged reservation and oversells nothing', async () => {
    for (const seed of [3, 4]) {
      const { stub, saleId } = await configured(100, 2);
      const reqs = shuffledRequests(seed).slice(0, 800);
      const first = reqs.slice(0, 400).map((r) => stub.reserve({ saleId, quantity: 1, ...r }));
      await Promise.allSettled(first.slice(0, 1));
      await evictRaw(stub).catch(() => undefined); // in-flight calls may fail: that is allowed, a false success is not
      const rest = reqs.slice(400).map((r) => stub.reserve({ saleId, quantity: 1, ...r }));
      const settled = await Promise.allSettled([...first, ...rest]);
      const acked = settled.flatMap((s) => (s.status === 'fulfilled' && s.value.ok ? [s.value.reservation] : []));
      const stored = await runInDurableObject(stub, (_i: SkuStock, state) =>
        state.storage.sql
          .exec<{ id: string; shopper_id: string; quantity: number }>(
            `SELECT id, shopper_id, quantity FROM reservations WHERE sale_id = ? AND status = 'pending'`,
            saleId,
          )
          .toArray(),
      );
      const storedIds = new Set(stored.map((r) => r.id));
      for (const r of acked) expect(storedIds.has(r.id)).toBe(true);
      expect(stored.reduce((a, r) => a + r.quantity, 0)).toBeLessThanOrEqual(100);
      const perShopper = new Map<string, number>();
      for (const r of stored) perShopper.set(r.shopper_id, (perShopper.get(r.shopper_id) ?? 0) + r.quantity);
      expect(Math.max(...perShopper.values())).toBeLessThanOrEqual(2);
      const snap = await stub.snapshot(saleId);
      expect(snap!.reserved).toBe(stored.reduce((a, r) => a + r.quantity, 0));
    }
  });

  it('a payment applied after its reservation lapsed takes the units again only if the pool still has them', async () => {
    const { stub, saleId } = await configured(2, 2);
    const late = await stub.reserve({ saleId, shopperId: 'usr_late', quantity: 1, idempotencyKey: 'k-late' });
    const later = await stub.reserve({ saleId, shopperId: 'usr_later', quantity: 1, idempotencyKey: 'k-later' });
    if (!late.ok || !later.ok) throw new Error('reserve failed');
    await stub.release(late.reservation.id);
    await stub.release(later.reservation.id);
    expect(await stub.confirm(late.reservation.id)).toMatchObject({ ok: true, changed: true, reservation: { status: 'confirmed' } });
    expect(await stub.confirm(late.reservation.id)).toMatchObject({ ok: true, changed: false });
    expect(await stub.reserve({ saleId, shopperId: 'usr_x', quantity: 1, idempotencyKey: 'k-x' })).toMatchObject({ ok: true });
    // the pool is empty now: the other late payment cannot be honoured
    expect(await stub.confirm(later.reservation.id)).toMatchObject({ ok: false, reason: 'sold_out', status: 'released' });
    await evictDurableObject(stub);
    expect(await stub.snapshot(saleId)).toEqual({ saleId, allocated: 2, reserved: 1, sold: 1, remaining: 0, closed: false });
  });

  it('the alarm returns expired reservations to the pool exactly once, even when run twice', async () => {
    const { stub, saleId } = await configured(5, 3, 60_000);
    // reserved "59 s ago" with a 60 s TTL: expires in about a second
    const soon = Date.now() - 60_000 + 1_500;
    const expired = await stub.reserve({ saleId, shopperId: 'usr_a', quantity: 3, idempotencyKey: 'k-exp', now: soon });
    const paid = await stub.reserve({ saleId, shopperId: 'usr_b', quantity: 1, idempotencyKey: 'k-paid', now: soon });
    const fresh = await stub.reserve({ saleId, shopperId: 'usr_c', quantity: 1, idempotencyKey: 'k-fresh' });
    if (!expired.ok || !paid.ok || !fresh.ok) throw new Error('reserve failed');
    await stub.confirm(paid.reservation.id);
    expect(await stub.snapshot(saleId)).toMatchObject({ remaining: 0, sold: 1, reserved: 4 });
    // usr_d cannot get anything yet
    expect(await stub.reserve({ saleId, shopperId: 'usr_d', quantity: 1, idempotencyKey: 'k-d-1' })).toMatchObject({
      ok: false,
      reason: 'sold_out',
    });

    await new Promise((r) => setTimeout(r, Math.max(0, expired.reservation.expiresAt - Date.now()) + 200));
    await runDurableObjectAlarm(stub); // may also have fired by itself already; either way it ran
    await runInDurableObject(stub, (inst: SkuStock) => inst.alarm()); // a second delivery of the same alarm
    await runDurableObjectAlarm(stub);

    expect(await stub.snapshot(saleId)).toEqual({ saleId, allocated: 5, reserved: 1, sold: 1, remaining: 3, closed: false });
    const statuses = await runInDurableObject(stub, (_i: SkuStock, state) =>
      state.storage.sql.exec<{ idem_key: string; status: string }>(`SELECT idem_key, status FROM reservations ORDER BY idem_key`).toArray(),
    );
    expect(statuses).toEqual([
      { idem_key: 'k-exp', status: 'expired' },
      { idem_key: 'k-fresh', status: 'pending' },
      { idem_key: 'k-paid', status: 'confirmed' },
    ]);
    // the units are reservable again, by someone else and by the shopper whose hold expired
    expect(await stub.reserve({ saleId, shopperId: 'usr_d', quantity: 1, idempotencyKey: 'k-d-2' })).toMatchObject({
      ok: true,
      replayed: false,
    });
    expect(await stub.reserve({ saleId, shopperId: 'usr_a', quantity: 2, idempotencyKey: 'k-a-2' })).toMatchObject({
      ok: true,
      replayed: false,
    });
    // so a payment for the expired hold, applied only now, cannot be honoured (the caller refunds it)
    expect(await stub.confirm(expired.reservation.id)).toMatchObject({ ok: false, status: 'expired' });
    await evictDurableObject(stub);
    expect(await stub.snapshot(saleId)).toEqual({ saleId, allocated: 5, reserved: 4, sold: 1, remaining: 0, closed: false });
    // the next alarm is set for the earliest pending expiry (the fresh one, ~15 min from now)
    const next = await runInDurableObject(stub, (_i: SkuStock, state) => state.storage.getAlarm());
    expect(next).toBe(fresh.reservation.expiresAt);
  });
});
