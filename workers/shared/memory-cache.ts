/**
 * A bounded least-recently-used map for isolate memory. Reads served from it cost no binding
 * I/O at all (locally every D1 query or Cache API call is an actor hop inside workerd, worth
 * ~10 hello requests of CPU), so it sits in front of the Cache API for the hottest reads.
 *
 * Bounded two ways, because an isolate has ~128 MB for everything: by entry count and by an
 * estimate of the bytes held (the caller says what an entry weighs; for JSON text, 2 bytes a
 * UTF-16 code unit). Whatever would break a bound is evicted oldest-use first; a single value
 * heavier than the whole byte budget is not kept at all.
 */
export class LruCache<V> {
  // A Map iterates in insertion order; re-inserting on every hit keeps the least recently used first.
  private readonly map = new Map<string, { value: V; bytes: number }>();
  private heldBytes = 0;

  constructor(
    readonly limits: { maxEntries: number; maxBytes: number },
    private readonly weigh: (value: V, key: string) => number,
  ) {
    if (!(limits.maxEntries >= 1) || !(limits.maxBytes >= 1)) throw new RangeError('LruCache: limits must be at least 1');
  }

  /** The value for `key`, marked as just used; undefined when absent. */
  get(key: string): V | undefined {
    const e = this.map.get(key);
    if (!e) return undefined;
    this.map.delete(key);
    this.map.set(key, e);
    return e.value;
  }

  /** Stores `value`, evicting the least recently used entries until both bounds hold. */
  set(key: string, value: V): void {
    this.delete(key);
    const bytes = Math.max(0, Math.ceil(this.weigh(value, key))) + key.length * 2;
    if (bytes > this.limits.maxBytes) return;
    this.map.set(key, { value, bytes });
    this.heldBytes += bytes;
    for (const [k, e] of this.map) {
      if (this.map.size <= this.limits.maxEntries && this.heldBytes <= this.limits.maxBytes) break;
      this.map.delete(k);
      this.heldBytes -= e.bytes;
    }
  }

  delete(key: string): void {
    const e = this.map.get(key);
    if (!e) return;
    this.map.delete(key);
    this.heldBytes -= e.bytes;
  }

  clear(): void {
    this.map.clear();
    this.heldBytes = 0;
  }

  get size(): number {
    return this.map.size;
  }

  /** The estimated bytes held (what the byte bound is checked against). */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Keys from least to most recently used (for tests and diagnostics). */
  keys(): string[] {
    return [...this.map.keys()];
  }
}

/** Weight of a JSON text or other string held in memory: V8 stores non-Latin-1 text as UTF-16. */
export const textBytes = (s: string): number => s.length * 2;

/** How long a time-bounded entry may be served: fresh as is, then stale while a refresh runs. */
export interface Freshness {
  /** Served without any I/O while at most this old (ms). */
  freshMs: number;
  /**
   * The bound: served while at most this old (ms), the refresh running in the background (the
   * request's waitUntil); older, the request waits for the reload. No caller is ever served a
   * value older than this.
   */
  maxAgeMs: number;
}

/** A value and when its source (D1) produced it, epoch ms. */
export interface Timed<V> {
  value: V;
  at: number;
}

/**
 * 'fresh', 'stale' (servable while a refresh runs) or 'expired'. A stamp from the future (a caller
 * with a clock ahead, as tests and the cron use) counts as expired rather than fresh for ever.
 */
export function ageState(at: number, now: number, f: Freshness): 'fresh' | 'stale' | 'expired' {
  const age = now - at;
  if (age < -f.freshMs) return 'expired';
  if (age <= f.freshMs) return 'fresh';
  return age <= f.maxAgeMs ? 'stale' : 'expired';
}

/** What a TimedCache read needs of the request: its clock, its waitUntil, a log for refresh failures. */
export interface ReadCtx {
  now: number;
  waitUntil?: (p: Promise<unknown>) => void;
  log: { warn(msg: string, fields?: Record<string, unknown>): void };
}

/**
 * An LruCache whose entries are served for a bounded time (`Freshness`) and then refreshed —
 * stale-while-revalidate, with a hard bound. Loads are never shared between requests (workerd
 * ties a promise's I/O to the request that made it), so a cold key may be loaded by several
 * requests at once; a background refresh runs once per key at a time.
 *
 * `generation` lets the owner invalidate loads already under way: a load that started before the
 * generation changed (a local write) is returned to its own caller but not stored, so it cannot
 * put pre-write data back after the write dropped it.
 */
export class TimedCache<V> {
  private readonly lru: LruCache<Timed<V>>;
  private readonly refreshing = new Map<string, { since: number }>();

  constructor(
    limits: { maxEntries: number; maxBytes: number },
    weigh: (value: V) => number,
    readonly freshness: Freshness,
    private readonly generation: () => number = () => 0,
  ) {
    this.lru = new LruCache(limits, (e) => weigh(e.value) + 16);
  }

  /** The value for `key` within the bound, loading (and storing) it when there is none. */
  async read(ctx: ReadCtx, key: string, load: () => Promise<Timed<V>>): Promise<V> {
    const hit = this.lru.get(key);
    const state = hit ? ageState(hit.at, ctx.now, this.freshness) : 'expired';
    if (hit && state === 'fresh') return hit.value;
    if (hit && state === 'stale' && ctx.waitUntil) {
      const running = this.refreshing.get(key);
      // A refresh that never settled (its request was cut off) does not block the next one for long.
      if (!running || ctx.now - running.since > this.freshness.maxAgeMs * 5) {
        const mark = { since: ctx.now };
        this.refreshing.set(key, mark);
        ctx.waitUntil(
          this.fill(key, load)
            .catch((e) => ctx.log.warn('background refresh failed', { key, err: String(e) }))
            .finally(() => {
              if (this.refreshing.get(key) === mark) this.refreshing.delete(key);
            }),
        );
      }
      return hit.value;
    }
    return (await this.fill(key, load)).value;
  }

  private async fill(key: string, load: () => Promise<Timed<V>>): Promise<Timed<V>> {
    const gen = this.generation();
    const loaded = await load();
    if (gen === this.generation()) this.lru.set(key, loaded);
    return loaded;
  }

  /** The value while fresh at `now`, with no I/O and no refresh; undefined otherwise. */
  fresh(key: string, now: number): V | undefined {
    const hit = this.lru.get(key);
    return hit && ageState(hit.at, now, this.freshness) === 'fresh' ? hit.value : undefined;
  }

  /** The stored entry, whatever its age (for writers that update a value they know). */
  peek(key: string): Timed<V> | undefined {
    return this.lru.get(key);
  }

  set(key: string, entry: Timed<V>): void {
    this.lru.set(key, entry);
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.bytes;
  }
}
