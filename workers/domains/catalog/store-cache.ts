// The storefront's hot catalog reads (getProduct, listProducts with its filters, sorts, cursors
// and keyword search, listCategories) served from this isolate's memory, then the Cache API, then
// D1. Versions and staleness bounds: cache-versions.ts.
//
// Nothing cached here depends on who asks: the detail, the lists and the tree are built from the
// catalog alone (no member price chosen per shopper — `memberPrice` is shown to everyone and the
// member-tier hook applies it at checkout —, no personalised promotion, no merchant scope), so a
// signed-in shopper and an anonymous one get the same bytes. Lists are keyed by their parsed,
// normalised query (defaults filled in, unknown parameters dropped, values coerced), so
// `?inStock=1` and `?inStock=true&x=y` share an entry while two different queries never do.
//
// A hit does no binding I/O: the response is kept ready-made as UTF-8 bytes (and its ETag), so
// serving it costs a few map look-ups and a copy — not a JSON encode, nor a UTF-8 encode of text
// that is mostly Chinese.
import type { Ctx } from '../../shared/context';
import { edgeCacheGet, edgeCachePut } from '../../shared/cache';
import { notFound } from '../../shared/errors';
import { ageState, LruCache, textBytes, TimedCache, type ReadCtx } from '../../shared/memory-cache';
import type { Page } from '../../shared/pagination';
import type { ListProductsQuery, ProductSummaryDto, StoreProductDto } from './dto';
import {
  catalogEpoch,
  catalogTokens,
  freshCatalogTokens,
  onLocalCatalogChange,
  servableCatalogTokens,
  STORE_READ_FRESHNESS,
} from './cache-versions';
import { liveProductStates, loadStoreProduct, type LiveProductState } from './products.service';
import { listStoreProducts } from './search.service';
import { storeCategoryTree } from './categories.service';

/** A response body ready to send, with its validator. */
export interface CachedPage {
  text: string;
  /** `text` as UTF-8, what the response sends. */
  bytes: Uint8Array<ArrayBuffer>;
  etag: string;
}

type ProductPage = CachedPage & { live: LiveProductState; bodyKey: string };

const MiB = 1024 * 1024;
/** Versioned entries (a product body, the tree) stay in the Cache API this long: a new version is a new key. */
const VERSIONED_TTL_SECONDS = 3600;

// Bounds: ~30 MiB at most of an isolate's 128 MB, however many products and queries are asked for.
const LIVE_ENTRIES = 5000;
const live = new TimedCache<LiveProductState>(
  { maxEntries: LIVE_ENTRIES, maxBytes: 4 * MiB },
  (s) => 64 + s.stock.size * 64,
  STORE_READ_FRESHNESS,
  catalogEpoch,
);
// A body is weighed twice its JSON text: the parsed object is held too (for composing with live stock).
const bodies = new LruCache<{ dto: StoreProductDto; text: string }>({ maxEntries: 1000, maxBytes: 8 * MiB }, (b) => 2 * textBytes(b.text));
const pageBytes = (p: CachedPage): number => textBytes(p.text) + p.bytes.byteLength;
const pages = new LruCache<ProductPage>({ maxEntries: 1000, maxBytes: 8 * MiB }, pageBytes);
const lists = new TimedCache<CachedPage>({ maxEntries: 500, maxBytes: 8 * MiB }, pageBytes, STORE_READ_FRESHNESS, catalogEpoch);
const trees = new LruCache<CachedPage>({ maxEntries: 4, maxBytes: 2 * MiB }, pageBytes);

onLocalCatalogChange(({ productIds, everything }) => {
  if (everything) {
    live.clear();
    pages.clear();
    // Lists and trees are keyed by tokens that just changed: free the memory now rather than by LRU.
    lists.clear();
    trees.clear();
    return;
  }
  for (const id of productIds) {
    live.delete(id);
    pages.delete(id);
  }
});

type StoreReadCtx = Ctx & ReadCtx;
/** What a background refresh of the live state needs: the D1 binding, the clock, waitUntil, a log. */
export type LiveRefreshCtx = Pick<Ctx, 'env'> & ReadCtx;

const GONE: LiveProductState = { visible: false, version: 0, salesCount: 0, stock: new Map() };

// Live state is refreshed in batches: every product served since the last refresh is re-read in
// one D1 round trip when the first of them turns stale. Refreshed together, they turn stale
// together, so a shop browsing N products costs about 2 queries a second, not 2N — and each
// refresh that finds nothing changed keeps the old state object, so its page is not recomposed.
const touched = new Set<string>();
let liveRefreshSince = 0;

function sameLive(a: LiveProductState, b: LiveProductState): boolean {
  if (a.visible !== b.visible || a.version !== b.version || a.salesCount !== b.salesCount || a.stock.size !== b.stock.size) return false;
  for (const [id, n] of a.stock) if (b.stock.get(id) !== n) return false;
  return true;
}

/** Stores freshly read states (keeping an unchanged one's object), unless a local write raced the read. */
function storeLive(ids: Iterable<string>, read: Map<string, LiveProductState>, at: number): void {
  for (const id of ids) {
    const next = read.get(id) ?? GONE;
    const held = live.peek(id)?.value;
    live.set(id, { value: held && sameLive(held, next) ? held : next, at });
  }
}

function noteServed(productId: string): void {
  // Bounded like the cache itself: past that, the rest simply expire and are read on demand.
  if (touched.size < LIVE_ENTRIES) touched.add(productId);
}

/** Starts the batched refresh in the background unless one is running (or no waitUntil to run it). */
function refreshLiveInBackground(ctx: LiveRefreshCtx): void {
  if (!ctx.waitUntil) return;
  // A refresh whose request was cut off never settles: it blocks the next one for a few seconds at most.
  if (liveRefreshSince && Math.abs(ctx.now - liveRefreshSince) < STORE_READ_FRESHNESS.maxAgeMs * 5) return;
  const since = (liveRefreshSince = ctx.now || 1);
  const ids = [...touched];
  touched.clear();
  const gen = catalogEpoch();
  ctx.waitUntil(
    liveProductStates(ctx, ids)
      .then((read) => {
        if (gen === catalogEpoch()) storeLive(ids, read, ctx.now);
      })
      .catch((e) => ctx.log.warn('live state refresh failed', { products: ids.length, err: String(e) }))
      .finally(() => {
        if (liveRefreshSince === since) liveRefreshSince = 0;
      }),
  );
}

/** The product's live state: fresh from memory, stale while the batched refresh runs, or read now. */
async function liveState(ctx: StoreReadCtx, productId: string): Promise<LiveProductState> {
  const hit = live.peek(productId);
  const age = hit ? ageState(hit.at, ctx.now, STORE_READ_FRESHNESS) : 'expired';
  if (hit && (age === 'fresh' || (age === 'stale' && ctx.waitUntil))) {
    noteServed(productId);
    if (age === 'stale') refreshLiveInBackground(ctx);
    return hit.value;
  }
  const gen = catalogEpoch();
  const read = await liveProductStates(ctx, [productId]);
  if (gen === catalogEpoch()) storeLive([productId], read, ctx.now);
  noteServed(productId);
  return read.get(productId) ?? GONE;
}

/** FNV-1a over the UTF-16 code units: a cheap validator, computed once per composed page (≤ 2 a second). */
function etagOf(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `W/"${text.length.toString(36)}-${(h >>> 0).toString(36)}"`;
}

const utf8 = new TextEncoder();
const page = (text: string): CachedPage => ({ text, bytes: utf8.encode(text) as Uint8Array<ArrayBuffer>, etag: etagOf(text) });

/**
 * The detail body without its live part, by version: memory, then the Cache API, then D1.
 * A body loaded for version V may already be V+1 (a write in between): newer content under an
 * older key is harmless, and the live state's next read moves the key on.
 */
async function productBody(ctx: StoreReadCtx, bodyKey: string, productId: string): Promise<StoreProductDto> {
  const held = bodies.get(bodyKey);
  if (held) return held.dto;
  const edgeKey = `catalog/product/${bodyKey}`;
  const edge = await edgeCacheGet(ctx, edgeKey);
  if (edge) {
    const dto = JSON.parse(edge.text) as StoreProductDto;
    bodies.set(bodyKey, { dto, text: edge.text });
    return dto;
  }
  const dto = await loadStoreProduct(ctx, productId);
  const text = JSON.stringify(dto);
  bodies.set(bodyKey, { dto, text });
  await edgeCachePut(ctx, edgeKey, { text, fetchedAt: ctx.now }, VERSIONED_TTL_SECONDS);
  return dto;
}

/**
 * getProduct for the storefront: the cached body (by product version and category taxonomy)
 * with the live visibility, stock and sales (at most STORE_READ_FRESHNESS.maxAgeMs old). 404
 * when the product is not on sale, deleted or under a disabled category.
 */
export async function storeProductPage(ctx: StoreReadCtx, productId: string): Promise<CachedPage> {
  const tokens = await catalogTokens(ctx);
  const state = await liveState(ctx, productId);
  if (!state.visible) throw notFound('catalog.product_not_found', `product ${productId}`);
  const bodyKey = `${productId}@${state.version}@${tokens.taxonomy}`;
  const ready = pages.get(productId);
  // The live state object is replaced on every refresh, so identity says "composed from this snapshot".
  if (ready && ready.live === state && ready.bodyKey === bodyKey) return ready;
  const body = await productBody(ctx, bodyKey, productId);
  let totalStock = 0;
  const skus = body.skus.map((s) => {
    const n = state.stock.get(s.id) ?? 0;
    totalStock += n;
    return { ...s, stock: n, inStock: n > 0 };
  });
  const composed: ProductPage = {
    ...page(JSON.stringify({ ...body, skus, totalStock, salesCount: state.salesCount })),
    live: state,
    bodyKey,
  };
  pages.set(productId, composed);
  return composed;
}

// The *FromMemory probes answer only from this isolate's memory, while fresh (tokens, live state
// and page all at most freshMs old), with no I/O and no context: the routes try them before
// building a service context, and a caller in front of the router could use them to answer a hit
// without routing, validating or middleware. On null, call the full read (which also serves a
// stale-but-bounded value while it refreshes in the background).

/**
 * The detail page if this isolate holds a servable one, else null: fresh, or — given a context to
 * refresh with in the background — stale within the bound (the same rule as storeProductPage).
 */
export function storeProductPageFromMemory(productId: string, now: number, refresh?: LiveRefreshCtx): CachedPage | null {
  const tokens = refresh ? servableCatalogTokens(refresh) : freshCatalogTokens(now);
  const hit = tokens && live.peek(productId);
  if (!hit || !hit.value.visible) return null;
  const age = ageState(hit.at, now, STORE_READ_FRESHNESS);
  if (age === 'expired' || (age === 'stale' && !refresh)) return null;
  const ready = pages.get(productId);
  if (!ready || ready.live !== hit.value || ready.bodyKey !== `${productId}@${hit.value.version}@${tokens.taxonomy}`) return null;
  noteServed(productId);
  if (age === 'stale') refreshLiveInBackground(refresh!);
  return ready;
}

/** The list key: every parameter of the parsed query, in a fixed order, so equal queries share it. */
function listKey(q: ListProductsQuery): string {
  return JSON.stringify([
    q.categoryId ?? null,
    q.q ?? null,
    q.minPrice ?? null,
    q.maxPrice ?? null,
    q.inStock ?? null,
    q.sort,
    q.limit,
    q.cursor ?? null,
  ]);
}

/** The list page for this (parsed) query if this isolate holds a fresh one, else null. */
export function storeProductListPageFromMemory(q: ListProductsQuery, now: number): CachedPage | null {
  const tokens = freshCatalogTokens(now);
  return (tokens && lists.fresh(`${tokens.listing}|${listKey(q)}`, now)) ?? null;
}

/**
 * listProducts for the storefront (category pages, filters, sorts, cursors, keyword search): by
 * the listing token and the normalised query, at most STORE_READ_FRESHNESS.maxAgeMs old (the
 * summaries carry stock, and `inStock` filters on it). The Cache API entry is taken only while
 * fresh, so its age counts against the same bound.
 */
export async function storeProductListPage(ctx: StoreReadCtx, q: ListProductsQuery): Promise<CachedPage> {
  const tokens = await catalogTokens(ctx);
  const key = `${tokens.listing}|${listKey(q)}`;
  return lists.read(ctx, key, async () => {
    const edgeKey = `catalog/list/${encodeURIComponent(key)}`;
    const edge = await edgeCacheGet(ctx, edgeKey);
    if (edge && ageState(edge.fetchedAt, ctx.now, STORE_READ_FRESHNESS) === 'fresh') return { value: page(edge.text), at: edge.fetchedAt };
    const result: Page<ProductSummaryDto> = await listStoreProducts(ctx, q);
    const text = JSON.stringify(result);
    await edgeCachePut(ctx, edgeKey, { text, fetchedAt: ctx.now }, Math.ceil(STORE_READ_FRESHNESS.maxAgeMs / 1000));
    return { value: page(text), at: ctx.now };
  });
}

/** The category tree page if this isolate holds the one of its fresh taxonomy token, else null. */
export function storeCategoryTreePageFromMemory(now: number): CachedPage | null {
  const tokens = freshCatalogTokens(now);
  return (tokens && trees.get(`tree@${tokens.taxonomy}`)) ?? null;
}

/** listCategories for the storefront: the enabled tree, by the taxonomy token. */
export async function storeCategoryTreePage(ctx: StoreReadCtx): Promise<CachedPage> {
  const tokens = await catalogTokens(ctx);
  const key = `tree@${tokens.taxonomy}`;
  const held = trees.get(key);
  if (held) return held;
  const edgeKey = `catalog/category-tree/${tokens.taxonomy}`;
  const edge = await edgeCacheGet(ctx, edgeKey);
  let text = edge?.text;
  if (!text) {
    text = JSON.stringify({ items: await storeCategoryTree(ctx) });
    await edgeCachePut(ctx, edgeKey, { text, fetchedAt: ctx.now }, VERSIONED_TTL_SECONDS);
  }
  const ready = page(text);
  trees.set(key, ready);
  return ready;
}

/** What the storefront caches hold now (entries and estimated bytes), for tests and diagnostics. */
export function storeCacheStats() {
  return {
    live: { entries: live.size, bytes: live.bytes },
    bodies: { entries: bodies.size, bytes: bodies.bytes },
    pages: { entries: pages.size, bytes: pages.bytes },
    lists: { entries: lists.size, bytes: lists.bytes },
    trees: { entries: trees.size, bytes: trees.bytes },
  };
}
