import type { Ctx } from './context';

// The Cache API (`caches.default`): shared by the isolates of one data centre in production, so
// it sits behind an isolate's memory cache and in front of D1. Entries are per data centre and
// cannot be purged everywhere at once, so callers key them by a version that a write changes
// (the old entries are simply never asked for again) or bound their age themselves.
const ORIGIN = 'https://cache.edgemall.internal';

const keyUrl = (key: string) => `${ORIGIN}/${key}`;
const FETCHED_AT = 'x-edgemall-fetched-at';

function cacheStore(): Cache | null {
  return typeof caches !== 'undefined' && 'default' in caches ? (caches as unknown as { default: Cache }).default : null;
}

export interface EdgeEntry {
  text: string;
  /** When the origin (D1) produced the text, epoch ms: lets a reader bound the age of what it serves. */
  fetchedAt: number;
}

/** The cached text for `key`, or null (absent, expired, or the cache is unavailable). */
export async function edgeCacheGet(ctx: Pick<Ctx, 'log'>, key: string): Promise<EdgeEntry | null> {
  const cache = cacheStore();
  if (!cache) return null;
  try {
    const hit = await cache.match(keyUrl(key));
    if (!hit) return null;
    return { text: await hit.text(), fetchedAt: Number(hit.headers.get(FETCHED_AT) ?? 0) };
  } catch (e) {
    // A cache that fails is a miss, not an outage: the caller reads the origin.
    ctx.log.warn('cache match failed', { key, err: String(e) });
    return null;
  }
}

/**
 * Stores `entry` under `key` for `ttlSeconds`, in the background when the request can outlive
 * its response (waitUntil), so the shopper does not wait for the write.
 */
export async function edgeCachePut(ctx: Pick<Ctx, 'log' | 'waitUntil'>, key: string, entry: EdgeEntry, ttlSeconds: number): Promise<void> {
  const cache = cacheStore();
  if (!cache) return;
  const res = new Response(entry.text, {
    headers: {
      'content-type': 'application/json',
      'cache-control': `public, max-age=${Math.max(1, Math.round(ttlSeconds))}`,
      [FETCHED_AT]: String(entry.fetchedAt),
    },
  });
  const put = cache.put(keyUrl(key), res).catch((e) => ctx.log.warn('cache put failed', { key, err: String(e) }));
  if (ctx.waitUntil) ctx.waitUntil(put);
  else await put;
}
