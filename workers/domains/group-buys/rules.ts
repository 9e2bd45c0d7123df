/**
 * Group-buy (拼团) decision rules: pure functions, no I/O. The SkuStock Durable Object owns the
 * state and serialises calls (through GroupBuyBook); these functions say what a request may do and
 * move the counters, so they can be property-tested outside workerd.
 *
 * One real seat holds one unit of the deal's allocation while it is pending or paid; virtual seats
 * (模拟成团) hold none.
 */

export interface DealConfig {
  dealId: string;
  /** Units moved out of normal SKU stock into this deal. */
  allocated: number;
  /** Seats per team, 2..10. */
  groupSize: number;
  /** A team must fill within this long after its leader pays. */
  teamTimeLimitMs: number;
  /** How long an unpaid seat holds its unit. */
  seatTtlMs: number;
  /** Seats one shopper may hold (pending + paid) across all of the deal's teams. */
  perShopperLimit: number;
  /** 模拟成团: an expiring team with at least one paid member is completed with virtual members. */
  autoFill: boolean;
  /** epoch ms, inclusive */
  startsAt: number;
  /** epoch ms, exclusive */
  endsAt: number;
}

export type TeamStatus = 'forming' | 'open' | 'succeeded' | 'failed' | 'void';
export type SeatStatus = 'pending' | 'paid' | 'released' | 'expired' | 'refunding';
export type SeatRole = 'leader' | 'member' | 'virtual';

export interface Team {
  id: string;
  dealId: string;
  leaderId: string;
  size: number;
  status: TeamStatus;
  createdAt: number;
  /** When the leader paid (the team became joinable). */
  openedAt: number | null;
  /** Joins are refused from this instant; due() fails or fills the team at it. */
  expiresAt: number | null;
  finishedAt: number | null;
}

export interface Seat {
  id: string;
  teamId: string;
  dealId: string;
  /** '' for virtual seats: they belong to nobody. */
  shopperId: string;
  role: SeatRole;
  status: SeatStatus;
  idempotencyKey: string;
  createdAt: number;
  payBy: number;
  paidAt: number | null;
}

export type Refusal =
  | 'unknown_deal'
  | 'not_started'
  | 'ended'
  | 'sold_out'
  | 'limit_reached'
  | 'unknown_team'
  | 'team_not_open'
  | 'team_expired'
  | 'team_full'
  | 'already_in_team';

export interface TeamState {
  team: Team;
  seats: Seat[];
  /** Real seats that are pending or paid: the seats nobody else may take. */
  held: number;
  /** Real seats that are paid. */
  paid: number;
  /** Shoppers holding a pending or paid seat in this team. */
  members: Set<string>;
}

export interface DealState {
  config: DealConfig;
  /** Units held by pending or paid real seats. */
  held: number;
  /** Units held by paid real seats. */
  paid: number;
  /** shopperId → seats held (pending + paid) across the deal. */
  byShopper: Map<string, number>;
  /** idempotency scope (see `idemScope`) → the seat it produced, whatever its status. */
  byKey: Map<string, Seat>;
  teams: Map<string, TeamState>;
  teamCounts: Record<TeamStatus, number>;
  /** Set once the deal was wound up (its unsold units go back to normal stock): nothing can take units any more. */
  closed: boolean;
}

export interface SeatRequest {
  shopperId: string;
  idempotencyKey: string;
  now: number;
}

export type SeatDecision =
  | { kind: 'seat'; payBy: number }
  | { kind: 'duplicate'; seat: Seat }
  | { kind: 'not_started'; startsAt: number }
  | { kind: 'ended'; endsAt: number }
  | { kind: 'sold_out'; remaining: number }
  | { kind: 'limit_reached'; held: number; limit: number }
  | { kind: 'team_not_open'; status: TeamStatus }
  | { kind: 'team_expired'; expiresAt: number }
  | { kind: 'team_full'; size: number }
  | { kind: 'already_in_team' };

/** What changed in one step, so the caller can persist exactly those rows and outbox entries. */
export interface Effects {
  teams: Team[];
  /** Changed and newly created seats (virtual seats from auto-fill are new). */
  seats: Seat[];
  succeeded: TeamState[];
  failed: TeamState[];
}

const noEffects = (): Effects => ({ teams: [], seats: [], succeeded: [], failed: [] });

/** Idempotency keys are scoped to the shopper, so a reused key never returns someone else's seat. */
export const idemScope = (shopperId: string, idempotencyKey: string): string => `${shopperId}\u0000${idempotencyKey}`;

/** Whether a seat takes a unit out of the pool: real seats that are pending or paid. */
export const holdsUnit = (s: Pick<Seat, 'role' | 'status'>): boolean =>
  s.role !== 'virtual' && (s.status === 'pending' || s.status === 'paid');

/** Validates a deal configuration; the Durable Object refuses to store an invalid one. */
export function validDealConfig(c: DealConfig): boolean {
  const int = (n: unknown, min: number, max = Number.MAX_SAFE_INTEGER) =>
    Number.isInteger(n) && (n as number) >= min && (n as number) <= max;
  return (
    typeof c.dealId === 'string' &&
    c.dealId.length > 0 &&
    int(c.allocated, 0) &&
    int(c.groupSize, 2, 10) &&
    int(c.teamTimeLimitMs, 1) &&
    int(c.seatTtlMs, 1) &&
    int(c.perShopperLimit, 1) &&
    typeof c.autoFill === 'boolean' &&
    Number.isFinite(c.startsAt) &&
    Number.isFinite(c.endsAt) &&
    c.startsAt < c.endsAt
  );
}

/** An empty deal: nothing held, no teams. */
export function newDealState(config: DealConfig): DealState {
  return {
    config,
    held: 0,
    paid: 0,
    byShopper: new Map(),
    byKey: new Map(),
    teams: new Map(),
    teamCounts: { forming: 0, open: 0, succeeded: 0, failed: 0, void: 0 },
    closed: false,
  };
}

/** Units nobody holds. */
export const unitsLeft = (d: DealState): number => d.config.allocated - d.held;

/** Records a team (new, or reloaded from storage with whatever status it has). */
export function addTeam(d: DealState, team: Team): TeamState {
  const ts: TeamState = { team, seats: [], held: 0, paid: 0, members: new Set() };
  d.teams.set(team.id, ts);
  d.teamCounts[team.status]++;
  return ts;
}

/** Records a seat (new, or reloaded from storage) in its team's counters and the deal's. */
export function addSeat(d: DealState, ts: TeamState, seat: Seat): void {
  ts.seats.push(seat);
  if (seat.role !== 'virtual') d.byKey.set(idemScope(seat.shopperId, seat.idempotencyKey), seat);
  if (holdsUnit(seat)) hold(d, ts, seat, +1);
  if (seat.role !== 'virtual' && seat.status === 'paid') payCount(d, ts, +1);
}

function hold(d: DealState, ts: TeamState, seat: Seat, delta: 1 | -1): void {
  d.held += delta;
  ts.held += delta;
  const n = (d.byShopper.get(seat.shopperId) ?? 0) + delta;
  if (n > 0) d.byShopper.set(seat.shopperId, n);
  else d.byShopper.delete(seat.shopperId);
  if (delta > 0) ts.members.add(seat.shopperId);
  else ts.members.delete(seat.shopperId);
}

function payCount(d: DealState, ts: TeamState, delta: 1 | -1): void {
  d.paid += delta;
  ts.paid += delta;
}

function setTeamStatus(d: DealState, ts: TeamState, status: TeamStatus): void {
  d.teamCounts[ts.team.status]--;
  d.teamCounts[status]++;
  ts.team.status = status;
}

/** Shared by open and join: the shopper's limit first (so they hear why), then stock. */
function seatOrRefuse(d: DealState, req: SeatRequest): SeatDecision {
  const held = d.byShopper.get(req.shopperId) ?? 0;
  if (held + 1 > d.config.perShopperLimit) return { kind: 'limit_reached', held, limit: d.config.perShopperLimit };
  const left = unitsLeft(d);
  if (left < 1) return { kind: 'sold_out', remaining: left };
  return { kind: 'seat', payBy: req.now + d.config.seatTtlMs };
}

/**
 * Decides opening a new team (the shopper becomes its leader). A repeated idempotency key wins over
 * every other check, so a retry after sell-out or the end still gets the seat the first call made.
 */
export function decideOpen(d: DealState, req: SeatRequest): SeatDecision {
  const earlier = d.byKey.get(idemScope(req.shopperId, req.idempotencyKey));
  if (earlier) return { kind: 'duplicate', seat: earlier };
  if (req.now < d.config.startsAt) return { kind: 'not_started', startsAt: d.config.startsAt };
  if (req.now >= d.config.endsAt || d.closed) return { kind: 'ended', endsAt: d.config.endsAt };
  return seatOrRefuse(d, req);
}

/**
 * Decides joining an open team. The deal window is not checked: a team opened before the deal
 * ended may still fill until its own expiry. A succeeded team is reported full rather than
 * "not open" because that is what the shopper needs to hear (open a new team instead).
 */
export function decideJoin(d: DealState, ts: TeamState, req: SeatRequest): SeatDecision {
  const earlier = d.byKey.get(idemScope(req.shopperId, req.idempotencyKey));
  if (earlier) return { kind: 'duplicate', seat: earlier };
  if (d.closed) return { kind: 'ended', endsAt: d.config.endsAt };
  const t = ts.team;
  if (t.status === 'succeeded') return { kind: 'team_full', size: t.size };
  if (t.status !== 'open') return { kind: 'team_not_open', status: t.status };
  if (t.expiresAt != null && req.now >= t.expiresAt) return { kind: 'team_expired', expiresAt: t.expiresAt };
  if (ts.members.has(req.shopperId)) return { kind: 'already_in_team' };
  if (ts.held >= t.size) return { kind: 'team_full', size: t.size };
  return seatOrRefuse(d, req);
}

export type CloseDecision =
  | { kind: 'close' | 'closed'; paid: number; unsold: number }
  | { kind: 'not_ended'; endsAt: number }
  | { kind: 'busy'; teams: number; pending: number };

/**
 * Decides winding a deal up (its unsold units go back to normal stock). Allowed once the deal has
 * ended and every team is final with no seat pending: a team opened before the end may still fill
 * until its own expiry, and a pending seat may still be paid. Then the only units still held are
 * the paid seats of succeeded teams (failed teams' refunding seats and virtual seats hold none).
 * An already closed deal answers 'closed' with the same numbers: nothing moves after the close.
 */
export function decideClose(d: DealState, now: number): CloseDecision {
  const paid = d.paid;
  const unsold = d.config.allocated - paid;
  if (d.closed) return { kind: 'closed', paid, unsold };
  if (now < d.config.endsAt) return { kind: 'not_ended', endsAt: d.config.endsAt };
  const teams = d.teamCounts.forming + d.teamCounts.open;
  const pending = d.held - d.paid;
  if (teams > 0 || pending > 0) return { kind: 'busy', teams, pending };
  return { kind: 'close', paid, unsold };
}

/** Payment arrived: only a pending seat can be paid; paying twice is a no-op. */
export function decideConfirm(seat: Seat): 'apply' | 'noop' | 'refuse' {
  return seat.status === 'pending' ? 'apply' : seat.status === 'paid' ? 'noop' : 'refuse';
}

/**
 * Marks a pending seat paid. The leader paying opens the team (its clock starts then, not at
 * creation, so an unpaid leader cannot burn the team's time); the last paid seat completes it.
 */
export function applyConfirm(d: DealState, ts: TeamState, seat: Seat, now: number): Effects {
  const fx = noEffects();
  seat.status = 'paid';
  seat.paidAt = now;
  payCount(d, ts, +1);
  fx.seats.push(seat);
  const t = ts.team;
  if (seat.role === 'leader' && t.status === 'forming') {
    setTeamStatus(d, ts, 'open');
    t.openedAt = now;
    t.expiresAt = now + d.config.teamTimeLimitMs;
    fx.teams.push(t);
  }
  if (t.status === 'open' && ts.paid >= t.size) {
    setTeamStatus(d, ts, 'succeeded');
    t.finishedAt = now;
    if (!fx.teams.includes(t)) fx.teams.push(t);
    fx.succeeded.push(ts);
  }
  return fx;
}

/** Cancelling an unpaid order: only a pending seat can be released; released/expired is a no-op. */
export function decideRelease(seat: Seat): 'apply' | 'noop' | 'refuse' {
  return seat.status === 'pending' ? 'apply' : seat.status === 'released' || seat.status === 'expired' ? 'noop' : 'refuse';
}

/**
 * Gives a pending seat's unit back (released by the shopper, or expired by due()). A leader who
 * never paid leaves a team nobody could join: it becomes void.
 */
export function applyRelease(d: DealState, ts: TeamState, seat: Seat, now: number, status: 'released' | 'expired' = 'released'): Effects {
  const fx = noEffects();
  seat.status = status;
  hold(d, ts, seat, -1);
  fx.seats.push(seat);
  const t = ts.team;
  if (seat.role === 'leader' && t.status === 'forming') {
    setTeamStatus(d, ts, 'void');
    t.finishedAt = now;
    fx.teams.push(t);
  }
  return fx;
}

/** What due() does to an open team whose time is up and that is not complete. */
export function decideTeamDue(d: DealState, ts: TeamState, now: number): 'none' | 'autofill' | 'fail' {
  const t = ts.team;
  if (t.status !== 'open' || t.expiresAt == null || t.expiresAt > now) return 'none';
  return d.config.autoFill && ts.paid >= 1 ? 'autofill' : 'fail';
}

/**
 * Finishes a timed-out team. Either way its pending seats expire (the team is over, so there is
 * nothing left to pay into). Auto-fill tops the paid seats up with virtual ones; failure moves the
 * paid seats to refunding, which gives their units back to the pool.
 */
export function applyTeamDue(d: DealState, ts: TeamState, now: number, kind: 'autofill' | 'fail', newSeatId: () => string): Effects {
  const fx = noEffects();
  const t = ts.team;
  for (const seat of ts.seats) {
    if (seat.role === 'virtual') continue;
    if (seat.status === 'pending') {
      seat.status = 'expired';
      hold(d, ts, seat, -1);
      fx.seats.push(seat);
    } else if (seat.status === 'paid' && kind === 'fail') {
      seat.status = 'refunding';
      hold(d, ts, seat, -1);
      payCount(d, ts, -1);
      fx.seats.push(seat);
    }
  }
  if (kind === 'autofill') {
    for (let i = ts.paid; i < t.size; i++) {
      const v: Seat = {
        id: newSeatId(),
        teamId: t.id,
        dealId: t.dealId,
        shopperId: '',
        role: 'virtual',
        status: 'paid',
        idempotencyKey: `virtual:${t.id}:${i}`,
        createdAt: now,
        payBy: now,
        paidAt: now,
      };
      addSeat(d, ts, v);
      fx.seats.push(v);
    }
  }
  setTeamStatus(d, ts, kind === 'autofill' ? 'succeeded' : 'failed');
  t.finishedAt = now;
  fx.teams.push(t);
  (kind === 'autofill' ? fx.succeeded : fx.failed).push(ts);
  return fx;
}

/** Concatenates effects in order (a team touched twice appears once). */
export function mergeEffects(into: Effects, more: Effects): Effects {
  for (const t of more.teams) if (!into.teams.includes(t)) into.teams.push(t);
  for (const s of more.seats) if (!into.seats.includes(s)) into.seats.push(s);
  into.succeeded.push(...more.succeeded);
  into.failed.push(...more.failed);
  return into;
}

/**
 * Everything due at `now` for the given teams (default: every team of the deal): timed-out open
 * teams first (so their pending seats expire with them), then pending seats past payBy. Each step
 * is guarded by the current status, so running due() again at the same time changes nothing.
 * Callers with many teams pass only the candidates an index found.
 */
export function due(d: DealState, now: number, newSeatId: () => string, teams: Iterable<TeamState> = d.teams.values()): Effects {
  const fx = noEffects();
  for (const ts of teams) {
    const kind = decideTeamDue(d, ts, now);
    if (kind !== 'none') mergeEffects(fx, applyTeamDue(d, ts, now, kind, newSeatId));
    for (const seat of ts.seats) {
      if (seat.status === 'pending' && seat.payBy <= now) mergeEffects(fx, applyRelease(d, ts, seat, now, 'expired'));
    }
  }
  return fx;
}
