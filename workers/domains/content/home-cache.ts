// The storefront home's sections, built once and kept in this isolate for a few seconds: the home
// is the most read page, and its rails need a catalog read per product list. Nothing in it
// depends on who asks. A write in this isolate (a section, or a content's state) drops it at once;
// other isolates see a change within HOME_CACHE_MS. Schedules (startsAt/endsAt, a linked
// article's publish time) are kept with the entry and applied per request, so a section or an
// article appears exactly at its time whatever the cache holds.

/** How long another isolate may serve the home sections after a change. */
export const HOME_CACHE_MS = 5_000;

let version = 0;
let entry: { version: number; builtAt: number; value: unknown } | null = null;

/** Drops the cached home (call after a write that changes what it shows). */
export function homeChanged(): void {
  version++;
  entry = null;
}

/** The cached value, or build (and keep) a new one. */
export async function cachedHome<T>(build: () => Promise<T>): Promise<T> {
  const now = Date.now();
  if (entry && entry.version === version && now - entry.builtAt < HOME_CACHE_MS) return entry.value as T;
  const v = version;
  const value = await build();
  // a write during the build made this value stale: serve it to this request only
  if (v === version) entry = { version: v, builtAt: now, value };
  return value;
}
