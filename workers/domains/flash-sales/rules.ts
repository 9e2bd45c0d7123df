/**
 * Flash-sale decision rules: pure functions, no I/O. The SkuStock Durable Object owns the state
 * and serialises calls; these functions only say what a request is allowed to do and how the
 * counters move, so they can be property-tested outside workerd.
 */

export interface SaleConfig {
  saleId: string;
  /** Units moved out of normal SKU stock into this sale. */
  allocated: number;
  /** Most units one shopper may hold (pending + confirmed). */
  perShopperLimit: number;
  /** epoch ms, inclusive */
  startsAt: number;
  /** epoch ms, exclusive */
  endsAt: number;
  /** How long an unconfirmed reservation holds its units. */
  reservationTtlMs: number;
}

export type ReservationStatus = 'pending' | 'confirmed' | 'released' | 'expired';

export interface Reservation {
  id: string;
  saleId: string;
  shopperId: string;
  quantity: number;
  idempotencyKey: string;
  status: ReservationStatus;
  createdAt: number;
  expiresAt: number;
  /** What the order needs besides the units (address id, buyer note), as the reserve call sent it. */
  meta?: string | null;
}

/** What a reservation's status means for the pool: pending and confirmed units are taken. */
export const holdsUnits = (s: ReservationStatus): boolean => s === 'pending' || s === 'confirmed';

export interface SaleState {
  config: SaleConfig;
  /** Units held by pending or confirmed reservations. */
  taken: number;
  /** Units held by confirmed reservations (sold). */
  sold: number;
  /** shopperId → units held (pending + confirmed). */
  byShopper: Map<string, number>;
  /** idempotency scope key (see `idemScope`) → the reservation it produced, whatever its status. */
  byKey: Map<string, Reservation>;
  /** Set once the unsold units went back to normal stock: nothing can take units any more. */
  closed: boolean;
}

export interface ReserveRequest {
  shopperId: string;
  quantity: number;
  idempotencyKey: string;
  now: number;
}

export type ReserveDecision =
  | { kind: 'reserve'; quantity: number; expiresAt: number }
  | { kind: 'duplicate'; reservation: Reservation }
  | { kind: 'invalid_quantity' }
  | { kind: 'not_started'; startsAt: number }
  | { kind: 'ended'; endsAt: number }
  | { kind: 'sold_out'; remaining: number }
  | { kind: 'limit_reached'; held: number; limit: number };

/**
 * Idempotency keys are scoped to the shopper: another shopper reusing a key must never receive
 * someone else's reservation.
 */
export const idemScope = (shopperId: string, idempotencyKey: string): string => `${shopperId}\u0000${idempotencyKey}`;

export function newSaleState(config: SaleConfig): SaleState {
  return { config, taken: 0, sold: 0, byShopper: new Map(), byKey: new Map(), closed: false };
}

export const remaining = (s: SaleState): number => s.config.allocated - s.taken;

/**
 * Decides one reserve request. A repeated idempotency key wins over every other check, so a retry
 * after the sale sold out (or ended) still gets the reservation the first attempt made.
 */
export function decideReserve(s: SaleState, req: ReserveRequest): ReserveDecision {
  const earlier = s.byKey.get(idemScope(req.shopperId, req.idempotencyKey));
  if (earlier) return { kind: 'duplicate', reservation: earlier };
  if (!Number.isInteger(req.quantity) || req.quantity < 1) return { kind: 'invalid_quantity' };
  if (req.now < s.config.startsAt) return { kind: 'not_started', startsAt: s.config.startsAt };
  if (req.now >= s.config.endsAt || s.closed) return { kind: 'ended', endsAt: s.config.endsAt };
  const held = s.byShopper.get(req.shopperId) ?? 0;
  // The limit is checked before stock so a shopper at their limit hears why, not "sold out".
  if (held + req.quantity > s.config.perShopperLimit) return { kind: 'limit_reached', held, limit: s.config.perShopperLimit };
  const left = remaining(s);
  if (req.quantity > left) return { kind: 'sold_out', remaining: left };
  return { kind: 'reserve', quantity: req.quantity, expiresAt: req.now + s.config.reservationTtlMs };
}

/** Records a reservation the caller created after a `reserve` decision (or reloaded from storage). */
export function applyReservation(s: SaleState, r: Reservation): void {
  s.byKey.set(idemScope(r.shopperId, r.idempotencyKey), r);
  if (holdsUnits(r.status)) {
    s.taken += r.quantity;
    s.byShopper.set(r.shopperId, (s.byShopper.get(r.shopperId) ?? 0) + r.quantity);
  }
  if (r.status === 'confirmed') s.sold += r.quantity;
}

export type Transition = 'confirm' | 'release' | 'expire';

/**
 * Whether a transition applies: confirm and release act on pending reservations only; confirming
 * twice or releasing twice is a no-op ('noop'), anything else is refused. Expire (the alarm) acts
 * only on pending reservations whose time is up — so an alarm that fires twice releases once.
 */
export function decideTransition(r: Reservation, t: Transition, now: number): 'apply' | 'noop' | 'refuse' {
  if (t === 'confirm') return r.status === 'pending' ? 'apply' : r.status === 'confirmed' ? 'noop' : 'refuse';
  if (t === 'release') return r.status === 'pending' ? 'apply' : r.status === 'released' || r.status === 'expired' ? 'noop' : 'refuse';
  return r.status === 'pending' && r.expiresAt <= now ? 'apply' : 'noop';
}

/** Moves the counters for an applied transition and updates the reservation in place. */
export function applyTransition(s: SaleState, r: Reservation, t: Transition): void {
  if (t === 'confirm') {
    r.status = 'confirmed';
    s.sold += r.quantity;
    return;
  }
  r.status = t === 'release' ? 'released' : 'expired';
  s.taken -= r.quantity;
  const held = (s.byShopper.get(r.shopperId) ?? 0) - r.quantity;
  if (held > 0) s.byShopper.set(r.shopperId, held);
  else s.byShopper.delete(r.shopperId);
}

/**
 * A payment that arrives after its reservation expired (or was released) still takes the units if
 * the pool has them and the shopper stays within the limit — the money is in, so honouring it is
 * better than a refund. Otherwise it is refused and the caller refunds the order.
 */
export function decideReinstate(s: SaleState, r: Reservation): 'apply' | 'sold_out' | 'limit_reached' | 'closed' | 'not_lapsed' {
  if (r.status !== 'expired' && r.status !== 'released') return 'not_lapsed';
  if (s.closed) return 'closed';
  if ((s.byShopper.get(r.shopperId) ?? 0) + r.quantity > s.config.perShopperLimit) return 'limit_reached';
  return remaining(s) >= r.quantity ? 'apply' : 'sold_out';
}

/** Moves the counters for an applied reinstatement: the lapsed reservation becomes confirmed. */
export function applyReinstate(s: SaleState, r: Reservation): void {
  r.status = 'confirmed';
  s.taken += r.quantity;
  s.sold += r.quantity;
  s.byShopper.set(r.shopperId, (s.byShopper.get(r.shopperId) ?? 0) + r.quantity);
}

// ---- buckets: one sale split across N objects (bench/SCALE.md section 4) ----

/** Most bucket objects a sale may have (CreateFlashSaleInput caps it; 4.9 of SCALE.md says why). */
export const MAX_BUCKETS = 16;

/** FNV-1a, 32 bit, over UTF-16 code units: cheap, stable across runtimes, and well spread for ids. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The bucket that holds every reservation of `shopperId` in the sale. A pure function of (sale,
 * shopper, N) and N never changes after creation, so one bucket sees all of a shopper's units and
 * its synchronous limit check stays exact. With one bucket it is always 0.
 */
export function bucketOf(saleId: string, shopperId: string, buckets: number): number {
  return buckets <= 1 ? 0 : fnv1a(`${saleId}:${shopperId}`) % buckets;
}

/** The allocation split evenly over the buckets at creation (the first `allocated mod n` get one more). */
export function bucketShares(allocated: number, buckets: number): number[] {
  const base = Math.floor(allocated / buckets);
  const rest = allocated % buckets;
  return Array.from({ length: buckets }, (_, b) => base + (b < rest ? 1 : 0));
}

// ---- leftovers rebalanced between buckets (bench/SCALE.md 4.3, 4.4) ----
//
// Units move only through transfers that are written ahead and applied once: the sender lowers
// its own count and records the transfer ('sent') in one transaction, then calls the receiver,
// which applies a transfer id once (a duplicate changes nothing); the sender marks it acked when
// the call returns and resends what is still 'sent'. A unit in transfer is in nobody's allocation,
// so the invariant pool + Σ allocated_b + units in transfer = allocated holds at every step and a
// bucket, which never takes more than its own allocation, can never help oversell the sale.

/** The coordinator's end of a transfer (the SKU's own object); buckets are 0 … N−1. */
export const COORDINATOR = -1;

export interface UnitTransfer {
  /** Unique; the receiver applies each id once. */
  id: string;
  saleId: string;
  /** A bucket index, or COORDINATOR. */
  from: number;
  to: number;
  units: number;
}

/** The coordinator's pool of a bucketed sale: units in no bucket and in no transfer. */
export interface PoolState {
  saleId: string;
  allocated: number;
  buckets: number;
  pool: number;
  /** Set when the wind-up starts: no more grants, so no unit can move into a bucket that is closing. */
  closing: boolean;
}

/** A sale's pool at creation: the buckets got even shares, so it holds what the split left over (none). */
export function newPoolState(config: Pick<SaleConfig, 'saleId' | 'allocated'>, buckets: number): PoolState {
  const split = bucketShares(config.allocated, buckets).reduce((a, x) => a + x, 0);
  return { saleId: config.saleId, allocated: config.allocated, buckets, pool: config.allocated - split, closing: false };
}

/**
 * Units the coordinator grants a dry bucket: what its waiting callers need, or a fair slice of the
 * pool (⌈pool ÷ N⌉) if that is more, never more than the pool; nothing once the sale is closing.
 */
export function decideGrant(p: PoolState, need: number): number {
  if (p.closing || p.pool <= 0) return 0;
  return Math.min(p.pool, Math.max(1, Math.floor(need), Math.ceil(p.pool / p.buckets)));
}

/**
 * Units a bucket keeps when the coordinator reclaims: what its own crowd would buy in `keepMs` at
 * the rate of the last second. A bucket selling fast keeps its units — its crowd will buy them,
 * and moving them would only send them where the crowd has already been told "sold out".
 */
export function keepFor(unitsLastSecond: number, keepMs: number): number {
  return Math.max(0, Math.ceil((unitsLastSecond * keepMs) / 1000));
}

/** A bucket's answer to a reclaim: its unreserved units beyond `keep` (nothing once closed). */
export function decideReturn(s: SaleState, keep: number): number {
  if (s.closed) return 0;
  return Math.max(0, remaining(s) - Math.max(0, keep));
}

const assertUnits = (units: number, most: number, what: string) => {
  if (!Number.isInteger(units) || units < 0 || units > most) throw new Error(`invalid transfer: ${what} ${units} of ${most}`);
};

/** Sender side of a grant: the pool gives units it has (the caller records the transfer in the same write). */
export function applyGrantSent(p: PoolState, units: number): void {
  assertUnits(units, p.pool, 'grant');
  p.pool -= units;
}

/** Sender side of a return: a bucket gives back units it has not reserved, never a reserved one. */
export function applyReturnSent(s: SaleState, units: number): void {
  assertUnits(units, remaining(s), 'return');
  s.config.allocated -= units;
}

/** Receiver side of a new (not yet applied) grant: the bucket's allocation grows. */
export function applyGrantReceived(s: SaleState, units: number): void {
  assertUnits(units, Number.MAX_SAFE_INTEGER, 'grant');
  s.config.allocated += units;
}

/** Receiver side of a new (not yet applied) return: the pool grows. */
export function applyReturnReceived(p: PoolState, units: number): void {
  assertUnits(units, Number.MAX_SAFE_INTEGER, 'return');
  p.pool += units;
}

/**
 * Whether a transfer is new to a receiver that has applied the ids in `applied`: the check that
 * makes a resent or duplicated transfer change nothing. The receiver records the id in the same
 * write that moves its count.
 */
export const isNewTransfer = (applied: { has(id: string): boolean }, t: Pick<UnitTransfer, 'id'>): boolean => !applied.has(t.id);

/** pool + Σ allocated_b + units in transfer: equal to the sale's allocation at every step. */
export function unitsAccountedFor(pool: number, bucketAllocations: number[], inTransfer: number): number {
  return pool + bucketAllocations.reduce((a, x) => a + x, 0) + inTransfer;
}
