import { newId } from '../workers/shared/ids';
import {
  applyGrantReceived,
  applyGrantSent,
  applyReturnReceived,
  applyReturnSent,
  bucketShares,
  COORDINATOR,
  decideGrant,
  decideReturn,
  isNewTransfer,
  keepFor,
  newPoolState,
  remaining,
  type PoolState,
  type SaleConfig,
  type SaleState,
  type UnitTransfer,
} from '../workers/domains/flash-sales/rules';

/**
 * A flash sale split over N SkuStock objects (bench/SCALE.md 4): the bucket side (a bucket that
 * runs dry asks for units, gives back what it will not sell) and the coordinator side (the SKU's
 * own object keeps the sale's pool, grants units to dry buckets and reclaims them from the others),
 * joined by write-ahead transfers that are applied once. The unit accounting is the pure rules in
 * domains/flash-sales/rules.ts; this class is their storage and messaging.
 *
 * Safety never depends on timing: a unit leaves the sender's count in the same transaction that
 * records the transfer, the transfer is made durable before the receiver hears of it, and the
 * receiver applies each id once. Timing only decides liveness — how soon a dry bucket gets units.
 */

/**
 * The object holding bucket `bucket` of a sale: the SKU's own object when the sale has one bucket,
 * otherwise one object per (sale, bucket).
 */
export function bucketObjectName(skuId: string, saleId: string, bucket: number, buckets: number): string {
  return buckets <= 1 ? skuId : `${skuId}#fs:${saleId}:${bucket}`;
}

/** What a bucket knows of its sale besides its own pool: where the coordinator is, and the whole. */
export interface BucketInfo {
  skuId: string;
  bucket: number;
  buckets: number;
  /** The sale's whole allocation (the bucket's own is in its SaleConfig). */
  allocated: number;
}

/** How a bucket is configured if a transfer or a reclaim reaches it before anything else did. */
export interface BucketSetup {
  config: SaleConfig;
  info: BucketInfo;
}

export interface RefillRequest {
  /** The sale's config with its whole allocation (so the coordinator can configure itself). */
  config: SaleConfig;
  info: BucketInfo;
  /** Units the bucket's waiting callers want. */
  need: number;
  /** The bucket's unreserved units now. */
  free: number;
}

export type ReceiveOutcome = { applied: boolean; reason?: 'unknown_sale' };
export interface ReclaimOutcome {
  given: number;
  free: number;
}

/** The calls one object of a sale makes on another; SkuStock implements them. */
export interface SalePeer {
  receiveUnits(t: UnitTransfer, setup?: BucketSetup): Promise<ReceiveOutcome>;
  reclaimUnits(saleId: string, setup?: BucketSetup): Promise<ReclaimOutcome>;
  refillBucket(req: RefillRequest): Promise<{ granted: number }>;
}

/** What the hosting SkuStock lends: its storage, its sales, its alarm, its way to reach peers. */
export interface BucketHost {
  storage: DurableObjectStorage;
  peer(name: string): SalePeer;
  sale(saleId: string): SaleState | undefined;
  scheduleAlarm(at: number): Promise<void>;
}

// Timing, as simulated in bench/simulate-buckets.mjs (SCALE.md 4.4).
/** A bucket taking more reserve calls than this per second is saturated: it refuses at once when dry. */
const SATURATED_PER_SEC = 500;
/** Reclaimed, a bucket keeps what it would sell in this long at its rate over the last second. */
const KEEP_MS = 50;
/** At most one reclaim round per this long. */
const ROUND_COOLDOWN_MS = 50;
/** The coordinator answers a refill within this long, with whatever a reclaim round found by then. */
const HOLD_MS = 100;
/** A bucket told "none left" asks again at most this often (and only while it turns people away). */
const RECHECK_MS = 200;
/** A bucket with no reserve call for this long gives units freed by an expiry or a release back at once. */
const IDLE_MS = 1_000;
/** After a round found the whole sale out, refills skip rounds this long (cheap "sold out" for everyone). */
const ALL_OUT_MS = 1_000;
/** A caller held for a refill waits at most this long before hearing "sold out". */
const REFILL_WAIT_MS = 1_000;
/** How soon the alarm resends a transfer whose receiver has not confirmed it. */
export const TRANSFER_RETRY_MS = 2_000;

type TransferRow = {
  id: string;
  sale_id: string;
  from_b: number;
  to_b: number;
  to_name: string;
  units: number;
};
type PoolRow = {
  sale_id: string;
  sku_id: string;
  buckets: number;
  pool: number;
  config: string;
  closing_at: number | null;
  closed_at: number | null;
};
type InfoRow = { sale_id: string; sku_id: string; bucket: number; buckets: number; total: number };

/** The coordinator's view of one sale: the durable pool, and hints that only steer (lost on eviction, harmlessly). */
interface Pool {
  state: PoolState;
  skuId: string;
  config: SaleConfig;
  closedAt: number | null;
  /** Buckets last told "none left": units found later are pushed to them. */
  starved: Set<number>;
  /** Each bucket's unreserved units as it last reported them. */
  lastFree: Map<number, number>;
  /**
   * When every bucket last reported nothing unreserved and the pool was empty: for ALL_OUT_MS
   * refills are answered at once, without a round (units a busy bucket frees later are found by
   * the next round after that).
   */
  allOutAt: number | null;
  round: Promise<void> | null;
  lastRoundAt: number;
  /** Refills waiting for an answer: pushing to starved buckets waits until they have theirs. */
  waiting: number;
}

/** A bucket's own hints (memory only). */
interface Side {
  loadWin: number;
  loadCur: number;
  loadPrev: number;
  soldWin: number;
  soldCur: number;
  soldPrev: number;
  lastReserveAt: number;
  /** The refill in flight (units granted), shared by every caller waiting for it. */
  asking: Promise<number> | null;
  need: number;
  /** When the coordinator last answered "none left" (or could not be reached). */
  starvedAt: number | null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class SaleBuckets {
  private infos = new Map<string, BucketInfo>();
  private sides = new Map<string, Side>();
  private pools = new Map<string, Pool>();
  private sql: SqlStorage;

  constructor(private host: BucketHost) {
    const sql = (this.sql = host.storage.sql);
    sql.exec(`CREATE TABLE IF NOT EXISTS sale_buckets (
      sale_id TEXT PRIMARY KEY, sku_id TEXT NOT NULL, bucket INTEGER NOT NULL, buckets INTEGER NOT NULL, total INTEGER NOT NULL)`);
    sql.exec(`CREATE TABLE IF NOT EXISTS sale_pools (
      sale_id TEXT PRIMARY KEY, sku_id TEXT NOT NULL, buckets INTEGER NOT NULL, pool INTEGER NOT NULL, config TEXT NOT NULL,
      closing_at INTEGER, closed_at INTEGER)`);
    // Outgoing transfers (acked = 0 until the receiver confirmed) and the ids of incoming ones applied.
    sql.exec(`CREATE TABLE IF NOT EXISTS unit_transfers (
      id TEXT PRIMARY KEY, sale_id TEXT NOT NULL, from_b INTEGER NOT NULL, to_b INTEGER NOT NULL, to_name TEXT NOT NULL,
      units INTEGER NOT NULL, acked INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL)`);
    sql.exec(`CREATE INDEX IF NOT EXISTS unit_transfers_unacked_idx ON unit_transfers (sale_id) WHERE acked = 0`);
    sql.exec(`CREATE TABLE IF NOT EXISTS received_transfers (
      id TEXT PRIMARY KEY, sale_id TEXT NOT NULL, units INTEGER NOT NULL, at INTEGER NOT NULL)`);
    for (const r of sql.exec<InfoRow>(`SELECT * FROM sale_buckets`))
      this.infos.set(r.sale_id, { skuId: r.sku_id, bucket: r.bucket, buckets: r.buckets, allocated: r.total });
    for (const r of sql.exec<PoolRow>(`SELECT * FROM sale_pools`)) {
      const config = JSON.parse(r.config) as SaleConfig;
      const state: PoolState = {
        saleId: r.sale_id,
        allocated: config.allocated,
        buckets: r.buckets,
        pool: r.pool,
        closing: r.closing_at != null,
      };
      this.pools.set(r.sale_id, this.poolOf(state, r.sku_id, config, r.closed_at));
    }
  }

  private poolOf(state: PoolState, skuId: string, config: SaleConfig, closedAt: number | null): Pool {
    return {
      state,
      skuId,
      config,
      closedAt,
      starved: new Set(),
      lastFree: new Map(),
      allOutAt: null,
      round: null,
      lastRoundAt: 0,
      waiting: 0,
    };
  }

  // ---- the bucket side ----

  /** Whether this object holds a bucket of the sale (rather than a one-object sale or nothing). */
  isBucket(saleId: string): boolean {
    return this.infos.has(saleId);
  }

  /** Records which bucket of which sale this object is; the first call wins. */
  configureBucket(saleId: string, info: BucketInfo): void {
    if (this.infos.has(saleId)) return;
    this.sql.exec(
      `INSERT OR IGNORE INTO sale_buckets (sale_id, sku_id, bucket, buckets, total) VALUES (?, ?, ?, ?, ?)`,
      saleId,
      info.skuId,
      info.bucket,
      info.buckets,
      info.allocated,
    );
    this.infos.set(saleId, { ...info });
  }

  private sideOf(saleId: string): Side {
    let s = this.sides.get(saleId);
    if (!s) {
      s = {
        loadWin: 0,
        loadCur: 0,
        loadPrev: 0,
        soldWin: 0,
        soldCur: 0,
        soldPrev: 0,
        lastReserveAt: 0,
        asking: null,
        need: 0,
        starvedAt: null,
      };
      this.sides.set(saleId, s);
    }
    return s;
  }

  /** Counts a reserve call; true when the bucket is saturated (its rate over the last 100–200 ms). */
  noteReserve(saleId: string): boolean {
    const side = this.sideOf(saleId);
    const now = Date.now();
    const w = Math.floor(now / 100);
    if (w !== side.loadWin) {
      side.loadPrev = w === side.loadWin + 1 ? side.loadCur : 0;
      side.loadCur = 0;
      side.loadWin = w;
    }
    side.loadCur++;
    side.lastReserveAt = now;
    return ((side.loadCur + side.loadPrev) * 1000) / (100 + (now - w * 100)) > SATURATED_PER_SEC;
  }

  /** Counts units taken (a cheap rate over the last ~second, for what a reclaim lets it keep). */
  noteTaken(saleId: string, units: number): void {
    const side = this.sideOf(saleId);
    const w = Math.floor(Date.now() / 500);
    if (w !== side.soldWin) {
      side.soldPrev = w === side.soldWin + 1 ? side.soldCur : 0;
      side.soldCur = 0;
      side.soldWin = w;
    }
    side.soldCur += units;
  }

  private takenLastSecond(side: Side): number {
    const w = Math.floor(Date.now() / 500);
    if (w === side.soldWin) return side.soldCur + side.soldPrev;
    return w === side.soldWin + 1 ? side.soldCur : 0;
  }

  /**
   * A reserve found the bucket dry. A quiet bucket holds the caller while it asks the coordinator
   * for units: the promise says whether units came (decide again) or not (refuse). A saturated
   * bucket asks in the background and refuses at once (null): its "sold out" is what stops its crowd.
   * Also null when asking makes no sense: not a bucket, closed, or told "none left" a moment ago.
   */
  whenRefilled(s: SaleState, need: number, saturated: boolean): Promise<boolean> | null {
    const saleId = s.config.saleId;
    const info = this.infos.get(saleId);
    if (!info || s.closed || Date.now() >= s.config.endsAt) return null;
    const side = this.sideOf(saleId);
    if (!side.asking) {
      if (side.starvedAt != null && Date.now() - side.starvedAt < RECHECK_MS) return null;
      side.need = 0;
      side.asking = this.ask(s, info, side);
    }
    side.need += need;
    if (saturated) return null;
    const asking = side.asking;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), REFILL_WAIT_MS);
      void asking.then((granted) => {
        clearTimeout(timer);
        resolve(granted > 0);
      });
    });
  }

  private ask(s: SaleState, info: BucketInfo, side: Side): Promise<number> {
    const run = async () => {
      // One tick first, so every caller of this burst adds what it needs to the one request.
      await sleep(0);
      try {
        const { granted } = await this.host.peer(info.skuId).refillBucket({
          config: { ...s.config, allocated: info.allocated },
          info,
          need: side.need,
          free: remaining(s),
        });
        side.starvedAt = granted > 0 ? null : Date.now();
        return granted;
      } catch {
        side.starvedAt = Date.now();
        return 0;
      }
    };
    return run().finally(() => {
      side.asking = null;
    });
  }

  /**
   * The coordinator reclaims: give back unreserved units beyond what this bucket's own crowd would
   * buy meanwhile — none while it is asking for units itself, or once closed.
   */
  async reclaim(saleId: string): Promise<ReclaimOutcome> {
    const s = this.host.sale(saleId);
    const info = this.infos.get(saleId);
    if (!s || !info) return { given: 0, free: 0 };
    const side = this.sideOf(saleId);
    if (side.asking || s.closed) return { given: 0, free: remaining(s) };
    const units = decideReturn(s, keepFor(this.takenLastSecond(side), KEEP_MS));
    if (units > 0) await this.sendReturn(s, info, units);
    return { given: units, free: remaining(s) };
  }

  /**
   * Units went back to this bucket (an expiry, a release). If its crowd has gone quiet, they go to
   * the coordinator at once, so a bucket that still has shoppers is not left saying "sold out".
   */
  freed(s: SaleState): void {
    const info = this.infos.get(s.config.saleId);
    if (!info || s.closed) return;
    const side = this.sideOf(s.config.saleId);
    const now = Date.now();
    if (now >= s.config.endsAt || side.asking || now - side.lastReserveAt < IDLE_MS) return;
    const units = decideReturn(s, 0);
    if (units > 0) void this.sendReturn(s, info, units).catch(() => undefined);
  }

  private async sendReturn(s: SaleState, info: BucketInfo, units: number): Promise<boolean> {
    const t: UnitTransfer = { id: newId('fsu'), saleId: s.config.saleId, from: info.bucket, to: COORDINATOR, units };
    // Checked before the write; memory follows the committed write.
    if (decideReturn(s, 0) < units) throw new Error('a bucket cannot return reserved units');
    this.host.storage.transactionSync(() => {
      this.sql.exec(`UPDATE sales SET allocated = ? WHERE sale_id = ?`, s.config.allocated - units, t.saleId);
      this.recordSent(t, info.skuId);
    });
    applyReturnSent(s, units);
    return this.deliver(t, info.skuId);
  }

  // ---- the coordinator side ----

  /** Registers the sale's pool here (the SKU's own object). Idempotent: the first configuration wins. */
  configurePool(config: SaleConfig, buckets: number, skuId: string): { created: boolean } {
    if (this.pools.has(config.saleId)) return { created: false };
    const state = newPoolState(config, buckets);
    this.sql.exec(
      `INSERT OR IGNORE INTO sale_pools (sale_id, sku_id, buckets, pool, config) VALUES (?, ?, ?, ?, ?)`,
      config.saleId,
      skuId,
      buckets,
      state.pool,
      JSON.stringify(config),
    );
    this.pools.set(config.saleId, this.poolOf(state, skuId, config, null));
    return { created: true };
  }

  /**
   * A dry bucket asks for units. Granted from the pool; if the pool is empty, a reclaim round asks
   * the other buckets first, and the answer comes within HOLD_MS with whatever was found by then
   * (units found later are pushed to the buckets told "none left"). The units travel as a transfer
   * pushed to the bucket before this answer, which only says how many.
   */
  async refill(req: RefillRequest): Promise<{ granted: number }> {
    const saleId = req.config.saleId;
    if (!this.pools.has(saleId)) this.configurePool(req.config, req.info.buckets, req.info.skuId);
    const p = this.pools.get(saleId)!;
    if (p.state.closing) return { granted: 0 };
    p.lastFree.set(req.info.bucket, req.free);
    p.waiting++;
    try {
      const allOut = p.allOutAt != null && Date.now() - p.allOutAt < ALL_OUT_MS;
      if (p.state.pool === 0 && !allOut) await this.reclaimRound(p, req.info.bucket);
      return { granted: await this.grant(p, req.info.bucket, req.need) };
    } finally {
      if (--p.waiting === 0) this.serveStarved(p);
    }
  }

  /** Starts a reclaim round (unless one is out or the last was too recent) and waits for it at most HOLD_MS. */
  private reclaimRound(p: Pool, asking: number | null): Promise<unknown> {
    if (!p.round) {
      const now = Date.now();
      if (now - p.lastRoundAt < ROUND_COOLDOWN_MS) return Promise.resolve();
      p.lastRoundAt = now;
      const all = [...Array(p.state.buckets).keys()];
      let found = 0;
      p.round = Promise.allSettled(
        all
          .filter((b) => b !== asking && !p.starved.has(b))
          .map(async (b) => {
            const out = await this.host.peer(this.bucketName(p, b)).reclaimUnits(p.state.saleId, this.bucketSetup(p, b));
            p.lastFree.set(b, out.free);
            found += out.given;
          }),
      ).then(() => {
        p.round = null;
        if (found === 0 && p.state.pool === 0 && all.every((b) => p.lastFree.get(b) === 0)) p.allOutAt = Date.now();
        if (p.waiting === 0) this.serveStarved(p);
      });
    }
    return Promise.race([p.round, sleep(HOLD_MS)]);
  }

  private async grant(p: Pool, bucket: number, need: number): Promise<number> {
    const units = decideGrant(p.state, need);
    if (units === 0) {
      p.starved.add(bucket);
      return 0;
    }
    p.starved.delete(bucket);
    const t: UnitTransfer = { id: newId('fsu'), saleId: p.state.saleId, from: COORDINATOR, to: bucket, units };
    const name = this.bucketName(p, bucket);
    this.host.storage.transactionSync(() => {
      this.sql.exec(`UPDATE sale_pools SET pool = ? WHERE sale_id = ?`, p.state.pool - units, t.saleId);
      this.recordSent(t, name);
    });
    applyGrantSent(p.state, units);
    await this.deliver(t, name, this.bucketSetup(p, bucket));
    return units;
  }

  /** Pushes what the pool holds to the buckets told "none left" (they still have shoppers waiting). */
  private serveStarved(p: Pool): void {
    for (const b of [...p.starved]) {
      if (p.state.pool <= 0 || p.state.closing) return;
      void this.grant(p, b, 1).catch(() => undefined);
    }
  }

  private bucketName(p: Pool, bucket: number): string {
    return bucketObjectName(p.skuId, p.state.saleId, bucket, p.state.buckets);
  }

  /** What an unconfigured bucket needs to configure itself: its initial share (the rest came by transfer). */
  private bucketSetup(p: Pool, bucket: number): BucketSetup {
    return {
      config: { ...p.config, allocated: bucketShares(p.state.allocated, p.state.buckets)[bucket]! },
      info: { skuId: p.skuId, bucket, buckets: p.state.buckets, allocated: p.state.allocated },
    };
  }

  /** The coordinator's pool of a sale, or null when this object does not coordinate it. */
  poolUnits(saleId: string): number | null {
    return this.pools.get(saleId)?.state.pool ?? null;
  }

  /** The coordinator's pool state of a sale, or null when this object does not coordinate it. */
  poolInfo(saleId: string): { pool: number; closing: boolean; closed: boolean } | null {
    const p = this.pools.get(saleId);
    return p ? { pool: p.state.pool, closing: p.state.closing, closed: p.closedAt != null } : null;
  }

  // ---- transfers ----

  private recordSent(t: UnitTransfer, toName: string): void {
    this.sql.exec(
      `INSERT INTO unit_transfers (id, sale_id, from_b, to_b, to_name, units, acked, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)`,
      t.id,
      t.saleId,
      t.from,
      t.to,
      toName,
      t.units,
      Date.now(),
    );
  }

  /**
   * Hands a recorded transfer to its receiver and marks it acked once the receiver has it (applied
   * now or before). Durable first: the receiver must never hold units this object could forget.
   * A failure leaves it 'sent' for the alarm to resend with the same id.
   */
  private async deliver(t: UnitTransfer, toName: string, setup?: BucketSetup): Promise<boolean> {
    await this.host.scheduleAlarm(Date.now() + TRANSFER_RETRY_MS);
    await this.host.storage.sync();
    try {
      const out = await this.host.peer(toName).receiveUnits(t, setup);
      if (out.reason === 'unknown_sale') return false;
      this.sql.exec(`UPDATE unit_transfers SET acked = 1 WHERE id = ?`, t.id);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Applies an incoming transfer once: the id is recorded in the same transaction that raises the
   * count, so a resent or duplicated transfer changes nothing.
   */
  receive(t: UnitTransfer): ReceiveOutcome {
    const p = t.to === COORDINATOR ? this.pools.get(t.saleId) : undefined;
    const s = t.to === COORDINATOR ? undefined : this.host.sale(t.saleId);
    if (!p && !s) return { applied: false, reason: 'unknown_sale' };
    const applied = {
      has: (id: string) => this.sql.exec(`SELECT 1 FROM received_transfers WHERE id = ?`, id).toArray().length > 0,
    };
    if (!isNewTransfer(applied, t)) return { applied: false };
    this.host.storage.transactionSync(() => {
      this.sql.exec(`INSERT INTO received_transfers (id, sale_id, units, at) VALUES (?, ?, ?, ?)`, t.id, t.saleId, t.units, Date.now());
      if (p) this.sql.exec(`UPDATE sale_pools SET pool = pool + ? WHERE sale_id = ?`, t.units, t.saleId);
      else this.sql.exec(`UPDATE sales SET allocated = allocated + ? WHERE sale_id = ?`, t.units, t.saleId);
    });
    if (p) {
      applyReturnReceived(p.state, t.units);
      if (t.units > 0) p.allOutAt = null;
      if (!p.round && p.waiting === 0) this.serveStarved(p);
    } else applyGrantReceived(s!, t.units);
    return { applied: true };
  }

  /** Resends every unacked transfer (of one sale, or all); true when none is left unacked. */
  async resend(saleId?: string): Promise<boolean> {
    const rows = (
      saleId
        ? this.sql.exec<TransferRow>(`SELECT * FROM unit_transfers WHERE acked = 0 AND sale_id = ?`, saleId)
        : this.sql.exec<TransferRow>(`SELECT * FROM unit_transfers WHERE acked = 0`)
    ).toArray();
    const sent = await Promise.all(
      rows.map((r) => {
        const p = this.pools.get(r.sale_id);
        const t: UnitTransfer = { id: r.id, saleId: r.sale_id, from: r.from_b, to: r.to_b, units: r.units };
        return this.deliver(t, r.to_name, p && r.to_b !== COORDINATOR ? this.bucketSetup(p, r.to_b) : undefined);
      }),
    );
    return sent.every(Boolean);
  }

  /** Units this object has sent for the sale and not yet seen confirmed. */
  unackedUnits(saleId: string): number {
    return (
      this.sql.exec<{ n: number | null }>(`SELECT sum(units) AS n FROM unit_transfers WHERE acked = 0 AND sale_id = ?`, saleId).one().n ?? 0
    );
  }

  // ---- wind-up ----

  /**
   * The coordinator's first step of a wind-up: no more grants (durably), then every grant already
   * sent must have reached its bucket. Buckets close after this; finishClose comes last.
   */
  async beginClose(saleId: string, now: number): Promise<{ ok: true } | { ok: false; reason: 'unknown_sale' | 'not_ended' | 'transfers' }> {
    const p = this.pools.get(saleId);
    if (!p) return { ok: false, reason: 'unknown_sale' };
    if (!p.state.closing) {
      if (now < p.config.endsAt) return { ok: false, reason: 'not_ended' };
      this.sql.exec(`UPDATE sale_pools SET closing_at = ? WHERE sale_id = ?`, now, saleId);
      p.state.closing = true;
    }
    return (await this.resend(saleId)) ? { ok: true } : { ok: false, reason: 'transfers' };
  }

  /**
   * The last step, once every bucket has closed (so every return it sent has arrived): the pool is
   * final and its units are the coordinator's share of the unsold. Idempotent.
   */
  async finishClose(
    saleId: string,
    now: number,
  ): Promise<{ ok: true; unsold: number } | { ok: false; reason: 'unknown_sale' | 'not_closing' | 'transfers' }> {
    const p = this.pools.get(saleId);
    if (!p) return { ok: false, reason: 'unknown_sale' };
    if (!p.state.closing) return { ok: false, reason: 'not_closing' };
    if (p.closedAt == null) {
      if (!(await this.resend(saleId))) return { ok: false, reason: 'transfers' };
      this.sql.exec(`UPDATE sale_pools SET closed_at = ? WHERE sale_id = ?`, now, saleId);
      p.closedAt = now;
    }
    return { ok: true, unsold: p.state.pool };
  }
}
