import { runDurableObjectAlarm } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DealConfig } from '../workers/domains/group-buys/rules';
import type { QueueMessage } from '../workers/shared/events';
import type { Env } from '../workers/shared/env';
import type { GroupBuyBook, SeatOutcome } from './group-buy-book';
import type { SkuStock } from './sku-stock';
import { evictSkuStock as evictDurableObject, freshSkuStocks, runInSkuStock as runInDurableObject } from '../test/sku-stock';

// fresh objects per test; their alarms are deleted after each test (alarms are not reset between tests)
const freshStub = freshSkuStocks();

/** The book itself, for synchronous set-ups no alarm can interleave with, and for calling runDue directly. */
const bookOf = (inst: SkuStock) => (inst as unknown as { groupBuys: GroupBuyBook }).groupBuys;

type Sent = { message: QueueMessage; failed: boolean };
/**
 * Swaps the object's settlement queue for a recorder that forwards to the real queue (or fails, to
 * simulate an outage). Calls are kept on the instance and read back with `sentBy`.
 */
async function recordQueue(stub: DurableObjectStub<SkuStock>, fail: boolean) {
  await runInDurableObject(stub, (inst: SkuStock) => {
    const holder = inst as unknown as { env: Env; __sent?: Sent[]; __realQueue?: Queue };
    holder.__sent ??= [];
    holder.__realQueue ??= holder.env.SETTLEMENT;
    const real = holder.__realQueue;
    holder.env.SETTLEMENT = {
      send: async (message: QueueMessage) => {
        holder.__sent!.push({ message: structuredClone(message), failed: fail });
        if (fail) throw new Error('queue unavailable');
        return real.send(message);
      },
    } as unknown as Queue;
  });
}
const sentBy = (stub: DurableObjectStub<SkuStock>) =>
  runInDurableObject(stub, (inst: SkuStock) => structuredClone((inst as unknown as { __sent?: Sent[] }).__sent ?? []));
const outbox = (stub: DurableObjectStub<SkuStock>) =>
  runInDurableObject(stub, (_i: SkuStock, state) =>
    state.storage.sql
      .exec<{ id: string; type: string; data: string; sent_at: number | null }>(`SELECT id, type, data, sent_at FROM gb_outbox ORDER BY id`)
      .toArray(),
  );

const MIN = 60_000;
const HOUR = 60 * MIN;
async function withDeal(over: Partial<DealConfig> = {}) {
  const stub = freshStub();
  const dealId = `gbd_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const now = Date.now();
  const config: DealConfig = {
    dealId,
    allocated: 100,
    groupSize: 3,
    teamTimeLimitMs: HOUR,
    seatTtlMs: 15 * MIN,
    perShopperLimit: 1,
    autoFill: false,
    startsAt: now - 3 * HOUR,
    endsAt: now + HOUR,
    ...over,
  };
  expect((await stub.configureGroupBuy(config)).created).toBe(true);
  return { stub, dealId, config };
}

function seatOf(o: SeatOutcome) {
  if (!o.ok) throw new Error(`expected a seat, got ${o.reason}`);
  return o;
}

/** A team whose leader has paid, so others may join it. */
async function openTeam(stub: DurableObjectStub<SkuStock>, dealId: string, now = Date.now()) {
  const leader = seatOf(await stub.openGroupBuyTeam({ dealId, shopperId: 'usr_leader', idempotencyKey: 'k-open', now }));
  const paid = await stub.confirmGroupBuySeat(leader.seat.id, now);
  expect(paid).toMatchObject({ ok: true, changed: true, teamSucceeded: false, team: { status: 'open' } });
  return { teamId: leader.team.id, leaderSeat: leader.seat.id };
}

/** Join requests from `n` shoppers, in an order chosen by fast-check from `seed`. */
function joinOrder(n: number, seed: number): number[] {
  const [order] = fc.sample(fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }), { numRuns: 1, seed });
  return order!;
}

const reasons = (outcomes: SeatOutcome[]) => {
  const r: Record<string, number> = {};
  for (const o of outcomes) if (!o.ok) r[o.reason] = (r[o.reason] ?? 0) + 1;
  return r;
};

describe('SkuStock group buys (拼团)', () => {
  it('50 concurrent joins of a 3-seat team fill exactly the 2 free seats', async () => {
    for (const seed of [1, 2, 3]) {
      const { stub, dealId } = await withDeal({ groupSize: 3 });
      const { teamId } = await openTeam(stub, dealId);
      const outcomes = await Promise.all(
        joinOrder(50, seed).map((i) => stub.joinGroupBuyTeam({ teamId, shopperId: `usr_${i}`, idempotencyKey: `k-${i}` })),
      );
      expect(outcomes.filter((o) => o.ok)).toHaveLength(2);
      expect(reasons(outcomes)).toEqual({ team_full: 48 });
      const view = await stub.groupBuyTeam(teamId);
      expect(view!.seats.filter((s) => s.status === 'pending' || s.status === 'paid')).toHaveLength(3);
      expect(view!.seatsLeft).toBe(0);
      expect(await stub.groupBuySnapshot(dealId)).toEqual({
        dealId,
        allocated: 100,
        held: 3,
        paid: 1,
        remaining: 97,
        teams: { forming: 0, open: 1, succeeded: 0, failed: 0 },
        closed: false,
      });
      // storage agrees with what callers were told
      const stored = await runInDurableObject(
        stub,
        (_i: SkuStock, state) =>
          state.storage.sql
            .exec<{ n: number }>(`SELECT count(*) AS n FROM gb_seats WHERE team_id = ? AND status IN ('pending', 'paid')`, teamId)
            .one().n,
      );
      expect(stored).toBe(3);
    }
  });

  it('a shopper cannot hold two seats in one team; repeating a key replays the seat', async () => {
    const { stub, dealId } = await withDeal({ groupSize: 5, perShopperLimit: 3 });
    const { teamId } = await openTeam(stub, dealId);
    // five tries with different keys at once: one seat
    const tries = await Promise.all(
      [...Array(5).keys()].map((k) => stub.joinGroupBuyTeam({ teamId, shopperId: 'usr_a', idempotencyKey: `k-a-${k}` })),
    );
    expect(tries.filter((o) => o.ok)).toHaveLength(1);
    expect(reasons(tries)).toEqual({ already_in_team: 4 });
    expect(await stub.joinGroupBuyTeam({ teamId, shopperId: 'usr_leader', idempotencyKey: 'k-again' })).toEqual({
      ok: false,
      reason: 'already_in_team',
    });
    // the same key three times at once: one seat, two replays
    const same = await Promise.all([0, 1, 2].map(() => stub.joinGroupBuyTeam({ teamId, shopperId: 'usr_b', idempotencyKey: 'k-b' })));
    expect(new Set(same.map((o) => seatOf(o).seat.id)).size).toBe(1);
    expect(same.filter((o) => o.ok && !o.replayed)).toHaveLength(1);
    // another shopper's identical key is their own request
    const c = seatOf(await stub.joinGroupBuyTeam({ teamId, shopperId: 'usr_c', idempotencyKey: 'k-b' }));
    expect(c.replayed).toBe(false);
    expect((await stub.groupBuySnapshot(dealId))!.held).toBe(4);
  });

  it('two shoppers racing for the last seat: exactly one wins (team size and deal allocation)', async () => {
    for (const seed of [11, 12, 13, 14]) {
      const [first, second] = joinOrder(2, seed).map((i) => `usr_${i}`);
      // the team has one seat left
      const a = await withDeal({ groupSize: 2 });
      const t = await openTeam(a.stub, a.dealId);
      const race = await Promise.all(
        [first!, second!].map((shopperId) => a.stub.joinGroupBuyTeam({ teamId: t.teamId, shopperId, idempotencyKey: 'k' })),
      );
      expect(race.filter((o) => o.ok)).toHaveLength(1);
      expect(reasons(race)).toEqual({ team_full: 1 });
      // the team has two seats left but the deal only one unit
      const b = await withDeal({ groupSize: 3, allocated: 2 });
      const u = await openTeam(b.stub, b.dealId);
      const race2 = await Promise.all(
        [first!, second!].map((shopperId) => b.stub.joinGroupBuyTeam({ teamId: u.teamId, shopperId, idempotencyKey: 'k' })),
      );
      expect(race2.filter((o) => o.ok)).toHaveLength(1);
      expect(reasons(race2)).toEqual({ sold_out: 1 });
      expect((await b.stub.groupBuySnapshot(b.dealId))!.remaining).toBe(0);
    }
  });

  it('refuses with the reason: unknown deal or team, window, forming team, limit', async () => {
    const { stub, dealId, config } = await withDeal({ perShopperLimit: 1 });
    expect(await stub.openGroupBuyTeam({ dealId: 'gbd_nope', shopperId: 'usr_a', idempotencyKey: 'k' })).toEqual({
      ok: false,
      reason: 'unknown_deal',
    });
    expect(await stub.joinGroupBuyTeam({ teamId: 'gbt_nope', shopperId: 'usr_a', idempotencyKey: 'k' })).toEqual({
      ok: false,
      reason: 'unknown_team',
    });
    expect(await stub.openGroupBuyTeam({ dealId, shopperId: 'usr_a', idempotencyKey: 'k', now: config.startsAt - 1 })).toMatchObject({
      ok: false,
      reason: 'not_started',
    });
    expect(await stub.openGroupBuyTeam({ dealId, shopperId: 'usr_a', idempotencyKey: 'k', now: config.endsAt })).toMatchObject({
      ok: false,
      reason: 'ended',
    });
    const forming = seatOf(await stub.openGroupBuyTeam({ dealId, shopperId: 'usr_a', idempotencyKey: 'k' }));
    expect(await stub.joinGroupBuyTeam({ teamId: forming.team.id, shopperId: 'usr_b', idempotencyKey: 'k' })).toMatchObject({
      ok: false,
      reason: 'team_not_open',
      status: 'forming',
    });
    expect(await stub.openGroupBuyTeam({ dealId, shopperId: 'usr_a', idempotencyKey: 'k-2' })).toMatchObject({
      ok: false,
      reason: 'limit_reached',
      held: 1,
      limit: 1,
    });
    // configuring again changes nothing
    const again = await stub.configureGroupBuy({ ...config, allocated: 999 });
    expect(again).toEqual({ created: false, config });
    expect(await stub.confirmGroupBuySeat('gbs_nope')).toEqual({ ok: false, reason: 'unknown_seat' });
  });

  it('the last payment completes the team and hands its outbox row to the queue at once', async () => {
    const { stub, dealId } = await withDeal({ groupSize: 3 });
    await recordQueue(stub, false);
    const { teamId, leaderSeat } = await openTeam(stub, dealId);
    const b = seatOf(await stub.joinGroupBuyTeam({ teamId, shopperId: 'usr_b', idempotencyKey: 'k' }));
    const c = seatOf(await stub.joinGroupBuyTeam({ teamId, shopperId: 'usr_c', idempotencyKey: 'k' }));
    expect(await stub.confirmGroupBuySeat(b.seat.id)).toMatchObject({ ok: true, changed: true, teamSucceeded: false });
    expect(await stub.confirmGroupBuySeat(c.seat.id)).toMatchObject({
      ok: true,
      changed: true,
      teamSucceeded: true,
      team: { status: 'succeeded' },
    });
    expect(await stub.confirmGroupBuySeat(c.seat.id)).toMatchObject({ ok: true, changed: false, teamSucceeded: false });
    expect(await stub.releaseGroupBuySeat(c.seat.id)).toMatchObject({ ok: false, reason: 'not_pending', status: 'paid' });
    expect(await stub.joinGroupBuyTeam({ teamId, shopperId: 'usr_d', idempotencyKey: 'k' })).toMatchObject({
      ok: false,
      reason: 'team_full',
    });

    const rows = await outbox(stub);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: `gbok:${teamId}`, type: 'group_buys.team_succeeded' });
    expect(rows[0]!.sent_at).not.toBeNull();
    const sent = await sentBy(stub);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.message).toMatchObject({
      type: 'group_buys.team_succeeded',
      id: `gbok:${teamId}`,
      data: {
        teamId,
        dealId,
        seats: [
          { seatId: leaderSeat, shopperId: 'usr_leader', role: 'leader' },
          { seatId: b.seat.id, shopperId: 'usr_b', role: 'member' },
          { seatId: c.seat.id, shopperId: 'usr_c', role: 'member' },
        ],
      },
    });
    expect(typeof sent[0]!.message.at).toBe('number');
    expect(await stub.groupBuySnapshot(dealId)).toMatchObject({ held: 3, paid: 3, remaining: 97, teams: { open: 0, succeeded: 1 } });
  });

  it('state survives eviction', async () => {
    const { stub, dealId } = await withDeal({ groupSize: 3, perShopperLimit: 1 });
    const { teamId } = await openTeam(stub, dealId);
    const b = seatOf(await stub.joinGroupBuyTeam({ teamId, shopperId: 'usr_b', idempotencyKey: 'k-b' }));
    await stub.confirmGroupBuySeat(b.seat.id);
    const c = seatOf(await stub.joinGroupBuyTeam({ teamId, shopperId: 'usr_c', idempotencyKey: 'k-c' }));
    const forming = seatOf(await stub.openGroupBuyTeam({ dealId, shopperId: 'usr_f', idempotencyKey: 'k-f' }));
    const released = seatOf(await stub.openGroupBuyTeam({ dealId, shopperId: 'usr_r', idempotencyKey: 'k-r' }));
    expect(await stub.releaseGroupBuySeat(released.seat.id)).toMatchObject({ ok: true, changed: true, teamVoided: true });
    const before = {
      snap: await stub.groupBuySnapshot(dealId),
      team: await stub.groupBuyTeam(teamId),
      forming: await stub.groupBuyTeam(forming.team.id),
    };
    expect(before.snap).toMatchObject({ held: 4, paid: 2, teams: { forming: 1, open: 1 } });

    await evictDurableObject(stub);
    expect({
      snap: await stub.groupBuySnapshot(dealId),
      team: await stub.groupBuyTeam(teamId),
      forming: await stub.groupBuyTeam(forming.team.id),
    }).toEqual(before);
    // the reloaded state still refuses and replays as before
    expect(await stub.joinGroupBuyTeam({ teamId, shopperId: 'usr_b', idempotencyKey: 'k-b2' })).toMatchObject({
      ok: false,
      reason: 'already_in_team',
    });
    expect(await stub.openGroupBuyTeam({ dealId, shopperId: 'usr_b', idempotencyKey: 'k-b3' })).toMatchObject({
      ok: false,
      reason: 'limit_reached',
      held: 1,
    });
    expect(await stub.joinGroupBuyTeam({ teamId, shopperId: 'usr_x', idempotencyKey: 'k-x' })).toMatchObject({
      ok: false,
      reason: 'team_full',
    });
    expect(await stub.joinGroupBuyTeam({ teamId, shopperId: 'usr_c', idempotencyKey: 'k-c' })).toMatchObject({
      ok: true,
      replayed: true,
      seat: { id: c.seat.id },
    });
    expect(await stub.releaseGroupBuySeat(released.seat.id)).toMatchObject({ ok: true, changed: false });
    // and moves on: the last payment completes the team
    expect(await stub.confirmGroupBuySeat(c.seat.id)).toMatchObject({ ok: true, teamSucceeded: true });
    await evictDurableObject(stub);
    expect(await stub.groupBuySnapshot(dealId)).toMatchObject({ held: 4, paid: 3, teams: { forming: 1, open: 0, succeeded: 1 } });
    expect((await outbox(stub)).map((r) => r.id)).toEqual([`gbok:${teamId}`]);
  });

  it('schedules the alarm for the earliest unpaid seat or team expiry', async () => {
    const { stub, dealId } = await withDeal({ seatTtlMs: 15 * MIN, teamTimeLimitMs: 10 * MIN });
    const alarm = () => runInDurableObject(stub, (_i: SkuStock, state) => state.storage.getAlarm());
    const now = Date.now();
    const leader = seatOf(await stub.openGroupBuyTeam({ dealId, shopperId: 'usr_l', idempotencyKey: 'k', now }));
    expect(await alarm()).toBe(now + 15 * MIN);
    await stub.confirmGroupBuySeat(leader.seat.id, now + 1_000);
    expect(await alarm()).toBe(now + 1_000 + 10 * MIN);
    expect(await runInDurableObject(stub, (inst: SkuStock) => bookOf(inst).nextDueAt())).toBe(now + 1_000 + 10 * MIN);
  });

  it('an expired open team fails; its outbox row is sent exactly once however often the alarm runs', async () => {
    const { stub, dealId, config } = await withDeal({ groupSize: 4, allocated: 10, seatTtlMs: 3 * HOUR });
    await recordQueue(stub, false);
    // Built synchronously inside the object, so the alarm cannot fail the team half-way through.
    const t0 = Date.now() - 2 * HOUR;
    const ids = await runInDurableObject(stub, (inst: SkuStock) => {
      const book = bookOf(inst);
      const leader = seatOf(book.openTeam({ dealId, shopperId: 'usr_l', idempotencyKey: 'k', now: t0 }));
      book.confirmSeat(leader.seat.id, t0 + 1_000); // team expires at t0 + 1 s + 1 h: an hour ago
      const paid = seatOf(book.joinTeam({ teamId: leader.team.id, shopperId: 'usr_p', idempotencyKey: 'k', now: t0 + 2_000 }));
      book.confirmSeat(paid.seat.id, t0 + 3_000);
      // joined just before the deadline and never paid; its hold would outlive the team
      const unpaid = seatOf(book.joinTeam({ teamId: leader.team.id, shopperId: 'usr_u', idempotencyKey: 'k', now: t0 + HOUR }));
      return { teamId: leader.team.id, leader: leader.seat.id, paid: paid.seat.id, unpaid: unpaid.seat.id, unpaidPayBy: unpaid.seat.payBy };
    });
    expect(ids.unpaidPayBy).toBeGreaterThan(Date.now()); // only the team's expiry is due
    expect(await stub.groupBuySnapshot(dealId)).toMatchObject({ held: 3, remaining: 7, teams: { open: 1 } });
    await runInDurableObject(stub, (_i: SkuStock, state) => state.storage.setAlarm(Date.now()));

    await runDurableObjectAlarm(stub); // may also have fired by itself already; either way it ran
    await runDurableObjectAlarm(stub);
    await runInDurableObject(stub, (inst: SkuStock) => inst.alarm()); // a second delivery of the same alarm
    const again = await runInDurableObject(stub, (inst: SkuStock) => bookOf(inst).runDue(Date.now()));
    expect(again).toEqual({ succeeded: [], failed: [], expiredSeats: 0 });

    const view = (await stub.groupBuyTeam(ids.teamId))!;
    expect(view.team.status).toBe('failed');
    expect(Object.fromEntries(view.seats.map((s) => [s.id, s.status]))).toEqual({
      [ids.leader]: 'refunding',
      [ids.paid]: 'refunding',
      [ids.unpaid]: 'expired',
    });
    expect(await stub.groupBuySnapshot(dealId)).toEqual({
      dealId,
      allocated: 10,
      held: 0,
      paid: 0,
      remaining: 10,
      teams: { forming: 0, open: 0, succeeded: 0, failed: 1 },
      closed: false,
    });
    const rows = await outbox(stub);
    expect(rows.map((r) => [r.id, r.type, r.sent_at != null])).toEqual([[`gbfail:${ids.teamId}`, 'group_buys.team_failed', true]]);
    expect(JSON.parse(rows[0]!.data)).toEqual({
      teamId: ids.teamId,
      dealId,
      seats: [
        { seatId: ids.leader, shopperId: 'usr_l', role: 'leader' },
        { seatId: ids.paid, shopperId: 'usr_p', role: 'member' },
      ],
    });
    const sent = await sentBy(stub);
    expect(sent.map((s) => s.message.id)).toEqual([`gbfail:${ids.teamId}`]);
    // a payment for the expired seat arriving now is refused, to be refunded
    expect(await stub.confirmGroupBuySeat(ids.unpaid)).toEqual({ ok: false, reason: 'not_pending', status: 'expired' });
    expect(config.autoFill).toBe(false);
  });

  it('with autoFill, an expiring team succeeds with virtual members instead', async () => {
    const { stub, dealId } = await withDeal({ groupSize: 4, allocated: 10, autoFill: true });
    const t0 = Date.now() - 2 * HOUR;
    const ids = await runInDurableObject(stub, (inst: SkuStock) => {
      const book = bookOf(inst);
      const leader = seatOf(book.openTeam({ dealId, shopperId: 'usr_l', idempotencyKey: 'k', now: t0 }));
      book.confirmSeat(leader.seat.id, t0 + 1_000);
      const paid = seatOf(book.joinTeam({ teamId: leader.team.id, shopperId: 'usr_p', idempotencyKey: 'k', now: t0 + 2_000 }));
      book.confirmSeat(paid.seat.id, t0 + 3_000);
      return { teamId: leader.team.id, leader: leader.seat.id, paid: paid.seat.id };
    });
    await runInDurableObject(stub, (_i: SkuStock, state) => state.storage.setAlarm(Date.now()));
    await runDurableObjectAlarm(stub);
    await runInDurableObject(stub, (inst: SkuStock) => inst.alarm());

    const view = (await stub.groupBuyTeam(ids.teamId))!;
    expect(view.team.status).toBe('succeeded');
    expect(view.seats.map((s) => [s.role, s.status])).toEqual([
      ['leader', 'paid'],
      ['member', 'paid'],
      ['virtual', 'paid'],
      ['virtual', 'paid'],
    ]);
    // virtual members hold no stock
    expect(await stub.groupBuySnapshot(dealId)).toMatchObject({
      held: 2,
      paid: 2,
      remaining: 8,
      teams: { open: 0, succeeded: 1, failed: 0 },
    });
    const rows = await outbox(stub);
    expect(rows.map((r) => [r.id, r.sent_at != null])).toEqual([[`gbok:${ids.teamId}`, true]]);
    expect(JSON.parse(rows[0]!.data).seats).toEqual([
      { seatId: ids.leader, shopperId: 'usr_l', role: 'leader' },
      { seatId: ids.paid, shopperId: 'usr_p', role: 'member' },
    ]);
  });

  it('an unpaid leader seat expiring voids the team and returns the unit', async () => {
    const { stub, dealId, config } = await withDeal({ allocated: 1, perShopperLimit: 1 });
    // opened 16 minutes ago with a 15-minute hold: already due (the alarm may fire by itself)
    const open = seatOf(
      await stub.openGroupBuyTeam({ dealId, shopperId: 'usr_l', idempotencyKey: 'k', now: Date.now() - config.seatTtlMs - MIN }),
    );
    await runDurableObjectAlarm(stub);
    await runInDurableObject(stub, (inst: SkuStock) => inst.alarm());

    const view = (await stub.groupBuyTeam(open.team.id))!;
    expect(view.team.status).toBe('void');
    expect(view.seats.map((s) => s.status)).toEqual(['expired']);
    expect(await stub.groupBuySnapshot(dealId)).toEqual({
      dealId,
      allocated: 1,
      held: 0,
      paid: 0,
      remaining: 1,
      teams: { forming: 0, open: 0, succeeded: 0, failed: 0 },
      closed: false,
    });
    expect(await stub.confirmGroupBuySeat(open.seat.id)).toEqual({ ok: false, reason: 'not_pending', status: 'expired' });
    expect(await outbox(stub)).toEqual([]); // a team that never opened tells settlement nothing
    // the unit and the shopper's limit are free again
    expect(await stub.openGroupBuyTeam({ dealId, shopperId: 'usr_l', idempotencyKey: 'k-2' })).toMatchObject({ ok: true, replayed: false });
  });

  it('when the queue refuses, the outbox row stays and an alarm retries it within 30 s', async () => {
    const { stub, dealId } = await withDeal({ groupSize: 2 });
    await recordQueue(stub, true);
    const { teamId } = await openTeam(stub, dealId);
    const b = seatOf(await stub.joinGroupBuyTeam({ teamId, shopperId: 'usr_b', idempotencyKey: 'k' }));
    const before = Date.now();
    expect(await stub.confirmGroupBuySeat(b.seat.id)).toMatchObject({ ok: true, teamSucceeded: true });
    expect((await outbox(stub)).map((r) => r.sent_at)).toEqual([null]);
    const retryAt = await runInDurableObject(stub, (_i: SkuStock, state) => state.storage.getAlarm());
    expect(retryAt).not.toBeNull();
    expect(retryAt!).toBeLessThanOrEqual(Date.now() + 30_000);
    expect(retryAt!).toBeGreaterThanOrEqual(before);

    // still down at the next alarm: still unsent, still scheduled
    await runDurableObjectAlarm(stub);
    expect((await outbox(stub)).map((r) => r.sent_at)).toEqual([null]);
    expect(await runInDurableObject(stub, (_i: SkuStock, state) => state.storage.getAlarm())).not.toBeNull();

    await recordQueue(stub, false);
    await runDurableObjectAlarm(stub);
    expect((await outbox(stub)).map((r) => r.sent_at != null)).toEqual([true]);
    const sent = await sentBy(stub);
    expect(sent.map((s) => s.failed)).toEqual([true, true, false]);
    expect(new Set(sent.map((s) => s.message.id))).toEqual(new Set([`gbok:${teamId}`]));
    // nothing left to do: no alarm
    expect(await runInDurableObject(stub, (_i: SkuStock, state) => state.storage.getAlarm())).toBeNull();
  });
});
