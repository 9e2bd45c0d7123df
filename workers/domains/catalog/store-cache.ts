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
// A hit does no binding I/O: the response text is kept ready-made (and its ETag), so serving it
// costs a few map look-ups.
import type { Ctx } from '../../shared/context';
import { edgeCacheGet, edgeCachePut } from '../../shared/cache';
import { notFound } from '../../shared/errors';
import { ageState, LruCache, textBytes, TimedCache, type ReadCtx } from '../../shared/memory-cache';
import type { Page } from '../../shared/pagination';
import type { ListProductsQuery, ProductSummaryDto, StoreProductDto } from './dto';
import { catalogEpoch, catalogTokens, freshCatalogTokens, onLocalCatalogChange, STORE_READ_FRESHNESS } from './cache-versions';
import { liveProductState, loadStoreProduct, type LiveProductState } from './products.service';
import { listStoreProducts } from './search.service';
import { storeCategoryTree } from './categories.service';

/** A response body ready to send, with its validator. */
export interface CachedPage {
  text: string;
  etag: string;
}

type ProductPage = CachedPage & { live: LiveProductState; bodyKey: string };

const MiB = 1024 * 1024;
/** Versioned entries (a product body, the tree) stay in the Cache API this long: a new version is a new key. */
const VERSIONED_TTL_SECONDS = 3600;

// Bounds: ~26 MiB at most of an isolate's 128 MB, however many products and queries are asked for.
const live = new TimedCache<LiveProductState>(
  { maxEntries: 5000, maxBytes: 4 * MiB },
  (s) => 64 + s.stock.size * 64,
  STORE_READ_FRESHNESS,
  catalogEpoch,
);
// A body is weighed twice its JSON text: the parsed object is held too (for composing with live stock).
const bodies = new LruCache<{ dto: StoreProductDto; text: string }>({ maxEntries: 1000, maxBytes: 8 * MiB }, (b) => 2 * textBytes(b.text));
const pages = new LruCache<ProductPage>({ maxEntries: 1000, maxBytes: 6 * MiB }, (p) => textBytes(p.text));
const lists = new TimedCache<CachedPage>(
  { maxEntries: 500, maxBytes: 6 * MiB },
  (p) => textBytes(p.text),
  STORE_READ_FRESHNESS,
  catalogEpoch,
);
const trees = new LruCache<CachedPage>({ maxEntries: 4, maxBytes: 2 * MiB }, (p) => textBytes(p.text));

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

/** FNV-1a over the UTF-16 code units: a cheap validator, computed once per composed page (≤ 2 a second). */
function etagOf(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `W/"${text.length.toString(36)}-${(h >>> 0).toString(36)}"`;
}

const page = (text: string): CachedPage => ({ text, etag: etagOf(text) });

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
  const state = await live.read(ctx, productId, async () => ({ value: await liveProductState(ctx, productId), at: ctx.now }));
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

/** The detail page if this isolate holds a fresh one, else null. */
export function storeProductPageFromMemory(productId: string, now: number): CachedPage | null {
  const tokens = freshCatalogTokens(now);
  const state = tokens && live.fresh(productId, now);
  if (!tokens || !state?.visible) return null;
  const ready = pages.get(productId);
  return ready && ready.live === state && ready.bodyKey === `${productId}@${state.version}@${tokens.taxonomy}` ? ready : null;
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
