import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addSeat,
  addTeam,
  applyConfirm,
  applyRelease,
  decideConfirm,
  decideJoin,
  decideOpen,
  decideRelease,
  due,
  newDealState,
  unitsLeft,
  validDealConfig,
  type DealConfig,
  type DealState,
  type Seat,
  type SeatDecision,
  type SeatRole,
  type TeamState,
  type TeamStatus,
} from './rules';

const T0 = 1_700_000_000_000;
const config = (over: Partial<DealConfig> = {}): DealConfig => ({
  dealId: 'gbd_test',
  allocated: 20,
  groupSize: 3,
  teamTimeLimitMs: 60_000,
  seatTtlMs: 20_000,
  perShopperLimit: 2,
  autoFill: false,
  startsAt: T0,
  endsAt: T0 + 3_600_000,
  ...over,
});

/** The book's part of open/join, without storage: build the rows a `seat` decision allows and add them. */
let ids = 0;
function open(d: DealState, shopperId: string, key: string, now: number) {
  const dec = decideOpen(d, { shopperId, idempotencyKey: key, now });
  if (dec.kind !== 'seat') return { dec };
  const ts = addTeam(d, {
    id: `t${ids++}`,
    dealId: d.config.dealId,
    leaderId: shopperId,
    size: d.config.groupSize,
    status: 'forming',
    createdAt: now,
    openedAt: null,
    expiresAt: null,
    finishedAt: null,
  });
  const seat = newSeat(ts, shopperId, key, 'leader', now, dec.payBy);
  addSeat(d, ts, seat);
  return { dec, ts, seat };
}
function join(d: DealState, ts: TeamState, shopperId: string, key: string, now: number) {
  const dec = decideJoin(d, ts, { shopperId, idempotencyKey: key, now });
  if (dec.kind !== 'seat') return { dec };
  const seat = newSeat(ts, shopperId, key, 'member', now, dec.payBy);
  addSeat(d, ts, seat);
  return { dec, seat };
}
const newSeat = (ts: TeamState, shopperId: string, key: string, role: SeatRole, now: number, payBy: number): Seat => ({
  id: `s${ids++}`,
  teamId: ts.team.id,
  dealId: ts.team.dealId,
  shopperId,
  role,
  status: 'pending',
  idempotencyKey: key,
  createdAt: now,
  payBy,
  paidAt: null,
});
const newSeatId = () => `v${ids++}`;
const teamOf = (d: DealState, seat: Seat) => d.teams.get(seat.teamId)!;
const confirm = (d: DealState, seat: Seat, now: number) =>
  decideConfirm(seat) === 'apply' ? applyConfirm(d, teamOf(d, seat), seat, now) : null;
const release = (d: DealState, seat: Seat, now: number) =>
  decideRelease(seat) === 'apply' ? applyRelease(d, teamOf(d, seat), seat, now) : null;

/** Everything observable, for "due() twice changes nothing" comparisons. */
const dump = (d: DealState) =>
  JSON.stringify({
    held: d.held,
    paid: d.paid,
    counts: d.teamCounts,
    byShopper: [...d.byShopper],
    teams: [...d.teams.values()].map((ts) => ({ ...ts, members: [...ts.members] })),
  });

/** Cheap check for the hot loop; `expect` per step makes the property test ten times slower. */
function check(cond: boolean, what: string, d: DealState): asserts cond {
  if (!cond) expect.fail(`${what}\n${dump(d)}`);
}

/** Recomputes every invariant from the teams and seats themselves. */
function checkInvariants(d: DealState) {
  const all = [...d.teams.values()];
  const real = all.flatMap((ts) => ts.seats).filter((s) => s.role !== 'virtual');
  const holding = real.filter((s) => s.status === 'pending' || s.status === 'paid');
  check(d.held === holding.length, 'held units = pending + paid real seats', d);
  check(d.paid === real.filter((s) => s.status === 'paid').length, 'paid units = paid real seats', d);
  check(d.held <= d.config.allocated && unitsLeft(d) >= 0, 'never more than allocated', d);
  const perShopper = new Map<string, number>();
  for (const s of holding) perShopper.set(s.shopperId, (perShopper.get(s.shopperId) ?? 0) + 1);
  check(
    perShopper.size === d.byShopper.size && [...perShopper].every(([k, n]) => d.byShopper.get(k) === n),
    'byShopper matches the seats',
    d,
  );
  check(
    [...perShopper.values()].every((n) => n <= d.config.perShopperLimit),
    'per-shopper limit',
    d,
  );
  const counts: Record<TeamStatus, number> = { forming: 0, open: 0, succeeded: 0, failed: 0, void: 0 };
  for (const ts of all) {
    const t = ts.team;
    counts[t.status]++;
    const held = ts.seats.filter((s) => s.role !== 'virtual' && (s.status === 'pending' || s.status === 'paid'));
    check(ts.held === held.length, 'team held matches its seats', d);
    check(held.length <= t.size, 'team never over its size', d);
    check(new Set(held.map((s) => s.shopperId)).size === held.length, 'nobody twice in a team', d);
    const filled = ts.seats.filter((s) => s.status === 'paid').length; // real and virtual
    check(filled <= t.size, 'paid + virtual never over size', d);
    const leader = ts.seats.find((s) => s.role === 'leader');
    check(!!leader && ts.seats.filter((s) => s.role === 'leader').length === 1, 'one leader', d);
    if (t.status === 'open') check(leader.status === 'paid', 'an open team has a paid leader', d);
    if (t.status === 'succeeded')
      check(filled === t.size && held.every((s) => s.status === 'paid'), 'a succeeded team is exactly full and paid', d);
    if (t.status === 'failed' || t.status === 'void') check(held.length === 0, 'a finished unsuccessful team holds nothing', d);
    if (t.status === 'forming') check(ts.seats.length === 1, 'nobody joins a forming team', d);
  }
  check(JSON.stringify(d.teamCounts) === JSON.stringify(counts), 'team counters match', d);
}

type Op =
  | { op: 'open'; shopper: number; key: number }
  | { op: 'join'; team: number; shopper: number; key: number }
  | { op: 'confirm' | 'release'; pick: number }
  | { op: 'due'; advance: number };

const opArb = (shoppers: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: 2, arbitrary: fc.record({ op: fc.constant('open' as const), shopper: fc.nat(shoppers - 1), key: fc.nat(6) }) },
    {
      weight: 6,
      arbitrary: fc.record({ op: fc.constant('join' as const), team: fc.nat(1000), shopper: fc.nat(shoppers - 1), key: fc.nat(6) }),
    },
    { weight: 4, arbitrary: fc.record({ op: fc.constant('confirm' as const), pick: fc.nat(1000) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('release' as const), pick: fc.nat(1000) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('due' as const), advance: fc.integer({ min: 0, max: 40_000 }) }) },
  );

describe('group-buy rules', () => {
  it('random interleavings never overfill a team or the deal, nor seat a shopper twice; due() is idempotent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.array(opArb(12), { minLength: 20, maxLength: 250, size: 'max' }),
        (allocated, groupSize, perShopperLimit, autoFill, ops) => {
          const d = newDealState(config({ allocated, groupSize, perShopperLimit, autoFill }));
          const seats: Seat[] = [];
          /** shopper + key → the seat its first successful call made */
          const firstSeat = new Map<string, Seat>();
          const idem = (shopper: string, key: string, dec: SeatDecision, seat?: Seat) => {
            const k = `${shopper}/${key}`;
            const first = firstSeat.get(k);
            if (seat) {
              check(!first, `key ${k} used twice`, d);
              firstSeat.set(k, seat);
            } else if (first) check(dec.kind === 'duplicate' && dec.seat === first, `key ${k} must replay its first seat`, d);
          };
          let now = T0;
          for (const o of ops) {
            now += 500;
            const teams = [...d.teams.values()];
            if (o.op === 'open') {
              const r = open(d, `u${o.shopper}`, `k${o.key}`, now);
              if (r.seat) seats.push(r.seat);
              idem(`u${o.shopper}`, `k${o.key}`, r.dec, r.seat);
            } else if (o.op === 'join' && teams.length) {
              const ts = teams[o.team % teams.length]!;
              const before = ts.members.has(`u${o.shopper}`);
              const r = join(d, ts, `u${o.shopper}`, `k${o.key}`, now);
              if (r.seat) seats.push(r.seat);
              idem(`u${o.shopper}`, `k${o.key}`, r.dec, r.seat);
              if (before) check(r.dec.kind !== 'seat', 'a shopper already in the team cannot join it again', d);
            } else if ((o.op === 'confirm' || o.op === 'release') && seats.length) {
              // mostly act on seats that can still change, so teams actually open and fill
              const pending = seats.filter((s) => s.status === 'pending');
              const pool = pending.length && o.pick % 4 !== 0 ? pending : seats;
              const seat = pool[o.pick % pool.length]!;
              if (o.op === 'confirm') confirm(d, seat, now);
              else release(d, seat, now);
            } else if (o.op === 'due') {
              now += o.advance;
              const before = new Map(
                [...d.teams.values()].flatMap((ts) => [
                  [ts.team.id, ts.team.status] as const,
                  ...ts.seats.map((s) => [s.id, s.status] as const),
                ]),
              );
              due(d, now, newSeatId);
              for (const ts of d.teams.values()) {
                const t = ts.team;
                // nothing due is left behind, and nothing finished early
                if (t.status === 'open') expect(t.expiresAt!).toBeGreaterThan(now);
                if (before.get(t.id) === 'open' && t.status !== 'open') expect(t.expiresAt!).toBeLessThanOrEqual(now);
                for (const s of ts.seats) {
                  if (s.status === 'pending') expect(s.payBy).toBeGreaterThan(now);
                  if (before.get(s.id) === 'pending' && s.status === 'expired') expect(s.payBy <= now || t.expiresAt! <= now).toBe(true);
                }
              }
              const after = dump(d);
              const again = due(d, now, newSeatId);
              expect(again).toEqual({ teams: [], seats: [], succeeded: [], failed: [] });
              expect(dump(d)).toBe(after);
            }
            checkInvariants(d);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a team fills exactly: of many joiners, size - 1 get seats and the rest hear team_full', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10 }), fc.shuffledSubarray([...Array(40).keys()], { minLength: 40 }), (groupSize, order) => {
        const d = newDealState(config({ allocated: 100, groupSize }));
        const { ts, seat } = open(d, 'leader', 'k', T0);
        confirm(d, seat!, T0 + 1);
        const outcomes = order.map((i) => join(d, ts!, `u${i}`, 'k', T0 + 2).dec.kind);
        expect(outcomes.filter((k) => k === 'seat')).toHaveLength(groupSize - 1);
        expect(outcomes.filter((k) => k === 'team_full')).toHaveLength(40 - (groupSize - 1));
        checkInvariants(d);
      }),
      { numRuns: 100 },
    );
  });

  it('opening: window, limit before stock, and a repeated key wins over everything', () => {
    const d = newDealState(config({ allocated: 1, perShopperLimit: 1 }));
    expect(decideOpen(d, { shopperId: 'a', idempotencyKey: 'k', now: T0 - 1 }).kind).toBe('not_started');
    expect(decideOpen(d, { shopperId: 'a', idempotencyKey: 'k', now: T0 + 3_600_000 }).kind).toBe('ended');
    const { seat, ts } = open(d, 'a', 'k', T0);
    expect(ts!.team.status).toBe('forming');
    expect(seat!.payBy).toBe(T0 + 20_000);
    expect(decideOpen(d, { shopperId: 'a', idempotencyKey: 'k2', now: T0 })).toEqual({ kind: 'limit_reached', held: 1, limit: 1 });
    expect(decideOpen(d, { shopperId: 'b', idempotencyKey: 'k', now: T0 })).toEqual({ kind: 'sold_out', remaining: 0 });
    expect(decideOpen(d, { shopperId: 'a', idempotencyKey: 'k', now: T0 + 7_200_000 })).toEqual({ kind: 'duplicate', seat });
  });

  it('joining: forming, expired, already in, full', () => {
    const d = newDealState(config({ groupSize: 2 }));
    const { ts, seat } = open(d, 'lead', 'k', T0);
    expect(decideJoin(d, ts!, { shopperId: 'b', idempotencyKey: 'k', now: T0 })).toEqual({ kind: 'team_not_open', status: 'forming' });
    confirm(d, seat!, T0 + 1_000);
    expect(ts!.team).toMatchObject({ status: 'open', openedAt: T0 + 1_000, expiresAt: T0 + 61_000 });
    expect(decideJoin(d, ts!, { shopperId: 'lead', idempotencyKey: 'k-other', now: T0 + 2_000 }).kind).toBe('already_in_team');
    expect(decideJoin(d, ts!, { shopperId: 'b', idempotencyKey: 'k', now: T0 + 61_000 })).toEqual({
      kind: 'team_expired',
      expiresAt: T0 + 61_000,
    });
    const b = join(d, ts!, 'b', 'k', T0 + 2_000);
    expect(b.dec.kind).toBe('seat');
    expect(decideJoin(d, ts!, { shopperId: 'c', idempotencyKey: 'k', now: T0 + 2_000 }).kind).toBe('team_full');
    // b cancels: the seat is free again, and b may come back
    release(d, b.seat!, T0 + 3_000);
    expect(decideJoin(d, ts!, { shopperId: 'b', idempotencyKey: 'k-again', now: T0 + 3_000 }).kind).toBe('seat');
    const c = join(d, ts!, 'c', 'k', T0 + 3_000);
    expect(applyConfirm(d, ts!, c.seat!, T0 + 4_000).succeeded).toEqual([ts]);
    expect(ts!.team).toMatchObject({ status: 'succeeded', finishedAt: T0 + 4_000 });
    expect(decideJoin(d, ts!, { shopperId: 'd', idempotencyKey: 'k', now: T0 + 5_000 }).kind).toBe('team_full');
    expect(decideConfirm(c.seat!)).toBe('noop');
    expect(decideRelease(c.seat!)).toBe('refuse');
  });

  it('due: unpaid leader voids the team; a timed-out team fails (refunding) or is auto-filled', () => {
    const d = newDealState(config({ allocated: 10 }));
    const a = open(d, 'a', 'k', T0);
    due(d, T0 + 19_999, newSeatId);
    expect(a.ts!.team.status).toBe('forming');
    due(d, T0 + 20_000, newSeatId);
    expect(a.ts!.team.status).toBe('void');
    expect(a.seat!.status).toBe('expired');
    expect(decideConfirm(a.seat!)).toBe('refuse'); // the late payment is refunded by the caller

    const b = open(d, 'b', 'k', T0);
    confirm(d, b.seat!, T0 + 1_000);
    const paid = join(d, b.ts!, 'c', 'k', T0 + 2_000);
    confirm(d, paid.seat!, T0 + 3_000);
    expect(paid.seat!.status).toBe('paid');
    // still 3-seat: b and c paid, nobody else; a fresh member joins and does not pay
    const late = join(d, b.ts!, 'e', 'k', T0 + 50_000);
    expect(d.held).toBe(3);
    const fx = due(d, T0 + 61_000, newSeatId);
    expect(fx.failed).toEqual([b.ts]);
    expect(b.ts!.team.status).toBe('failed');
    expect([b.seat!.status, paid.seat!.status, late.seat!.status]).toEqual(['refunding', 'refunding', 'expired']);
    expect(d.held).toBe(0);
    expect(unitsLeft(d)).toBe(10);
    checkInvariants(d);

    const f = newDealState(config({ allocated: 10, autoFill: true, groupSize: 4 }));
    const t = open(f, 'x', 'k', T0);
    confirm(f, t.seat!, T0);
    const pending = join(f, t.ts!, 'y', 'k', T0 + 1);
    const fx2 = due(f, T0 + 60_000, newSeatId);
    expect(fx2.succeeded).toEqual([t.ts]);
    expect(t.ts!.team.status).toBe('succeeded');
    expect(pending.seat!.status).toBe('expired');
    expect(t.ts!.seats.filter((s) => s.role === 'virtual')).toHaveLength(3);
    expect(f.held).toBe(1); // virtual seats hold no unit
    checkInvariants(f);
  });

  it('validates configs', () => {
    expect(validDealConfig(config())).toBe(true);
    expect(validDealConfig(config({ groupSize: 1 }))).toBe(false);
    expect(validDealConfig(config({ groupSize: 11 }))).toBe(false);
    expect(validDealConfig(config({ perShopperLimit: 0 }))).toBe(false);
    expect(validDealConfig(config({ allocated: -1 }))).toBe(false);
    expect(validDealConfig(config({ endsAt: T0 }))).toBe(false);
  });
});
