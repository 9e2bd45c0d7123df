import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../workers/shared/env';
import { newId } from '../workers/shared/ids';
import {
  applyReinstate,
  applyReservation,
  applyTransition,
  decideReinstate,
  decideReserve,
  decideTransition,
  newSaleState,
  remaining,
  type ReserveDecision,
  type Reservation,
  type ReservationStatus,
  type SaleConfig,
  type SaleState,
  type Transition,
  type UnitTransfer,
} from '../workers/domains/flash-sales/rules';
import type { DealConfig } from '../workers/domains/group-buys/rules';
import { envelope } from '../workers/shared/events';
import { createLogger } from '../workers/shared/log';
import { TeamFailed, TeamSucceeded } from '../workers/domains/group-buys/events';
import { FlashOrderRequested } from '../workers/domains/flash-sales/events';
import {
  GroupBuyBook,
  type CloseDealOutcome,
  type ConfirmOutcome,
  type DealSnapshot,
  type JoinTeamInput,
  type OpenTeamInput,
  type OutboxData,
  type ReleaseOutcome,
  type SeatOutcome,
  type TeamView,
} from './group-buy-book';
import {
  bucketObjectName,
  SaleBuckets,
  TRANSFER_RETRY_MS,
  type BucketInfo,
  type BucketSetup,
  type ReceiveOutcome,
  type ReclaimOutcome,
  type RefillRequest,
  type SalePeer,
} from './sale-buckets';

export interface ReserveInput {
  saleId: string;
  shopperId: string;
  quantity: number;
  idempotencyKey: string;
  /** Opaque order details kept with the reservation (≤ 500 chars), e.g. the chosen address. */
  meta?: string;
  /**
   * Hand the reservation's `flash_sales.create_order` message to the settlement queue from here,
   * after the reservation is durable (an outbox: one sendBatch per committed batch instead of one
   * send per request from the Worker). Off for callers that write no order (the bench's bare DO).
   */
  queueOrder?: boolean;
  /** epoch ms; defaults to the DO's clock (tests pass it to fix time). */
  now?: number;
}

export type ReserveOutcome =
  | { ok: true; replayed: boolean; reservation: Reservation }
  | {
      ok: false;
      reason: 'unknown_sale' | 'invalid_quantity' | 'not_started' | 'ended' | 'sold_out' | 'limit_reached';
      remaining?: number;
      held?: number;
      limit?: number;
    };

export type TransitionOutcome =
  | { ok: true; changed: boolean; reservation: Reservation }
  | { ok: false; reason: 'unknown_reservation' | 'not_pending' | 'sold_out' | 'limit_reached' | 'closed'; status?: ReservationStatus };

export interface SaleSnapshot {
  saleId: string;
  allocated: number;
  /** units held by pending (unconfirmed) reservations */
  reserved: number;
  /** units confirmed (paid) */
  sold: number;
  remaining: number;
  /** true once the unsold units went back to normal stock (closeSale) */
  closed: boolean;
}

type ResRow = {
  id: string;
  sale_id: string;
  shopper_id: string;
  quantity: number;
  idem_key: string;
  status: ReservationStatus;
  created_at: number;
  expires_at: number;
  meta: string | null;
  /** 0 while its order message waits in the outbox, 1 once the queue took it (or none was asked for). */
  queued: number;
};
type SaleRow = {
  sale_id: string;
  allocated: number;
  per_shopper_limit: number;
  starts_at: number;
  ends_at: number;
  ttl_ms: number;
  closed_at: number | null;
};

const toReservation = (r: ResRow): Reservation => ({
  id: r.id,
  saleId: r.sale_id,
  shopperId: r.shopper_id,
  quantity: r.quantity,
  idempotencyKey: r.idem_key,
  status: r.status,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  meta: r.meta,
});

/**
 * One instance per hot SKU (idFromName(skuId)). It serialises every stock decision for flash
 * sales and group buys so nothing is oversold; state lives in the object's SQLite storage so
 * eviction loses nothing. The sale rules themselves are imported from workers/domains/.
 *
 * Each decision runs synchronously (no await between read and decide), so the object's single
 * thread is the lock. Reservations are decided in memory and written in coalesced batches: every
 * reserve decided in the same tick joins one SQLite transaction, and each caller is answered only
 * after that transaction committed (and the output gate has seen it durable). So no reply ever
 * promises a unit that storage does not hold, yet hundreds of decisions share one durable write.
 * If a batch fails to commit, the object aborts: memory is rebuilt from storage and the callers
 * of that batch get an error, never a success.
 */
export class SkuStock extends DurableObject<Env> {
  /** In-memory mirror of storage, rebuilt on every start; storage stays the source of truth. */
  private sales = new Map<string, SaleState>();
  private reservations = new Map<string, Reservation>();
  /** The alarm time we last asked for (null = none), so reserve does not re-set it every call. */
  private alarmAt: number | null = null;
  /** Group buys (拼团) share this object's thread and storage; see the block at the end of the class. */
  private groupBuys!: GroupBuyBook;
  /** A flash sale split over bucket objects: this object's part as a bucket or as the coordinator. */
  private buckets!: SaleBuckets;
  /** Reservations decided but not yet written, and the promise their callers wait on. */
  private unwritten: Reservation[] = [];
  /** Ids among `unwritten` whose order message goes out once they are durable (ReserveInput.queueOrder). */
  private toQueue = new Set<string>();
  /** Serialises order-message sends so one reservation is never in two sends at once. */
  private orderSends: Promise<boolean> = Promise.resolve(true);
  /** How long until the alarm resends order messages the queue refused (doubles per failure). */
  private orderRetryMs = ORDER_RETRY_FIRST_MS;
  private flushing: Promise<void> | null = null;
  /** Committed reservation batches since start (tests read it to prove coalescing). */
  private flushCount = 0;

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
      // Objects created before closeSale existed lack the column.
      const cols = sql
        .exec<{ name: string }>(`PRAGMA table_info(sales)`)
        .toArray()
        .map((c) => c.name);
      if (!cols.includes('closed_at')) sql.exec(`ALTER TABLE sales ADD COLUMN closed_at INTEGER`);
      const resCols = sql
        .exec<{ name: string }>(`PRAGMA table_info(reservations)`)
        .toArray()
        .map((c) => c.name);
      if (!resCols.includes('meta')) sql.exec(`ALTER TABLE reservations ADD COLUMN meta TEXT`);
      if (!resCols.includes('queued')) sql.exec(`ALTER TABLE reservations ADD COLUMN queued INTEGER NOT NULL DEFAULT 1`);
      sql.exec(`CREATE INDEX IF NOT EXISTS reservations_outbox_idx ON reservations (queued) WHERE queued = 0`);
      sql.exec(`CREATE INDEX IF NOT EXISTS reservations_pending_idx ON reservations (status, expires_at)`);
      for (const s of sql.exec<SaleRow>(`SELECT * FROM sales`)) {
        this.sales.set(
          s.sale_id,
          newSaleState({
            saleId: s.sale_id,
            allocated: s.allocated,
            perShopperLimit: s.per_shopper_limit,
            startsAt: s.starts_at,
            endsAt: s.ends_at,
            reservationTtlMs: s.ttl_ms,
          }),
        );
        if (s.closed_at != null) this.sales.get(s.sale_id)!.closed = true;
      }
      for (const row of sql.exec<ResRow>(`SELECT * FROM reservations`)) {
        const r = toReservation(row);
        const sale = this.sales.get(r.saleId);
        if (!sale) continue;
        this.reservations.set(r.id, r);
        applyReservation(sale, r);
      }
      this.groupBuys = new GroupBuyBook(sql, this.ctx.storage);
      this.buckets = new SaleBuckets({
        storage: this.ctx.storage,
        peer: (name) => this.env.SKU_STOCK.get(this.env.SKU_STOCK.idFromName(name)) as unknown as SalePeer,
        sale: (saleId) => this.sales.get(saleId),
        scheduleAlarm: (at) => this.scheduleAlarm(at),
      });
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
   * returns the stored config (the first configuration wins). `bucket` makes this object bucket
   * `bucket.bucket` of a sale split over several (its pool is then its share of the allocation,
   * moved later by transfers with the coordinator).
   */
  async configureSale(config: SaleConfig, bucket?: BucketInfo): Promise<{ created: boolean; config: SaleConfig }> {
    if (bucket) this.buckets.configureBucket(config.saleId, bucket);
    const existing = this.sales.get(config.saleId);
    if (existing) return { created: false, config: existing.config };
    if (
      !Number.isInteger(config.allocated) ||
      config.allocated < 0 ||
      !Number.isInteger(config.perShopperLimit) ||
      config.perShopperLimit < 1
    )
      throw new Error('invalid sale config');
    this.ctx.storage.sql.exec(
      `INSERT INTO sales (sale_id, allocated, per_shopper_limit, starts_at, ends_at, ttl_ms) VALUES (?, ?, ?, ?, ?, ?)`,
      config.saleId,
      config.allocated,
      config.perShopperLimit,
      config.startsAt,
      config.endsAt,
      config.reservationTtlMs,
    );
    const clean: SaleConfig = {
      saleId: config.saleId,
      allocated: config.allocated,
      perShopperLimit: config.perShopperLimit,
      startsAt: config.startsAt,
      endsAt: config.endsAt,
      reservationTtlMs: config.reservationTtlMs,
    };
    this.sales.set(config.saleId, newSaleState(clean));
    return { created: true, config: clean };
  }

  /**
   * Decides and records one reservation atomically (see rules.decideReserve). A bucket that is
   * out of units may first ask the coordinator for more (SaleBuckets.whenRefilled); the decision
   * itself is made again, synchronously, after the units arrived.
   */
  async reserve(input: ReserveInput): Promise<ReserveOutcome> {
    const sale = this.sales.get(input.saleId);
    if (!sale) return { ok: false, reason: 'unknown_sale' };
    const now = input.now ?? Date.now();
    const req = { shopperId: input.shopperId, quantity: input.quantity, idempotencyKey: input.idempotencyKey, now };
    let d: ReserveDecision = decideReserve(sale, req);
    if (this.buckets.isBucket(input.saleId)) {
      const saturated = this.buckets.noteReserve(input.saleId);
      // Units granted to this bucket may go to callers ahead of this one: ask again a few times.
      for (let tries = 0; d.kind === 'sold_out' && tries < 3; tries++) {
        const refilled = this.buckets.whenRefilled(sale, input.quantity, saturated);
        if (!refilled || !(await refilled)) break;
        d = decideReserve(sale, req);
      }
    }
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
      id: newId('fsr'),
      saleId: input.saleId,
      shopperId: input.shopperId,
      quantity: d.quantity,
      idempotencyKey: input.idempotencyKey,
      status: 'pending',
      createdAt: now,
      expiresAt: d.expiresAt,
      meta: input.meta ? input.meta.slice(0, 500) : null,
    };
    // Memory moves first so the next caller in this tick sees the units as taken.
    applyReservation(sale, r);
    if (this.buckets.isBucket(input.saleId)) this.buckets.noteTaken(input.saleId, r.quantity);
    this.reservations.set(r.id, r);
    this.unwritten.push(r);
    if (input.queueOrder) this.toQueue.add(r.id);
    const reply = { ...r };
    await this.flushSoon();
    await this.scheduleAlarm(r.expiresAt);
    return { ok: true, replayed: false, reservation: reply };
  }

  /**
   * Writes every reservation decided since the last flush in one transaction, once the current
   * burst of calls has been decided (a zero-delay timer runs after the already-delivered calls).
   * Everyone in the batch awaits the same promise, so nobody is answered before the commit.
   */
  private flushSoon(): Promise<void> {
    this.flushing ??= new Promise<void>((resolve, reject) => {
      setTimeout(() => {
        const batch = this.unwritten;
        const toQueue = this.toQueue;
        this.unwritten = [];
        this.toQueue = new Set();
        this.flushing = null;
        try {
          this.ctx.storage.transactionSync(() => {
            for (const r of batch)
              this.ctx.storage.sql.exec(
                `INSERT INTO reservations (id, sale_id, shopper_id, quantity, idem_key, status, created_at, expires_at, meta, queued) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
                r.id,
                r.saleId,
                r.shopperId,
                r.quantity,
                r.idempotencyKey,
                r.status,
                r.createdAt,
                r.expiresAt,
                r.meta ?? null,
                toQueue.has(r.id) ? 0 : 1,
              );
          });
          this.flushCount++;
          resolve();
        } catch (e) {
          reject(e);
          // Memory now holds decisions storage never took: start again from storage.
          this.ctx.abort('reservation batch failed to commit');
          return;
        }
        // The outbox: durable first, then handed to the queue. Nobody waits for this send; a
        // failed one is retried by the alarm, and reconciliation writes any order still missing.
        if (toQueue.size) void this.queueOrders(batch.filter((r) => toQueue.has(r.id)));
      }, 0);
    });
    return this.flushing;
  }

  /**
   * Sends the order messages of durable reservations (sendBatch, ≤ 100 per call) and marks them
   * queued. Resolves true when all went; on failure the alarm tries again, 1 s after the first
   * failure and twice as long after each next one (up to OUTBOX_RETRY_MS): a queue that refuses a
   * burst usually takes it a moment later, and the orders should not wait half a minute.
   */
  private queueOrders(rows: Reservation[]): Promise<boolean> {
    const run = this.orderSends.then(async () => {
      const now = Date.now();
      let allSent = true;
      for (let i = 0; i < rows.length; i += QUEUE_BATCH_MAX) {
        const chunk = rows.slice(i, i + QUEUE_BATCH_MAX);
        try {
          await this.env.SETTLEMENT.sendBatch(
            chunk.map((r) => ({
              body: envelope(
                FlashOrderRequested,
                { saleId: r.saleId, reservationId: r.id, shopperId: r.shopperId },
                `fs-order:${r.id}`,
                now,
              ),
            })),
          );
        } catch (e) {
          if (allSent) outboxLog.error('order messages not handed to the queue; the alarm retries', { n: rows.length - i, err: String(e) });
          allSent = false;
          continue;
        }
        const ids = chunk.map((r) => r.id);
        this.ctx.storage.sql.exec(`UPDATE reservations SET queued = 1 WHERE id IN (${ids.map(() => '?').join(',')})`, ...ids);
      }
      this.orderRetryMs = allSent ? ORDER_RETRY_FIRST_MS : Math.min(OUTBOX_RETRY_MS, this.orderRetryMs * 2);
      if (!allSent) await this.scheduleAlarm(Date.now() + this.orderRetryMs);
      return allSent;
    });
    this.orderSends = run.catch(() => false);
    return this.orderSends;
  }

  /** Reservations still pending whose order message never reached the queue (a failed send, a restart). */
  private async retryOrderOutbox(): Promise<boolean> {
    // Lapsed ones need no order any more.
    this.ctx.storage.sql.exec(`UPDATE reservations SET queued = 1 WHERE queued = 0 AND status != 'pending'`);
    for (let after = ''; ;) {
      const rows = this.ctx.storage.sql
        .exec<ResRow>(`SELECT * FROM reservations WHERE queued = 0 AND status = 'pending' AND id > ? ORDER BY id LIMIT 1000`, after)
        .toArray()
        .map(toReservation);
      if (!rows.length) return true;
      if (!(await this.queueOrders(rows))) return false;
      after = rows.at(-1)!.id;
    }
  }

  /**
   * Payment arrived: the reserved units become sold. Confirming twice is a no-op. A reservation
   * that lapsed before its payment was applied takes its units again if the pool still has them
   * (see rules.decideReinstate); otherwise the refusal tells the caller to refund.
   */
  async confirm(reservationId: string): Promise<TransitionOutcome> {
    await this.flushing;
    const r = this.reservations.get(reservationId);
    const sale = r && this.sales.get(r.saleId);
    if (r && sale && (r.status === 'expired' || r.status === 'released')) {
      const d = decideReinstate(sale, r);
      if (d !== 'apply') return { ok: false, reason: d === 'not_lapsed' ? 'not_pending' : d, status: r.status };
      this.ctx.storage.sql.exec(`UPDATE reservations SET status = 'confirmed' WHERE id = ?`, r.id);
      applyReinstate(sale, r);
      return { ok: true, changed: true, reservation: { ...r } };
    }
    return this.transition(reservationId, 'confirm', Date.now());
  }

  /** Cancel: a pending reservation's units return to the pool. Releasing twice is a no-op. */
  async release(reservationId: string): Promise<TransitionOutcome> {
    await this.flushing;
    const out = this.transition(reservationId, 'release', Date.now());
    if (out.ok && out.changed) this.freed(out.reservation.saleId);
    return out;
  }

  /** Units went back to a sale's pool here: a quiet bucket hands them to the coordinator. */
  private freed(saleId: string): void {
    const s = this.sales.get(saleId);
    if (s && this.buckets.isBucket(saleId)) this.buckets.freed(s);
  }

  /** One reservation, for callers that only know its id (reconciliation, replays). */
  async reservation(reservationId: string): Promise<Reservation | null> {
    const r = this.reservations.get(reservationId);
    return r ? { ...r } : null;
  }

  /** Several reservations at once (the order consumer's batch); unknown ids are absent. */
  async reservationsByIds(ids: string[]): Promise<Reservation[]> {
    return ids.flatMap((id) => {
      const r = this.reservations.get(id);
      return r ? [{ ...r }] : [];
    });
  }

  /** A sale's reservations in one status, oldest first (reconciliation pages through them). */
  async listReservations(saleId: string, status: ReservationStatus, limit = 500, afterId = ''): Promise<Reservation[]> {
    await this.flushing;
    return this.ctx.storage.sql
      .exec<ResRow>(
        `SELECT * FROM reservations WHERE sale_id = ? AND status = ? AND id > ? ORDER BY id LIMIT ?`,
        saleId,
        status,
        afterId,
        limit,
      )
      .toArray()
      .map(toReservation);
  }

  /**
   * Ends a sale's pool so its unsold units can go back to normal stock: allowed once the sale has
   * ended and no reservation is pending (pending ones may still be paid). Idempotent: closing
   * again returns the same final counts. After this nothing can take units, not even a late payment.
   */
  async closeSale(
    saleId: string,
    now = Date.now(),
  ): Promise<
    | { ok: true; sold: number; unsold: number }
    | { ok: false; reason: 'unknown_sale' | 'not_ended' | 'pending' | 'transfers'; pending?: number }
  > {
    await this.flushing;
    const s = this.sales.get(saleId);
    if (!s) return { ok: false, reason: 'unknown_sale' };
    if (!s.closed) {
      if (now < s.config.endsAt) return { ok: false, reason: 'not_ended' };
      const pending = s.taken - s.sold;
      if (pending > 0) return { ok: false, reason: 'pending', pending };
      // A bucket closes only when every unit it gave back has reached the coordinator (checked
      // again after the await, in the same synchronous step that closes it).
      if (this.buckets.isBucket(saleId) && !(await this.buckets.resend(saleId))) return { ok: false, reason: 'transfers' };
      if (this.buckets.unackedUnits(saleId) > 0) return { ok: false, reason: 'transfers' };
      if (s.taken - s.sold > 0) return { ok: false, reason: 'pending', pending: s.taken - s.sold };
      this.ctx.storage.sql.exec(`UPDATE sales SET closed_at = ? WHERE sale_id = ?`, now, saleId);
      s.closed = true;
    }
    return { ok: true, sold: s.sold, unsold: s.config.allocated - s.sold };
  }

  /** The pool's counters, or null for a sale this SKU has never been configured with. */
  async snapshot(saleId: string): Promise<SaleSnapshot | null> {
    const s = this.sales.get(saleId);
    if (!s) return null;
    return {
      saleId,
      allocated: s.config.allocated,
      reserved: s.taken - s.sold,
      sold: s.sold,
      remaining: s.closed ? 0 : remaining(s),
      closed: s.closed,
    };
  }

  /**
   * Returns expired unconfirmed reservations to the pool. Each release is a guarded status change
   * (pending → expired), so an alarm that runs twice (retries, a test calling it again) releases
   * each reservation once.
   */
  override async alarm(): Promise<void> {
    await this.flushing;
    const now = Date.now();
    this.alarmAt = null;
    const due = this.ctx.storage.sql
      .exec<{ id: string; sale_id: string }>(`SELECT id, sale_id FROM reservations WHERE status = 'pending' AND expires_at <= ?`, now)
      .toArray();
    this.ctx.storage.transactionSync(() => {
      for (const { id } of due) this.transition(id, 'expire', now);
    });
    for (const saleId of new Set(due.map((r) => r.sale_id))) this.freed(saleId);
    const next = this.ctx.storage.sql
      .exec<{ t: number | null }>(`SELECT min(expires_at) AS t FROM reservations WHERE status = 'pending'`)
      .one().t;
    const outboxEmpty = await this.retryOrderOutbox();
    const transfersAcked = await this.buckets.resend();
    const groupBuyNext = await this.groupBuyAlarm(now);
    const at = earliest(
      next,
      groupBuyNext,
      outboxEmpty ? null : Date.now() + this.orderRetryMs,
      transfersAcked ? null : Date.now() + TRANSFER_RETRY_MS,
    );
    if (at != null) await this.scheduleAlarm(at);
  }

  // ---- a flash sale split over bucket objects (sale-buckets.ts) ----

  /** Makes this object (the SKU's own) the coordinator of a bucketed sale: it keeps the pool. Idempotent. */
  async configureCoordinator(config: SaleConfig, buckets: number, skuId: string): Promise<{ created: boolean }> {
    return this.buckets.configurePool(config, buckets, skuId);
  }

  /** Coordinator: a dry bucket asks for units (see SaleBuckets.refill). */
  async refillBucket(req: RefillRequest): Promise<{ granted: number }> {
    return this.buckets.refill(req);
  }

  /** Bucket: the coordinator reclaims unreserved units (configuring this bucket first if it never was). */
  async reclaimUnits(saleId: string, setup?: BucketSetup): Promise<ReclaimOutcome> {
    if (setup && !this.sales.has(saleId)) await this.configureSale(setup.config, setup.info);
    return this.buckets.reclaim(saleId);
  }

  /** Either side: an incoming transfer, applied once (see SaleBuckets.receive). */
  async receiveUnits(t: UnitTransfer, setup?: BucketSetup): Promise<ReceiveOutcome> {
    if (setup && t.to >= 0 && !this.sales.has(t.saleId)) await this.configureSale(setup.config, setup.info);
    return this.buckets.receive(t);
  }

  /**
   * One object's part of a bucketed sale's counters: its pool as a bucket (null if it has none),
   * its pool as the coordinator (null if it is not), and the units it sent that are not yet
   * confirmed by their receiver.
   */
  async saleView(saleId: string): Promise<{ snapshot: SaleSnapshot | null; pool: number | null; inTransfer: number; closed: boolean }> {
    return {
      snapshot: await this.snapshot(saleId),
      pool: this.buckets.poolUnits(saleId),
      inTransfer: this.buckets.unackedUnits(saleId),
      closed: this.buckets.poolInfo(saleId)?.closed ?? false,
    };
  }

  /** Resends the sale's unacked transfers now; true when none is left (reconciliation settles before it counts). */
  async settleTransfers(saleId: string): Promise<boolean> {
    return this.buckets.resend(saleId);
  }

  /** Coordinator, wind-up step 1: no more grants, and every grant sent has arrived. */
  async beginCloseCoordinator(saleId: string, now = Date.now()) {
    return this.buckets.beginClose(saleId, now);
  }

  /** Coordinator, wind-up step 3 (after every bucket closed): the pool's units, final. */
  async finishCloseCoordinator(saleId: string, now = Date.now()) {
    return this.buckets.finishClose(saleId, now);
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

  // ---- group buy (拼团) ----

  /** Serialises outbox flushes so two callers never send the same row at once; never rejects. */
  private outboxFlush: Promise<boolean> = Promise.resolve(true);

  /** Registers a group-buy deal's pool. Idempotent: the first configuration wins. */
  async configureGroupBuy(config: DealConfig): Promise<{ created: boolean; config: DealConfig }> {
    return this.groupBuys.configureDeal(config);
  }

  /** Opens a team with the shopper as unpaid leader (see GroupBuyBook.openTeam). */
  async openGroupBuyTeam(input: WithOptionalNow<OpenTeamInput>): Promise<SeatOutcome> {
    const out = this.groupBuys.openTeam({ ...input, now: input.now ?? Date.now() });
    // Recorded already: awaiting the alarm write cannot let anyone take the seat twice.
    if (out.ok && !out.replayed) await this.scheduleAlarm(out.seat.payBy);
    return out;
  }

  /** Takes an unpaid seat in an open team (see GroupBuyBook.joinTeam). */
  async joinGroupBuyTeam(input: WithOptionalNow<JoinTeamInput>): Promise<SeatOutcome> {
    const out = this.groupBuys.joinTeam({ ...input, now: input.now ?? Date.now() });
    if (out.ok && !out.replayed) await this.scheduleAlarm(out.seat.payBy);
    return out;
  }

  /**
   * Payment arrived for a seat. A leader's payment starts the team's clock (alarm at its expiry); a
   * payment that completes the team hands its outbox row to the queue right away, best effort: the
   * alarm retries whatever this send could not deliver.
   */
  async confirmGroupBuySeat(seatId: string, now: number = Date.now()): Promise<ConfirmOutcome> {
    const out = this.groupBuys.confirmSeat(seatId, now);
    if (!out.ok || !out.changed) return out;
    if (out.team.status === 'open' && out.team.expiresAt != null) await this.scheduleAlarm(out.team.expiresAt);
    if (out.teamSucceeded && !(await this.flushGroupBuyOutbox(now))) await this.scheduleAlarm(Date.now() + OUTBOX_RETRY_MS);
    return out;
  }

  /** The shopper cancelled an unpaid seat: its unit returns (see GroupBuyBook.releaseSeat). */
  async releaseGroupBuySeat(seatId: string, now: number = Date.now()): Promise<ReleaseOutcome> {
    return this.groupBuys.releaseSeat(seatId, now);
  }

  /** A team with its seats, or null. */
  async groupBuyTeam(teamId: string): Promise<TeamView | null> {
    return this.groupBuys.team(teamId);
  }

  /** A deal's counters, or null for a deal never configured here. */
  async groupBuySnapshot(dealId: string): Promise<DealSnapshot | null> {
    return this.groupBuys.snapshot(dealId);
  }

  /**
   * Winds a group-buy deal up so its unsold units can go back to normal stock (see
   * GroupBuyBook.closeDeal): allowed once the deal has ended, every team is final and no seat is
   * pending. After this no seat can be opened, joined or paid. Idempotent: closing again returns
   * the same numbers.
   */
  async closeGroupBuy(dealId: string, now: number = Date.now()): Promise<CloseDealOutcome> {
    return this.groupBuys.closeDeal(dealId, now);
  }

  /** The alarm's group-buy share: returns when it next needs to run (due work or an outbox retry). */
  private async groupBuyAlarm(now: number): Promise<number | null> {
    this.groupBuys.runDue(now);
    const allSent = await this.flushGroupBuyOutbox(now);
    return earliest(this.groupBuys.nextDueAt(), allSent ? null : Date.now() + OUTBOX_RETRY_MS);
  }

  /** Sends every unsent outbox row; resolves true when none is left unsent. */
  private flushGroupBuyOutbox(now: number): Promise<boolean> {
    const run = this.outboxFlush.then(() => this.sendGroupBuyOutbox(now)).catch(() => false);
    this.outboxFlush = run;
    return run;
  }

  private async sendGroupBuyOutbox(now: number): Promise<boolean> {
    const rows = this.groupBuys.pendingOutbox();
    let allSent = true;
    // bounded concurrency: a deal ending can fail many teams in one alarm
    for (let i = 0; i < rows.length; i += OUTBOX_SEND_CONCURRENCY) {
      const chunk = rows.slice(i, i + OUTBOX_SEND_CONCURRENCY);
      const results = await Promise.allSettled(
        chunk.map((r) => this.env.SETTLEMENT.send(envelope(r.type === TeamSucceeded.type ? TeamSucceeded : TeamFailed, r.data, r.id, now))),
      );
      const sent = chunk.filter((_, j) => results[j]?.status === 'fulfilled').map((r) => r.id);
      this.groupBuys.markSent(sent);
      if (sent.length < chunk.length) allSent = false;
    }
    return allSent;
  }
}

// ---- group buy (拼团) helpers ----

type WithOptionalNow<T extends { now: number }> = Omit<T, 'now'> & { /** epoch ms; defaults to the DO's clock. */ now?: number };

/** How soon the alarm retries outbox rows the queue refused. */
const OUTBOX_RETRY_MS = 30_000;
const OUTBOX_SEND_CONCURRENCY = 50;
/** The first resend of refused order messages; later ones back off to OUTBOX_RETRY_MS. */
const ORDER_RETRY_FIRST_MS = 1_000;
const outboxLog = createLogger({ service: 'edgemall', object: 'SkuStock' });
/** Queues take at most 100 messages per sendBatch. */
const QUEUE_BATCH_MAX = 100;

const earliest = (...ts: (number | null)[]): number | null =>
  ts.reduce<number | null>((min, t) => (t == null ? min : min == null ? t : Math.min(min, t)), null);

/** The SKU's Durable Object: one per SKU, so every flash sale and group buy of it shares one serial decision point. */
export function skuStockStub(env: Env, skuId: string): DurableObjectStub<SkuStock> {
  return env.SKU_STOCK.get(env.SKU_STOCK.idFromName(skuId)) as unknown as DurableObjectStub<SkuStock>;
}

/**
 * The object holding bucket `bucket` of a flash sale: for a one-bucket sale the SKU's own object
 * (exactly as before buckets existed), otherwise `${skuId}#fs:${saleId}:${bucket}`, an object that
 * holds that sale's reservations only (bench/SCALE.md 4.1).
 */
export function saleBucketStub(
  env: Env,
  sale: { id: string; skuId: string; buckets: number },
  bucket: number,
): DurableObjectStub<SkuStock> {
  return skuStockStub(env, bucketObjectName(sale.skuId, sale.id, bucket, sale.buckets));
}
