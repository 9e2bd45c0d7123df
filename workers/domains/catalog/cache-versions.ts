// Versions of the storefront's cached catalog reads (store-cache.ts reads through them; the
// catalog's writers change them).
//
// Where a shopper's read can come from, first hit wins: this isolate's memory (no binding I/O),
// the Cache API (shared by the isolates of a data centre), D1. Cached entries are keyed by
// versions, never purged in place: a write changes the version in the same D1 batch as the
// change itself, so the old entries are simply never asked for again.
//   - category pages, filters, search: the `listing` token (catalog_versions), changed by every
//     product or category write;
//   - the category tree and the breadcrumbs in a product's detail: the `taxonomy` token, changed
//     by every category write;
//   - one product's detail: its own `products.version`, read with its live state (below).
//
// How fast a change is seen:
//   - in the isolate that made it, at once: the writer calls `applied()` after its batch commits,
//     which installs the new tokens here and drops the product's (or, for a category change,
//     every product's) live state;
//   - in every other isolate, within STORE_READ_FRESHNESS.maxAgeMs (1 s): an isolate re-reads the
//     tokens, each product's live state (visible? version, stock per SKU) and each list page at
//     most every freshMs (0.5 s) — in the background while it serves the previous value — and
//     never serves one older than maxAgeMs. So an unpublished or deleted product disappears, and
//     a price shows, within 1 s everywhere; stock and sales counts (which change with every order
//     and never change a version, so an order never drops a cached product body) are at most 1 s
//     old. Checkout and createOrder read D1 and check stock in SQL: they stay authoritative.
import type { Ctx } from '../../shared/context';
import { newId } from '../../shared/ids';
import { ageState, TimedCache, type Freshness, type ReadCtx } from '../../shared/memory-cache';

/** The staleness bound of storefront catalog reads in isolates other than the writer's. */
export const STORE_READ_FRESHNESS: Freshness = { freshMs: 500, maxAgeMs: 1000 };

export interface CatalogTokens {
  listing: string;
  taxonomy: string;
}

let epoch = 0;
/** Changes with every catalog change made in this isolate: caches drop loads that straddle one. */
export const catalogEpoch = (): number => epoch;

/** What this isolate's caches must forget after a local write. */
export interface LocalCatalogChange {
  /** Products whose live state (visibility, version, stock) may have changed. */
  productIds: string[];
  /** A category changed: visibility and breadcrumbs of any product may have. */
  everything: boolean;
}

const listeners = new Set<(change: LocalCatalogChange) => void>();

/** Registers what the read caches drop when this isolate changes the catalog. */
export function onLocalCatalogChange(fn: (change: LocalCatalogChange) => void): void {
  listeners.add(fn);
}

const tokenSlot = new TimedCache<CatalogTokens>({ maxEntries: 1, maxBytes: 4096 }, () => 128, STORE_READ_FRESHNESS, catalogEpoch);

/**
 * The current version tokens: from memory while fresh, re-read from D1 (one small query) at most
 * every 0.5 s per isolate under traffic, in the background.
 */
export function catalogTokens(ctx: ReadCtx & Pick<Ctx, 'env'>): Promise<CatalogTokens> {
  return tokenSlot.read(ctx, 'tokens', async () => {
    const { results } = await ctx.env.DB.prepare('SELECT scope, token FROM catalog_versions').all<{ scope: string; token: string }>();
    const by = new Map(results.map((r) => [r.scope, r.token]));
    // The migration seeds both rows; '-' only if someone deleted one (the next write recreates it).
    return { value: { listing: by.get('listing') ?? '-', taxonomy: by.get('taxonomy') ?? '-' }, at: ctx.now };
  });
}

/**
 * The tokens without waiting: fresh ones, or stale ones within the bound while a refresh runs in
 * the background (ctx.waitUntil); undefined when the caller has to wait for catalogTokens.
 */
export function servableCatalogTokens(ctx: ReadCtx & Pick<Ctx, 'env'>): CatalogTokens | undefined {
  const hit = tokenSlot.peek('tokens');
  const age = hit ? ageState(hit.at, ctx.now, STORE_READ_FRESHNESS) : 'expired';
  if (!hit || age === 'expired' || (age === 'stale' && !ctx.waitUntil)) return undefined;
  // On a stale hit this schedules the refresh and settles with the held value: no I/O to wait for.
  if (age === 'stale') void catalogTokens(ctx);
  return hit.value;
}

/** The tokens if this isolate holds fresh ones, else undefined: for a read that must do no I/O. */
export function freshCatalogTokens(now: number): CatalogTokens | undefined {
  return tokenSlot.fresh('tokens', now);
}

function changedHere(change: { tokens?: Partial<CatalogTokens>; productIds?: string[]; everything?: boolean }): void {
  epoch++;
  const known = tokenSlot.peek('tokens');
  // The other scope's token is as current as it was: keep its read time, so it is re-read as usual.
  if (known && change.tokens) tokenSlot.set('tokens', { value: { ...known.value, ...change.tokens }, at: known.at });
  for (const fn of listeners) fn({ productIds: change.productIds ?? [], everything: change.everything ?? false });
}

const UPSERT =
  'INSERT INTO catalog_versions (scope, token, changed_at) VALUES (?1, ?2, ?3) ON CONFLICT (scope) DO UPDATE SET token = excluded.token, changed_at = excluded.changed_at';

export interface CatalogChange {
  /** Products whose storefront detail or visibility changes (their `products.version` moves too, or they vanish). */
  productIds?: string[];
  /** The change touches categories (names, tree, enabled): every product's breadcrumbs and visibility. */
  categories?: boolean;
}

/**
 * Publishes a catalog change to the storefront caches. Put `statements` in the same D1 batch as
 * the change (so no reader can see the new version without the new data, nor the reverse), and
 * call `applied()` once that batch has committed: this isolate then sees the change at once,
 * every other one within STORE_READ_FRESHNESS.maxAgeMs.
 */
export function catalogChangeStatements(
  ctx: Pick<Ctx, 'env' | 'now'>,
  change: CatalogChange,
): { statements: D1PreparedStatement[]; applied: () => void } {
  // Random tokens, not counters: equal means unchanged, and a fresh database never repeats one.
  const next: Partial<CatalogTokens> = { listing: newId('cv', 12) };
  if (change.categories) next.taxonomy = newId('cv', 12);
  const statements = Object.entries(next).map(([scope, token]) => ctx.env.DB.prepare(UPSERT).bind(scope, token, ctx.now));
  return {
    statements,
    applied: () => changedHere({ tokens: next, productIds: change.productIds, everything: change.categories }),
  };
}

/**
 * Stock moved outside an order (an admin adjustment, units allocated to or returned from a
 * promotion): this isolate shows it at once. Other isolates show it within the bound, as they do
 * every order's stock change; no version moves, so no cached product body or list is dropped.
 */
export function stockChangedHere(productIds: string[]): void {
  changedHere({ productIds });
}
