import { newId } from '../workers/shared/ids';
import {
  addSeat,
  addTeam,
  applyConfirm,
  applyRelease,
  decideClose,
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
  type Effects,
  type Refusal,
  type Seat,
  type SeatDecision,
  type SeatRole,
  type SeatStatus,
  type Team,
  type TeamState,
  type TeamStatus,
} from '../workers/domains/group-buys/rules';
import { TeamFailed, TeamSucceeded, type TeamOutcomeData, type TeamOutcomeType } from '../workers/domains/group-buys/events';

export interface OpenTeamInput {
  dealId: string;
  shopperId: string;
  idempotencyKey: string;
  now: number;
}
export interface JoinTeamInput {
  teamId: string;
  shopperId: string;
  idempotencyKey: string;
  now: number;
}

export type SeatOutcome =
  | { ok: true; replayed: boolean; seat: Seat; team: Team }
  | {
      ok: false;
      reason: Refusal;
      remaining?: number;
      held?: number;
      limit?: number;
      status?: TeamStatus;
      startsAt?: number;
      endsAt?: number;
      expiresAt?: number;
    };

export type ConfirmOutcome =
  | { ok: true; changed: boolean; /** this call completed the team */ teamSucceeded: boolean; seat: Seat; team: Team }
  | { ok: false; reason: 'unknown_seat' | 'not_pending'; status?: SeatStatus };

export type ReleaseOutcome =
  | { ok: true; changed: boolean; /** this call voided the team */ teamVoided: boolean; seat: Seat; team: Team }
  | { ok: false; reason: 'unknown_seat' | 'not_pending'; status?: SeatStatus };

export interface TeamView {
  team: Team;
  seats: Seat[];
  /** Seats still joinable: 0 unless the team is open. */
  seatsLeft: number;
}

export interface DealSnapshot {
  dealId: string;
  allocated: number;
  /** units held by pending or paid seats */
  held: number;
  paid: number;
  remaining: number;
  teams: { forming: number; open: number; succeeded: number; failed: number };
  /** true once the deal was wound up (closeDeal): its unsold units went back to normal stock. */
  closed: boolean;
}

export type CloseDealOutcome =
  | {
      ok: true;
      /** units held by paid seats of succeeded teams */ paid: number;
      /** allocated − paid: back to normal stock */ unsold: number;
    }
  | {
      ok: false;
      reason: 'unknown_deal' | 'not_ended' | 'busy';
      /** teams still forming or open */ teams?: number;
      /** seats still unpaid */ pending?: number;
    };

export type OutboxType = TeamOutcomeType;
export type OutboxData = TeamOutcomeData;
export interface OutboxRow {
  id: string;
  type: OutboxType;
  data: OutboxData;
  createdAt: number;
}

type DealRow = {
  deal_id: string;
  allocated: number;
  group_size: number;
  team_time_limit_ms: number;
  seat_ttl_ms: number;
  per_shopper_limit: number;
  auto_fill: number;
  starts_at: number;
  ends_at: number;
  closed_at: number | null;
};
type TeamRow = {
  id: string;
  deal_id: string;
  leader_id: string;
  size: number;
  status: TeamStatus;
  created_at: number;
  opened_at: number | null;
  expires_at: number | null;
  finished_at: number | null;
};
type SeatRow = {
  id: string;
  team_id: string;
  deal_id: string;
  shopper_id: string;
  role: SeatRole;
  status: SeatStatus;
  idem_key: string;
  created_at: number;
  pay_by: number;
  paid_at: number | null;
};
type OutboxDbRow = { id: string; type: OutboxType; data: string; created_at: number };

const toConfig = (r: DealRow): DealConfig => ({
  dealId: r.deal_id,
  allocated: r.allocated,
  groupSize: r.group_size,
  teamTimeLimitMs: r.team_time_limit_ms,
  seatTtlMs: r.seat_ttl_ms,
  perShopperLimit: r.per_shopper_limit,
  autoFill: r.auto_fill === 1,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
});
const toTeam = (r: TeamRow): Team => ({
  id: r.id,
  dealId: r.deal_id,
  leaderId: r.leader_id,
  size: r.size,
  status: r.status,
  createdAt: r.created_at,
  openedAt: r.opened_at,
  expiresAt: r.expires_at,
  finishedAt: r.finished_at,
});
const toSeat = (r: SeatRow): Seat => ({
  id: r.id,
  teamId: r.team_id,
  dealId: r.deal_id,
  shopperId: r.shopper_id,
  role: r.role,
  status: r.status,
  idempotencyKey: r.idem_key,
  createdAt: r.created_at,
  payBy: r.pay_by,
  paidAt: r.paid_at,
});

/** Maps a refusing decision to the caller-facing outcome. */
function refusal(d: Exclude<SeatDecision, { kind: 'seat' } | { kind: 'duplicate' }>): SeatOutcome {
  switch (d.kind) {
    case 'not_started':
      return { ok: false, reason: d.kind, startsAt: d.startsAt };
    case 'ended':
      return { ok: false, reason: d.kind, endsAt: d.endsAt };
    case 'sold_out':
      return { ok: false, reason: d.kind, remaining: d.remaining };
    case 'limit_reached':
      return { ok: false, reason: d.kind, held: d.held, limit: d.limit };
    case 'team_not_open':
      return { ok: false, reason: d.kind, status: d.status };
    case 'team_expired':
      return { ok: false, reason: d.kind, expiresAt: d.expiresAt };
    case 'team_full':
    case 'already_in_team':
      return { ok: false, reason: d.kind };
  }
}

/**
 * The group-buy half of a SkuStock object: its own gb_* tables plus an in-memory mirror. Every
 * method is synchronous from decision to write, so the object's single thread is the lock; memory
 * moves first and storage in the same transaction, and a failed write reloads the mirror from
 * storage so the two never disagree.
 */
export class GroupBuyBook {
  private deals = new Map<string, DealState>();
  /** teamId → its deal, and seatId → its seat: every lookup by id is O(1). */
  private teamDeal = new Map<string, DealState>();
  private seats = new Map<string, Seat>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly storage: DurableObjectStorage,
  ) {
    sql.exec(`CREATE TABLE IF NOT EXISTS gb_deals (
      deal_id TEXT PRIMARY KEY, allocated INTEGER NOT NULL, group_size INTEGER NOT NULL, team_time_limit_ms INTEGER NOT NULL,
      seat_ttl_ms INTEGER NOT NULL, per_shopper_limit INTEGER NOT NULL, auto_fill INTEGER NOT NULL,
      starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS gb_teams (
      id TEXT PRIMARY KEY, deal_id TEXT NOT NULL, leader_id TEXT NOT NULL, size INTEGER NOT NULL, status TEXT NOT NULL,
      created_at INTEGER NOT NULL, opened_at INTEGER, expires_at INTEGER, finished_at INTEGER)`);
    sql.exec(`CREATE INDEX IF NOT EXISTS gb_teams_due_idx ON gb_teams (status, expires_at)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS gb_seats (
      id TEXT PRIMARY KEY, team_id TEXT NOT NULL, deal_id TEXT NOT NULL, shopper_id TEXT NOT NULL, role TEXT NOT NULL,
      status TEXT NOT NULL, idem_key TEXT NOT NULL, created_at INTEGER NOT NULL, pay_by INTEGER NOT NULL, paid_at INTEGER,
      UNIQUE (deal_id, shopper_id, idem_key))`);
    sql.exec(`CREATE INDEX IF NOT EXISTS gb_seats_due_idx ON gb_seats (status, pay_by)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS gb_outbox (
      id TEXT PRIMARY KEY, type TEXT NOT NULL, data TEXT NOT NULL, created_at INTEGER NOT NULL, sent_at INTEGER)`);
    sql.exec(`CREATE INDEX IF NOT EXISTS gb_outbox_unsent_idx ON gb_outbox (sent_at)`);
    // Objects created before closeDeal existed lack the column.
    const dealCols = sql
      .exec<{ name: string }>(`PRAGMA table_info(gb_deals)`)
      .toArray()
      .map((c) => c.name);
    if (!dealCols.includes('closed_at')) sql.exec(`ALTER TABLE gb_deals ADD COLUMN closed_at INTEGER`);
    this.load();
  }

  /** Rebuilds the mirror from storage (at start, and after a failed write). */
  private load(): void {
    this.deals.clear();
    this.teamDeal.clear();
    this.seats.clear();
    for (const r of this.sql.exec<DealRow>(`SELECT * FROM gb_deals`)) {
      const d = newDealState(toConfig(r));
      d.closed = r.closed_at != null;
      this.deals.set(r.deal_id, d);
    }
    for (const r of this.sql.exec<TeamRow>(`SELECT * FROM gb_teams`)) {
      const d = this.deals.get(r.deal_id);
      if (!d) continue;
      addTeam(d, toTeam(r));
      this.teamDeal.set(r.id, d);
    }
    // insertion order, so a reloaded team lists its seats exactly as before
    for (const r of this.sql.exec<SeatRow>(`SELECT * FROM gb_seats ORDER BY rowid`)) {
      const d = this.deals.get(r.deal_id);
      const ts = d?.teams.get(r.team_id);
      if (!d || !ts) continue;
      const seat = toSeat(r);
      addSeat(d, ts, seat);
      this.seats.set(seat.id, seat);
    }
  }

  /** Runs a step that moves memory and storage together; on failure storage rolls back and memory reloads. */
  private commit<T>(step: () => T): T {
    try {
      return this.storage.transactionSync(step);
    } catch (e) {
      this.load();
      throw e;
    }
  }

  /** Registers a deal's pool. Idempotent: the first configuration wins and is returned again. */
  configureDeal(config: DealConfig): { created: boolean; config: DealConfig } {
    const existing = this.deals.get(config.dealId);
    if (existing) return { created: false, config: { ...existing.config } };
    if (!validDealConfig(config)) throw new Error('invalid group-buy deal config');
    const c: DealConfig = {
      dealId: config.dealId,
      allocated: config.allocated,
      groupSize: config.groupSize,
      teamTimeLimitMs: config.teamTimeLimitMs,
      seatTtlMs: config.seatTtlMs,
      perShopperLimit: config.perShopperLimit,
      autoFill: config.autoFill,
      startsAt: config.startsAt,
      endsAt: config.endsAt,
    };
    this.sql.exec(
      `INSERT INTO gb_deals (deal_id, allocated, group_size, team_time_limit_ms, seat_ttl_ms, per_shopper_limit, auto_fill, starts_at, ends_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      c.dealId,
      c.allocated,
      c.groupSize,
      c.teamTimeLimitMs,
      c.seatTtlMs,
      c.perShopperLimit,
      c.autoFill ? 1 : 0,
      c.startsAt,
      c.endsAt,
    );
    this.deals.set(c.dealId, newDealState(c));
    return { created: true, config: { ...c } };
  }

  /** Opens a team with the shopper as its unpaid leader; the team is joinable once the leader pays. */
  openTeam(input: OpenTeamInput): SeatOutcome {
    const d = this.deals.get(input.dealId);
    if (!d) return { ok: false, reason: 'unknown_deal' };
    const decision = decideOpen(d, input);
    if (decision.kind === 'duplicate') return this.replay(decision.seat);
    if (decision.kind !== 'seat') return refusal(decision);
    const team: Team = {
      id: newId('gbt'),
      dealId: d.config.dealId,
      leaderId: input.shopperId,
      size: d.config.groupSize,
      status: 'forming',
      createdAt: input.now,
      openedAt: null,
      expiresAt: null,
      finishedAt: null,
    };
    const seat = this.newSeat(team, input, 'leader', decision.payBy);
    this.commit(() => {
      const ts = addTeam(d, team);
      this.teamDeal.set(team.id, d);
      this.addNewSeat(d, ts, seat);
      this.writeEffects({ teams: [team], seats: [seat], succeeded: [], failed: [] }, input.now);
    });
    return { ok: true, replayed: false, seat: { ...seat }, team: { ...team } };
  }

  /** Takes a pending seat in an open team (see rules.decideJoin for the refusals). */
  joinTeam(input: JoinTeamInput): SeatOutcome {
    const d = this.teamDeal.get(input.teamId);
    const ts = d?.teams.get(input.teamId);
    if (!d || !ts) return { ok: false, reason: 'unknown_team' };
    const decision = decideJoin(d, ts, input);
    if (decision.kind === 'duplicate') return this.replay(decision.seat);
    if (decision.kind !== 'seat') return refusal(decision);
    const seat = this.newSeat(ts.team, input, 'member', decision.payBy);
    this.commit(() => {
      this.addNewSeat(d, ts, seat);
      this.writeEffects({ teams: [], seats: [seat], succeeded: [], failed: [] }, input.now);
    });
    return { ok: true, replayed: false, seat: { ...seat }, team: { ...ts.team } };
  }

  /**
   * Payment arrived. A late payment for a seat that already expired or was released is refused
   * (`not_pending`): the caller refunds it. When this payment completes the team, its outbox row is
   * written in the same transaction.
   */
  confirmSeat(seatId: string, now: number): ConfirmOutcome {
    const found = this.lookup(seatId);
    if (!found) return { ok: false, reason: 'unknown_seat' };
    const { d, ts, seat } = found;
    const decision = decideConfirm(seat);
    if (decision === 'refuse') return { ok: false, reason: 'not_pending', status: seat.status };
    if (decision === 'noop') return { ok: true, changed: false, teamSucceeded: false, seat: { ...seat }, team: { ...ts.team } };
    const fx = this.commit(() => this.writeEffects(applyConfirm(d, ts, seat, now), now));
    return { ok: true, changed: true, teamSucceeded: fx.succeeded.length > 0, seat: { ...seat }, team: { ...ts.team } };
  }

  /** The shopper cancelled the unpaid order: the unit returns. Releasing twice is a no-op. */
  releaseSeat(seatId: string, now: number): ReleaseOutcome {
    const found = this.lookup(seatId);
    if (!found) return { ok: false, reason: 'unknown_seat' };
    const { d, ts, seat } = found;
    const decision = decideRelease(seat);
    if (decision === 'refuse') return { ok: false, reason: 'not_pending', status: seat.status };
    if (decision === 'noop') return { ok: true, changed: false, teamVoided: false, seat: { ...seat }, team: { ...ts.team } };
    const fx = this.commit(() => this.writeEffects(applyRelease(d, ts, seat, now), now));
    return { ok: true, changed: true, teamVoided: fx.teams.some((t) => t.status === 'void'), seat: { ...seat }, team: { ...ts.team } };
  }

  /** A team with its seats (virtual ones included), or null. */
  team(teamId: string): TeamView | null {
    const ts = this.teamDeal.get(teamId)?.teams.get(teamId);
    if (!ts) return null;
    return {
      team: { ...ts.team },
      seats: ts.seats.map((s) => ({ ...s })),
      seatsLeft: ts.team.status === 'open' ? Math.max(0, ts.team.size - ts.held) : 0,
    };
  }

  /** The deal's counters, or null for a deal this SKU was never configured with. */
  snapshot(dealId: string): DealSnapshot | null {
    const d = this.deals.get(dealId);
    if (!d) return null;
    const c = d.teamCounts;
    return {
      dealId,
      allocated: d.config.allocated,
      held: d.held,
      paid: d.paid,
      remaining: d.closed ? 0 : unitsLeft(d),
      teams: { forming: c.forming, open: c.open, succeeded: c.succeeded, failed: c.failed },
      closed: d.closed,
    };
  }

  /**
   * Winds a deal up so its unsold units can go back to normal stock (see rules.decideClose): only
   * after the end, with every team final and no seat pending. From then on openTeam and joinTeam
   * refuse ('ended') and nothing can take a unit (no seat is pending, no team open, so no payment
   * or due work can move one). Idempotent: closing again returns the same numbers.
   */
  closeDeal(dealId: string, now: number): CloseDealOutcome {
    const d = this.deals.get(dealId);
    if (!d) return { ok: false, reason: 'unknown_deal' };
    const decision = decideClose(d, now);
    switch (decision.kind) {
      case 'not_ended':
        return { ok: false, reason: 'not_ended' };
      case 'busy':
        return { ok: false, reason: 'busy', teams: decision.teams, pending: decision.pending };
      case 'close':
        this.commit(() => {
          this.sql.exec(`UPDATE gb_deals SET closed_at = ? WHERE deal_id = ? AND closed_at IS NULL`, now, dealId);
          d.closed = true;
        });
    }
    return { ok: true, paid: decision.paid, unsold: decision.unsold };
  }

  /**
   * Expires unpaid seats and finishes timed-out teams, writing every change and its outbox rows in
   * one transaction. Candidates come from the indexes, so the cost is the due work, not the deal's
   * size; statuses guard every step, so running it twice changes nothing the second time.
   */
  runDue(now: number): { succeeded: string[]; failed: string[]; expiredSeats: number } {
    const teamIds = this.sql
      .exec<{ id: string }>(
        `SELECT team_id AS id FROM gb_seats WHERE status = 'pending' AND pay_by <= ?
       UNION SELECT id FROM gb_teams WHERE status = 'open' AND expires_at <= ?`,
        now,
        now,
      )
      .toArray();
    if (teamIds.length === 0) return { succeeded: [], failed: [], expiredSeats: 0 };
    const byDeal = new Map<DealState, TeamState[]>();
    for (const { id } of teamIds) {
      const d = this.teamDeal.get(id);
      const ts = d?.teams.get(id);
      if (d && ts) byDeal.set(d, [...(byDeal.get(d) ?? []), ts]);
    }
    const fx = this.commit(() => {
      const all: Effects = { teams: [], seats: [], succeeded: [], failed: [] };
      for (const [d, teams] of byDeal) {
        const step = due(d, now, () => newId('gbs'), teams);
        for (const s of step.seats) if (!this.seats.has(s.id)) this.seats.set(s.id, s);
        this.writeEffects(step, now);
        all.seats.push(...step.seats);
        all.succeeded.push(...step.succeeded);
        all.failed.push(...step.failed);
      }
      return all;
    });
    return {
      succeeded: fx.succeeded.map((ts) => ts.team.id),
      failed: fx.failed.map((ts) => ts.team.id),
      expiredSeats: fx.seats.filter((s) => s.status === 'expired').length,
    };
  }

  /** The earliest time runDue has work to do: an unpaid seat's payBy or an open team's expiry. */
  nextDueAt(): number | null {
    return this.sql
      .exec<{ t: number | null }>(
        `SELECT min(t) AS t FROM (
         SELECT min(pay_by) AS t FROM gb_seats WHERE status = 'pending'
         UNION ALL SELECT min(expires_at) FROM gb_teams WHERE status = 'open')`,
      )
      .one().t;
  }

  /** Outbox rows not yet handed to the queue, oldest first. */
  pendingOutbox(): OutboxRow[] {
    return this.sql
      .exec<OutboxDbRow>(`SELECT id, type, data, created_at FROM gb_outbox WHERE sent_at IS NULL ORDER BY created_at, id`)
      .toArray()
      .map((r) => ({ id: r.id, type: r.type, data: JSON.parse(r.data) as OutboxData, createdAt: r.created_at }));
  }

  /** Records rows as sent; already-sent rows keep their first sent_at. Returns how many changed. */
  markSent(ids: string[], now: number = Date.now()): number {
    let n = 0;
    for (const id of ids)
      n += this.sql.exec(`UPDATE gb_outbox SET sent_at = ? WHERE id = ? AND sent_at IS NULL RETURNING id`, now, id).toArray().length;
    return n;
  }

  private replay(seat: Seat): SeatOutcome {
    const team = this.teamDeal.get(seat.teamId)?.teams.get(seat.teamId)?.team;
    if (!team) throw new Error(`seat ${seat.id} has no team in memory`);
    return { ok: true, replayed: true, seat: { ...seat }, team: { ...team } };
  }

  private lookup(seatId: string): { d: DealState; ts: TeamState; seat: Seat } | null {
    const seat = this.seats.get(seatId);
    if (!seat || seat.role === 'virtual') return null;
    const d = this.teamDeal.get(seat.teamId);
    const ts = d?.teams.get(seat.teamId);
    return d && ts ? { d, ts, seat } : null;
  }

  private newSeat(team: Team, input: { shopperId: string; idempotencyKey: string; now: number }, role: SeatRole, payBy: number): Seat {
    return {
      id: newId('gbs'),
      teamId: team.id,
      dealId: team.dealId,
      shopperId: input.shopperId,
      role,
      status: 'pending',
      idempotencyKey: input.idempotencyKey,
      createdAt: input.now,
      payBy,
      paidAt: null,
    };
  }

  private addNewSeat(d: DealState, ts: TeamState, seat: Seat): void {
    addSeat(d, ts, seat);
    this.seats.set(seat.id, seat);
  }

  /** Upserts every changed row and adds one outbox row per finished team (INSERT OR IGNORE: once per team). */
  private writeEffects(fx: Effects, now: number): Effects {
    for (const t of fx.teams) {
      this.sql.exec(
        `INSERT INTO gb_teams (id, deal_id, leader_id, size, status, created_at, opened_at, expires_at, finished_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, opened_at = excluded.opened_at,
           expires_at = excluded.expires_at, finished_at = excluded.finished_at`,
        t.id,
        t.dealId,
        t.leaderId,
        t.size,
        t.status,
        t.createdAt,
        t.openedAt,
        t.expiresAt,
        t.finishedAt,
      );
    }
    for (const s of fx.seats) {
      this.sql.exec(
        `INSERT INTO gb_seats (id, team_id, deal_id, shopper_id, role, status, idem_key, created_at, pay_by, paid_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, paid_at = excluded.paid_at`,
        s.id,
        s.teamId,
        s.dealId,
        s.shopperId,
        s.role,
        s.status,
        s.idempotencyKey,
        s.createdAt,
        s.payBy,
        s.paidAt,
      );
    }
    for (const [ts, ok] of [...fx.succeeded.map((t) => [t, true] as const), ...fx.failed.map((t) => [t, false] as const)]) {
      // the seats that paid: still 'paid' in a success, now 'refunding' in a failure
      const seats = ts.seats
        .filter((s) => s.role !== 'virtual' && s.status === (ok ? 'paid' : 'refunding'))
        .map((s) => ({ seatId: s.id, shopperId: s.shopperId, role: s.role }));
      const data: OutboxData = { teamId: ts.team.id, dealId: ts.team.dealId, seats };
      this.sql.exec(
        `INSERT OR IGNORE INTO gb_outbox (id, type, data, created_at) VALUES (?, ?, ?, ?)`,
        `${ok ? 'gbok' : 'gbfail'}:${ts.team.id}`,
        ok ? TeamSucceeded.type : TeamFailed.type,
        JSON.stringify(data),
        now,
      );
    }
    return fx;
  }
}
