import type { Ctx } from './context';

// Cache API entries are per data centre; writes purge the entry in the writer's data centre at
// once and the short TTL bounds staleness elsewhere.
const ORIGIN = 'https://cache.edgemall.internal';

const keyUrl = (key: string) => `${ORIGIN}/${key}`;

function cacheStore(): Cache | null {
  return typeof caches !== 'undefined' && 'default' in caches ? (caches as unknown as { default: Cache }).default : null;
}

/** Returns the cached JSON for `key`, or runs `load` and caches its result for `ttlSeconds`. */
export async function cachedJson<T>(ctx: Ctx, key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
  const cache = cacheStore();
  if (!cache) return load();
  const hit = await cache.match(keyUrl(key));
  if (hit) return (await hit.json()) as T;
  const value = await load();
  const res = new Response(JSON.stringify(value), {
    headers: { 'content-type': 'application/json', 'cache-control': `public, max-age=${ttlSeconds}` },
  });
  const put = cache.put(keyUrl(key), res);
  if (ctx.waitUntil) ctx.waitUntil(put);
  else await put;
  return value;
}

/** Drops cached entries so the next read sees the change ("one-click sync"). */
export async function purgeCache(keys: string[]): Promise<void> {
  const cache = cacheStore();
  if (!cache) return;
  await Promise.all(keys.map((k) => cache.delete(keyUrl(k))));
}
