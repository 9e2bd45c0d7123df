import { ListProductsQuery } from './dto';
import {
  storeCategoryTreePageFromMemory,
  storeProductListPageFromMemory,
  storeProductPageFromMemory,
  type CachedPage,
  type LiveRefreshCtx,
} from './store-cache';

const PRODUCT = /^\/store\/v1\/products\/([^/]+)$/;

/**
 * The path and query of a request URL without building a URL object (this runs on every
 * anonymous storefront GET). `Request.url` is already parsed and serialised — dot segments
 * resolved, backslashes turned — so slicing it gives what `new URL(...).pathname` would;
 * anything unusual (a fragment) is left to the router: null.
 */
export function pathAndSearch(href: string): { path: string; search: string } | null {
  if (href.includes('#')) return null;
  const start = href.indexOf('/', href.indexOf('//') + 2);
  if (start < 0) return null;
  const qm = href.indexOf('?', start);
  return qm < 0
    ? { path: href.slice(start), search: '' }
    : { path: href.slice(start, qm), search: qm + 1 < href.length ? href.slice(qm) : '' };
}

/**
 * The storefront's anonymous catalog reads answered from this isolate's memory before the app's
 * router, middleware and service context are built: a fresh hit is all a shopper browsing the
 * catalog needs, and the router around it cost more than the hit itself. Same inputs, same
 * validation (the routes' zod schema) and the same bytes and headers as the routes in
 * store.routes.ts; anything else — a miss, a stale entry, invalid or repeated parameters — returns
 * null and goes through the app as usual (which also answers the 400s and 404s). Given `refresh`,
 * a product detail is also answered while stale within the bound, its refresh run in the background.
 */
export function catalogPageFromMemory(path: string, search: string, now: number, refresh?: LiveRefreshCtx): CachedPage | null {
  if (path === '/store/v1/categories') return search ? null : storeCategoryTreePageFromMemory(now);
  if (path === '/store/v1/products') {
    const raw: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(search)) {
      if (k in raw) return null; // the router decides what a repeated parameter means
      raw[k] = v;
    }
    const q = ListProductsQuery.safeParse(raw);
    return q.success ? storeProductListPageFromMemory(q.data, now) : null;
  }
  const m = PRODUCT.exec(path);
  if (!m || search) return null;
  let id: string;
  try {
    id = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  return id.length >= 4 && id.length <= 40 ? storeProductPageFromMemory(id, now, refresh) : null;
}
