// The coordinator and the buckets of a flash sale split over several SkuStock objects, in workerd
// with real objects: units move only through transfers applied once, so evictions and resends
// between 'sent' and 'acked' neither lose a unit nor let one be sold twice.
import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import { saleBucketStub, skuStockStub, type SkuStock } from './sku-stock';
import { bucketOf, bucketShares, COORDINATOR, type SaleConfig, type UnitTransfer } from '../workers/domains/flash-sales/rules';
import { evictSkuStock, runInSkuStock } from '../test/sku-stock';

const HOUR = 3_600_000;
const used: DurableObjectStub<SkuStock>[] = [];
afterEach(async () => {
  for (const stub of used.splice(0)) await runInSkuStock(stub, (_i, state) => state.storage.deleteAlarm());
});

/** A sale over `buckets` fresh objects plus its coordinator, configured as createFlashSale does. */
async function bucketedSale(allocated: number, buckets: number, perShopperLimit = 1) {
  const skuId = `test-${crypto.randomUUID()}`;
  const saleId = `fls_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const now = Date.now();
  const config: SaleConfig = {
    saleId,
    allocated,
    perShopperLimit,
    startsAt: now - HOUR,
    endsAt: now + HOUR,
    reservationTtlMs: 15 * 60_000,
  };
  const coord = skuStockStub(env, skuId);
  expect(await coord.configureCoordinator(config, buckets, skuId)).toEqual({ created: true });
  const shares = bucketShares(allocated, buckets);
  const stubs = shares.map((_, b) => saleBucketStub(env, { id: saleId, skuId, buckets }, b));
  await Promise.all(stubs.map((st, b) => st.configureSale({ ...config, allocated: shares[b]! }, { skuId, bucket: b, buckets, allocated })));
  used.push(coord, ...stubs);
  /** Shopper ids that hash to bucket b. */
  const shoppersOf = (b: number, n: number, tag = 's') => {
    const out: string[] = [];
    for (let i = 0; out.length < n; i++) if (bucketOf(saleId, `usr_${tag}${i}`, buckets) === b) out.push(`usr_${tag}${i}`);
    return out;
  };
  const reserve = (shopperId: string, key = `k-${crypto.randomUUID()}`) =>
    stubs[bucketOf(saleId, shopperId, buckets)]!.reserve({ saleId, shopperId, quantity: 1, idempotencyKey: key });
  /** Every unit's whereabouts: pool + Σ bucket allocations + units sent and not yet acked. */
  const ledger = async () => {
    const [c, ...bs] = await Promise.all([coord, ...stubs].map((s) => s.saleView(saleId)));
    const allocations = bs.map((v) => v.snapshot!.allocated);
    const inTransfer = c!.inTransfer + bs.reduce((a, v) => a + v.inTransfer, 0);
    return {
      pool: c!.pool!,
      allocations,
      inTransfer,
      accounted: c!.pool! + allocations.reduce((a, x) => a + x, 0) + inTransfer,
      taken: bs.reduce((a, v) => a + v.snapshot!.reserved + v.snapshot!.sold, 0),
    };
  };
  return { skuId, saleId, config, coord, stubs, shoppersOf, reserve, ledger };
}

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('buckets and their coordinator', () => {
  it('a dry bucket gets the other buckets’ unreserved units, so the whole allocation sells when demand ≈ supply', async () => {
    const sale = await bucketedSale(20, 4);
    // buckets 1–3 (5 units each) have two shoppers apiece; bucket 0 (5 units) has fourteen
    const others = [1, 2, 3].flatMap((b) => sale.shoppersOf(b, 2));
    expect((await Promise.all(others.map((s) => sale.reserve(s)))).every((o) => o.ok)).toBe(true);
    await later(1_100); // their crowds have gone quiet: a reclaim takes everything they hold unreserved
    const crowd = sale.shoppersOf(0, 14);
    const out = await Promise.all(crowd.map((s) => sale.reserve(s)));
    expect(out.filter((o) => o.ok)).toHaveLength(14);
    const l = await sale.ledger();
    expect(l).toMatchObject({ taken: 20, accounted: 20, inTransfer: 0, pool: 0 });
    expect(l.allocations).toEqual([14, 2, 2, 2]);
    // sold out everywhere now, and nobody above the limit
    expect(await sale.reserve(sale.shoppersOf(0, 1, 'late')[0]!)).toMatchObject({ ok: false, reason: 'sold_out' });
    expect(await sale.reserve(crowd[0]!)).toMatchObject({ ok: false, reason: 'limit_reached' });
  });

  it('a transfer applied twice changes nothing; one for a sale the receiver never heard of is refused and kept for a resend', async () => {
    const sale = await bucketedSale(8, 2);
    const t: UnitTransfer = { id: `fsu_test${crypto.randomUUID().slice(0, 8)}`, saleId: sale.saleId, from: COORDINATOR, to: 1, units: 3 };
    expect(await sale.stubs[1]!.receiveUnits(t)).toEqual({ applied: true });
    expect(await sale.stubs[1]!.receiveUnits(t)).toEqual({ applied: false });
    await evictSkuStock(sale.stubs[1]!);
    expect(await sale.stubs[1]!.receiveUnits(t)).toEqual({ applied: false });
    expect((await sale.stubs[1]!.snapshot(sale.saleId))!.allocated).toBe(4 + 3);
    expect(await sale.stubs[1]!.receiveUnits({ ...t, id: `${t.id}x`, saleId: 'fls_unknown' })).toEqual({
      applied: false,
      reason: 'unknown_sale',
    });
  });

  it('eviction between "sent" and "acked" loses no unit and moves none twice: the alarm resends, the receiver applies once', async () => {
    const sale = await bucketedSale(12, 3);
    // bucket 2 wrote a return of 3 units (its count lowered, the transfer recorded) and was evicted
    // before the coordinator heard of it — the write-ahead state a crash leaves behind
    const id = `fsu_crash${crypto.randomUUID().slice(0, 8)}`;
    await runInSkuStock(sale.stubs[2]!, (_i, state) => {
      state.storage.transactionSync(() => {
        state.storage.sql.exec(`UPDATE sales SET allocated = allocated - 3 WHERE sale_id = ?`, sale.saleId);
        state.storage.sql.exec(
          `INSERT INTO unit_transfers (id, sale_id, from_b, to_b, to_name, units, acked, created_at) VALUES (?, ?, 2, ?, ?, 3, 0, ?)`,
          id,
          sale.saleId,
          COORDINATOR,
          sale.skuId,
          Date.now(),
        );
      });
      return state.storage.setAlarm(Date.now() + 60_000);
    });
    await evictSkuStock(sale.stubs[2]!);
    await evictSkuStock(sale.coord);
    // in transfer: in nobody's allocation, so nobody can sell it — yet accounted for
    expect(await sale.ledger()).toMatchObject({ pool: 0, allocations: [4, 4, 1], inTransfer: 3, accounted: 12 });
    await runDurableObjectAlarm(sale.stubs[2]!);
    expect(await sale.ledger()).toMatchObject({ pool: 3, allocations: [4, 4, 1], inTransfer: 0, accounted: 12 });

    // the other way round: the coordinator's grant reached the bucket, but the ack was lost
    const grant: UnitTransfer = {
      id: `fsu_lost${crypto.randomUUID().slice(0, 8)}`,
      saleId: sale.saleId,
      from: COORDINATOR,
      to: 0,
      units: 2,
    };
    await runInSkuStock(sale.coord, (_i, state) => {
      state.storage.transactionSync(() => {
        state.storage.sql.exec(`UPDATE sale_pools SET pool = pool - 2 WHERE sale_id = ?`, sale.saleId);
        state.storage.sql.exec(
          `INSERT INTO unit_transfers (id, sale_id, from_b, to_b, to_name, units, acked, created_at) VALUES (?, ?, ?, 0, ?, 2, 0, ?)`,
          grant.id,
          sale.saleId,
          COORDINATOR,
          `${sale.skuId}#fs:${sale.saleId}:0`,
          Date.now(),
        );
      });
      return state.storage.setAlarm(Date.now() + 60_000);
    });
    expect(await sale.stubs[0]!.receiveUnits(grant)).toEqual({ applied: true });
    await evictSkuStock(sale.coord);
    await evictSkuStock(sale.stubs[0]!);
    // applied but not acked: counted in the bucket and in transfer until the resend confirms it
    expect(await sale.ledger()).toMatchObject({ pool: 1, allocations: [6, 4, 1], inTransfer: 2 });
    await runDurableObjectAlarm(sale.coord);
    await runDurableObjectAlarm(sale.coord); // a second run resends nothing
    expect(await sale.ledger()).toMatchObject({ pool: 1, allocations: [6, 4, 1], inTransfer: 0, accounted: 12 });

    // every unit can still be sold, once: bucket 0 sells its 6, then the pool's 1, then what the
    // idle buckets give back; 13 shoppers for 12 units leave exactly one without
    const crowd = sale.shoppersOf(0, 13);
    const out = await Promise.all(crowd.map((s) => sale.reserve(s)));
    const l = await sale.ledger();
    expect(l).toMatchObject({ accounted: 12, inTransfer: 0, taken: 12 });
    expect(out.filter((o) => o.ok)).toHaveLength(12);
    expect(out.filter((o) => !o.ok)).toEqual([{ ok: false, reason: 'sold_out', remaining: 0 }]);
  });

  it('winds up in order: the coordinator stops granting, the buckets close, then the pool is final; a late payment takes nothing', async () => {
    const sale = await bucketedSale(9, 3);
    const a = await sale.reserve(sale.shoppersOf(1, 1)[0]!);
    const lapsed = await sale.reserve(sale.shoppersOf(0, 1)[0]!);
    if (!a.ok || !lapsed.ok) throw new Error('reserve failed');
    await sale.stubs[0]!.release(lapsed.reservation.id);
    // the pool gets units: bucket 0 asks (free 0 is what it reports), the round reclaims from idle buckets
    await later(1_100);
    const granted = await sale.coord.refillBucket({
      config: sale.config,
      info: { skuId: sale.skuId, bucket: 0, buckets: 3, allocated: 9 },
      need: 1,
      free: 0,
    });
    expect(granted.granted).toBeGreaterThan(0);
    const before = await sale.ledger();
    expect(before.accounted).toBe(9);
    const end = sale.config.endsAt + 1;
    // not before the end
    expect(await sale.coord.beginCloseCoordinator(sale.saleId, end - 10)).toEqual({ ok: false, reason: 'not_ended' });
    // a pending reservation keeps its bucket open
    expect(await sale.coord.beginCloseCoordinator(sale.saleId, end)).toEqual({ ok: true });
    expect(await sale.stubs[1]!.closeSale(sale.saleId, end)).toMatchObject({ ok: false, reason: 'pending' });
    // closing: no more grants, whatever a bucket asks
    expect(
      await sale.coord.refillBucket({
        config: sale.config,
        info: { skuId: sale.skuId, bucket: 2, buckets: 3, allocated: 9 },
        need: 1,
        free: 0,
      }),
    ).toEqual({ granted: 0 });
    await sale.stubs[1]!.confirm(a.reservation.id);
    const closed = await Promise.all(sale.stubs.map((s) => s.closeSale(sale.saleId, end)));
    expect(closed.every((c) => c.ok)).toBe(true);
    const pool = await sale.coord.finishCloseCoordinator(sale.saleId, end);
    expect(pool).toEqual({ ok: true, unsold: before.pool });
    const unsold = closed.reduce((n, c) => n + (c.ok ? c.unsold : 0), 0) + (pool.ok ? pool.unsold : 0);
    expect(unsold).toBe(9 - 1);
    // idempotent
    expect(await sale.coord.finishCloseCoordinator(sale.saleId, end + 5)).toEqual(pool);
    expect(await Promise.all(sale.stubs.map((s) => s.closeSale(sale.saleId, end + 5)))).toEqual(closed);
    expect(await sale.stubs[0]!.confirm(lapsed.reservation.id)).toMatchObject({ ok: false, reason: 'closed' });
    expect((await sale.ledger()).accounted).toBe(9);
  });
});
