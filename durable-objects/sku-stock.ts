import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../workers/shared/env';
import { newId } from '../workers/shared/ids';
import {
  applyReservation, applyTransition, decideReserve, decideTransition, newSaleState, remaining,
  type Reservation, type ReservationStatus, type SaleConfig, type SaleState, type Transition,
} from '../workers/domains/flash-sales/rules';

export interface ReserveInput {
  saleId: string;
  shopperId: string;
  quantity: number;
  idempotencyKey: string;
  /** epoch ms; defaults to the DO's clock (tests pass it to fix time). */
  now?: number;
}

export type ReserveOutcome =
  | { ok: true; replayed: boolean; reservation: Reservation }
  | { ok: false; reason: 'unknown_sale' | 'invalid_quantity' | 'not_started' | 'ended' | 'sold_out' | 'limit_reached'; remaining?: number; held?: number; limit?: number };

export type TransitionOutcome =
  | { ok: true; changed: boolean; reservation: Reservation }
  | { ok: false; reason: 'unknown_reservation' | 'not_pending'; status?: ReservationStatus };

export interface SaleSnapshot {
  saleId: string;
  allocated: number;
  /** units held by pending (unconfirmed) reservations */
  reserved: number;
  /** units confirmed (paid) */
  sold: number;
  remaining: number;
}

type ResRow = {
  id: string; sale_id: string; shopper_id: string; quantity: number; idem_key: string;
  status: ReservationStatus; created_at: number; expires_at: number;
};
type SaleRow = { sale_id: string; allocated: number; per_shopper_limit: number; starts_at: number; ends_at: number; ttl_ms: number };

const toReservation = (r: ResRow): Reservation => ({
  id: r.id, saleId: r.sale_id, shopperId: r.shopper_id, quantity: r.quantity, idempotencyKey: r.idem_key,
  status: r.status, createdAt: r.created_at, expiresAt: r.expires_at,
});

/**
 * One instance per hot SKU (idFromName(skuId)). It serialises every stock decision for flash
 * sales and group buys so nothing is oversold; state lives in the object's SQLite storage so
 * eviction loses nothing. The sale rules themselves are imported from workers/domains/.
 *
 * Each decision runs synchronously from read to write (no await in between), so the object's
 * single thread is the lock; SQLite writes are synchronous and the output gate holds the reply
 * until they are durable. Slice 1 makes one durable write per reserve; coalescing many decisions
 * into one write per tick is slice 2.
 */
export class SkuStock extends DurableObject<Env> {
  /** In-memory mirror of storage, rebuilt on every start; storage stays the source of truth. */
  private sales = new Map<string, SaleState>();
  private reservations = new Map<string, Reservation>();
  /** The alarm time we last asked for (null = none), so reserve does not re-set it every call. */
  private alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      const sql = this.ctx.storage.sql;
      sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      sql.exec(`CREATE TABLE IF NOT EXISTS sales (
        sale_id TEXT PRIMARY KEY, allocated INTEGER NOT NULL, per_shopper_limit INTEGER NOT NULL,
        starts_at INTEGER NOT NULL, ends_at INTEGER NOT NULL, ttl_ms INTEGER NOT NULL)`);
      sql.exec(`CREATE TABLE IF NOT EXISTS reservations (
        id TEXT PRIMARY KEY, sale_id TEXT NOT NULL, shopper_id TEXT NOT NULL, quantity INTEGER NOT NULL,
        idem_key TEXT NOT NULL, status TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
        UNIQUE (sale_id, shopper_id, idem_key))`);
      sql.exec(`CREATE INDEX IF NOT EXISTS reservations_pending_idx ON reservations (status, expires_at)`);
      for (const s of sql.exec<SaleRow>(`SELECT * FROM sales`)) {
        this.sales.set(s.sale_id, newSaleState({
          saleId: s.sale_id, allocated: s.allocated, perShopperLimit: s.per_shopper_limit,
          startsAt: s.starts_at, endsAt: s.ends_at, reservationTtlMs: s.ttl_ms,
        }));
      }
      for (const row of sql.exec<ResRow>(`SELECT * FROM reservations`)) {
        const r = toReservation(row);
        const sale = this.sales.get(r.saleId);
        if (!sale) continue;
        this.reservations.set(r.id, r);
        applyReservation(sale, r);
      }
      this.alarmAt = await this.ctx.storage.getAlarm();
    });
  }

  /** Health check: proves the namespace is bound and its storage answers. */
  async ping(): Promise<{ ok: true; storage: 'sqlite'; tables: number }> {
    const row = this.ctx.storage.sql.exec<{ n: number }>(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`).one();
    return { ok: true, storage: 'sqlite', tables: row.n };
  }

  /**
   * Registers a sale's pool. Idempotent: configuring the same sale again changes nothing and
   * returns the stored config (the first configuration wins).
   */
  async configureSale(config: SaleConfig): Promise<{ created: boolean; config: SaleConfig }> {
    const existing = this.sales.get(config.saleId);
    if (existing) return { created: false, config: existing.config };
    if (!Number.isInteger(config.allocated) || config.allocated < 0 || !Number.isInteger(config.perShopperLimit) || config.perShopperLimit < 1)
      throw new Error('invalid sale config');
    this.ctx.storage.sql.exec(
      `INSERT INTO sales (sale_id, allocated, per_shopper_limit, starts_at, ends_at, ttl_ms) VALUES (?, ?, ?, ?, ?, ?)`,
      config.saleId, config.allocated, config.perShopperLimit, config.startsAt, config.endsAt, config.reservationTtlMs,
    );
    const clean: SaleConfig = {
      saleId: config.saleId, allocated: config.allocated, perShopperLimit: config.perShopperLimit,
      startsAt: config.startsAt, endsAt: config.endsAt, reservationTtlMs: config.reservationTtlMs,
    };
    this.sales.set(config.saleId, newSaleState(clean));
    return { created: true, config: clean };
  }

  /** Decides and records one reservation atomically (see rules.decideReserve). */
  async reserve(input: ReserveInput): Promise<ReserveOutcome> {
    const sale = this.sales.get(input.saleId);
    if (!sale) return { ok: false, reason: 'unknown_sale' };
    const now = input.now ?? Date.now();
    const d = decideReserve(sale, { shopperId: input.shopperId, quantity: input.quantity, idempotencyKey: input.idempotencyKey, now });
    switch (d.kind) {
      case 'duplicate':
        return { ok: true, replayed: true, reservation: { ...d.reservation } };
      case 'invalid_quantity':
      case 'not_started':
      case 'ended':
        return { ok: false, reason: d.kind };
      case 'sold_out':
        return { ok: false, reason: 'sold_out', remaining: d.remaining };
      case 'limit_reached':
        return { ok: false, reason: 'limit_reached', held: d.held, limit: d.limit };
    }
    const r: Reservation = {
      id: newId('fsr'), saleId: input.saleId, shopperId: input.shopperId, quantity: d.quantity,
      idempotencyKey: input.idempotencyKey, status: 'pending', createdAt: now, expiresAt: d.expiresAt,
    };
    this.ctx.storage.sql.exec(
      `INSERT INTO reservations (id, sale_id, shopper_id, quantity, idem_key, status, created_at, expires_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
      r.id, r.saleId, r.shopperId, r.quantity, r.idempotencyKey, r.createdAt, r.expiresAt,
    );
    applyReservation(sale, r);
    this.reservations.set(r.id, r);
    // The decision is already recorded; awaiting the alarm write cannot let anyone oversell.
    await this.scheduleAlarm(r.expiresAt);
    return { ok: true, replayed: false, reservation: { ...r } };
  }

  /** Payment arrived: the reserved units become sold. Confirming twice is a no-op. */
  async confirm(reservationId: string): Promise<TransitionOutcome> {
    return this.transition(reservationId, 'confirm', Date.now());
  }

  /** Cancel: a pending reservation's units return to the pool. Releasing twice is a no-op. */
  async release(reservationId: string): Promise<TransitionOutcome> {
    return this.transition(reservationId, 'release', Date.now());
  }

  /** The pool's counters, or null for a sale this SKU has never been configured with. */
  async snapshot(saleId: string): Promise<SaleSnapshot | null> {
    const s = this.sales.get(saleId);
    if (!s) return null;
    return { saleId, allocated: s.config.allocated, reserved: s.taken - s.sold, sold: s.sold, remaining: remaining(s) };
  }

  /**
   * Returns expired unconfirmed reservations to the pool. Each release is a guarded status change
   * (pending → expired), so an alarm that runs twice (retries, a test calling it again) releases
   * each reservation once.
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    this.alarmAt = null;
    const due = this.ctx.storage.sql
      .exec<{ id: string }>(`SELECT id FROM reservations WHERE status = 'pending' AND expires_at <= ?`, now)
      .toArray();
    this.ctx.storage.transactionSync(() => {
      for (const { id } of due) this.transition(id, 'expire', now);
    });
    const next = this.ctx.storage.sql
      .exec<{ t: number | null }>(`SELECT min(expires_at) AS t FROM reservations WHERE status = 'pending'`)
      .one().t;
    if (next != null) await this.scheduleAlarm(next);
  }

  private transition(id: string, t: Transition, now: number): TransitionOutcome {
    const r = this.reservations.get(id);
    const sale = r && this.sales.get(r.saleId);
    if (!r || !sale) return { ok: false, reason: 'unknown_reservation' };
    const d = decideTransition(r, t, now);
    if (d === 'refuse') return { ok: false, reason: 'not_pending', status: r.status };
    if (d === 'noop') return { ok: true, changed: false, reservation: { ...r } };
    const status: ReservationStatus = t === 'confirm' ? 'confirmed' : t === 'release' ? 'released' : 'expired';
    const updated = this.ctx.storage.sql
      .exec(`UPDATE reservations SET status = ? WHERE id = ? AND status = 'pending' RETURNING id`, status, id)
      .toArray().length;
    // Storage is the source of truth: if the row was not pending, memory must not move either.
    if (updated !== 1) return { ok: true, changed: false, reservation: { ...r } };
    applyTransition(sale, r, t);
    return { ok: true, changed: true, reservation: { ...r } };
  }

  private async scheduleAlarm(at: number): Promise<void> {
    if (this.alarmAt != null && this.alarmAt <= at) return;
    this.alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }
}
