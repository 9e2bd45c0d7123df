import { ListProductsQuery } from './dto';
import {
  storeCategoryTreePageFromMemory,
  storeProductListPageFromMemory,
  storeProductPageFromMemory,
  type CachedPage,
} from './store-cache';

const PRODUCT = /^\/store\/v1\/products\/([^/]+)$/;

/**
 * The storefront's anonymous catalog reads answered from this isolate's memory before the app's
 * router, middleware and service context are built: a fresh hit is all a shopper browsing the
 * catalog needs, and the router around it cost more than the hit itself. Same inputs, same
 * validation (the routes' zod schema) and the same bytes and headers as the routes in
 * store.routes.ts; anything else — a miss, a stale entry, invalid or repeated parameters — returns
 * null and goes through the app as usual (which also answers the 400s and 404s).
 */
export function catalogPageFromMemory(url: URL, now: number): CachedPage | null {
  const path = url.pathname;
  if (path === '/store/v1/categories') return url.search ? null : storeCategoryTreePageFromMemory(now);
  if (path === '/store/v1/products') {
    const raw: Record<string, string> = {};
    for (const [k, v] of url.searchParams) {
      if (k in raw) return null; // the router decides what a repeated parameter means
      raw[k] = v;
    }
    const q = ListProductsQuery.safeParse(raw);
    return q.success ? storeProductListPageFromMemory(q.data, now) : null;
  }
  const m = PRODUCT.exec(path);
  if (!m || url.search) return null;
  let id: string;
  try {
    id = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  return id.length >= 4 && id.length <= 40 ? storeProductPageFromMemory(id, now) : null;
}
