import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { shopperId, type Ctx } from '../../../shared/context';
import { iso } from '../../../shared/db';
import { conflict, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { decodeCursor, olderThanCursor, toPage } from '../../../shared/pagination';
import { categoryNames, watchedProducts } from '../../catalog/product-watch.service';
import { getSkuSnapshots } from '../../catalog/sku-snapshots.service';
import { categoryFollows, favorites, restockSubscriptions } from './schema';

/** Most favourites a shopper keeps (like the big apps' 收藏夹 limit); decided in SQL, so a burst cannot pass it. */
export const MAX_FAVORITES = 500;
/** Most SKUs a shopper waits for at once. */
export const MAX_RESTOCK_WAITING = 100;
/** Most followed categories. */
export const MAX_FOLLOWS = 50;

// ---------- 收藏 ----------

/** addFavorite: idempotent (a second add changes nothing). The product must be on sale. */
export async function addFavorite(ctx: Ctx, productId: string): Promise<{ favorited: true; created: boolean }> {
  const userId = shopperId(ctx);
  const p = (await watchedProducts(ctx, [productId])).get(productId);
  if (!p || !p.sellable) throw notFound('members.product_not_found', `product ${productId}`);
  const r = await ctx.env.DB.prepare(
    `INSERT INTO favorites (user_id, product_id, price_at_add, ref_price, checked_at, created_at)
     SELECT ?1, ?2, ?3, ?3, ?4, ?4 WHERE (SELECT count(*) FROM favorites WHERE user_id = ?1) < ?5
     ON CONFLICT DO NOTHING`,
  )
    .bind(userId, productId, p.minPrice, ctx.now, MAX_FAVORITES)
    .run();
  if ((r.meta.changes ?? 0) === 1) return { favorited: true, created: true };
  const [exists] = await ctx.db
    .select({ p: favorites.productId })
    .from(favorites)
    .where(and(eq(favorites.userId, userId), eq(favorites.productId, productId)));
  if (exists) return { favorited: true, created: false };
  throw conflict('members.favorites_full', `you can keep at most ${MAX_FAVORITES} favourites; remove some first`, { max: MAX_FAVORITES });
}

/** removeFavorite: idempotent. */
export async function removeFavorite(ctx: Ctx, productId: string): Promise<void> {
  const userId = shopperId(ctx);
  await ctx.db.delete(favorites).where(and(eq(favorites.userId, userId), eq(favorites.productId, productId)));
}

/** listFavorites (我的收藏): newest first, with the price now against the price when favourited. */
export async function listFavorites(ctx: Ctx, q: { limit: number; cursor?: string }) {
  const userId = shopperId(ctx);
  const cur = decodeCursor(q.cursor);
  const [rows, [count]] = await Promise.all([
    ctx.db
      .select()
      .from(favorites)
      .where(and(eq(favorites.userId, userId), olderThanCursor({ createdAt: favorites.createdAt, id: favorites.productId }, cur)))
      .orderBy(desc(favorites.createdAt), desc(favorites.productId))
      .limit(q.limit + 1),
    ctx.db
      .select({ n: sql<number>`count(*)` })
      .from(favorites)
      .where(eq(favorites.userId, userId)),
  ]);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.productId }));
  const products = await watchedProducts(
    ctx,
    page.items.map((r) => r.productId),
  );
  return {
    total: Number(count?.n ?? 0),
    nextCursor: page.nextCursor,
    items: page.items.map((r) => {
      const p = products.get(r.productId);
      const price = p?.minPrice ?? r.priceAtAdd;
      return {
        productId: r.productId,
        title: p?.title ?? '商品已删除',
        imageUrl: p?.imageUrl ?? null,
        price,
        priceAtAdd: r.priceAtAdd,
        priceDrop: Math.max(0, r.priceAtAdd - price),
        onSale: p?.sellable ?? false,
        inStock: p?.inStock ?? false,
        createdAt: iso(r.createdAt)!,
      };
    }),
  };
}

/** What the product page shows: the heart, and which sold-out SKUs already have 到货提醒 on. */
export async function getProductWatchState(ctx: Ctx, productId: string) {
  const userId = shopperId(ctx);
  const [fav, subs] = await Promise.all([
    ctx.db
      .select({ p: favorites.productId })
      .from(favorites)
      .where(and(eq(favorites.userId, userId), eq(favorites.productId, productId))),
    ctx.db
      .select({ skuId: restockSubscriptions.skuId })
      .from(restockSubscriptions)
      .where(
        and(
          eq(restockSubscriptions.userId, userId),
          eq(restockSubscriptions.productId, productId),
          eq(restockSubscriptions.status, 'waiting'),
        ),
      ),
  ]);
  return { productId, favorited: fav.length > 0, restockSkuIds: subs.map((s) => s.skuId) };
}

// ---------- 到货提醒 ----------

/**
 * subscribeRestock: the shopper waits for a sold-out SKU and hears once when it is back. Only for
 * a SKU on sale with no stock (409 members.sku_in_stock otherwise); idempotent (a second call
 * returns the waiting subscription, created = false); at most MAX_RESTOCK_WAITING at once.
 */
export async function subscribeRestock(ctx: Ctx, skuId: string) {
  const userId = shopperId(ctx);
  const sku = (await getSkuSnapshots(ctx, [skuId])).get(skuId);
  if (!sku || !sku.sellable) throw notFound('members.sku_not_found', `SKU ${skuId}`);
  if (sku.stock > 0) throw conflict('members.sku_in_stock', 'this SKU is in stock: buy it now', { stock: sku.stock });
  const id = newId('rsb');
  const r = await ctx.env.DB.prepare(
    `INSERT INTO restock_subscriptions (id, user_id, sku_id, product_id, status, created_at)
     SELECT ?1, ?2, ?3, ?4, 'waiting', ?5
     WHERE (SELECT count(*) FROM restock_subscriptions WHERE user_id = ?2 AND status = 'waiting') < ?6
     ON CONFLICT DO NOTHING`,
  )
    .bind(id, userId, skuId, sku.productId, ctx.now, MAX_RESTOCK_WAITING)
    .run();
  const created = (r.meta.changes ?? 0) === 1;
  const [row] = await ctx.db
    .select()
    .from(restockSubscriptions)
    .where(and(eq(restockSubscriptions.userId, userId), eq(restockSubscriptions.skuId, skuId), eq(restockSubscriptions.status, 'waiting')))
    .limit(1);
  if (!row)
    throw conflict('members.restock_full', `you can wait for at most ${MAX_RESTOCK_WAITING} items at once`, { max: MAX_RESTOCK_WAITING });
  return { created, subscription: restockDto(row, sku.title, sku.specKey) };
}

const restockDto = (r: typeof restockSubscriptions.$inferSelect, title: string | null, specKey: string | null) => ({
  id: r.id,
  skuId: r.skuId,
  productId: r.productId,
  title,
  specKey,
  status: r.status,
  createdAt: iso(r.createdAt)!,
  notifiedAt: iso(r.notifiedAt),
});

/** cancelRestock: stops waiting for the SKU (idempotent). */
export async function cancelRestock(ctx: Ctx, skuId: string): Promise<void> {
  const userId = shopperId(ctx);
  await ctx.db
    .update(restockSubscriptions)
    .set({ status: 'cancelled' })
    .where(and(eq(restockSubscriptions.userId, userId), eq(restockSubscriptions.skuId, skuId), eq(restockSubscriptions.status, 'waiting')));
}

/** listRestockSubscriptions: the shopper's latest 50 (waiting and notified), newest first. */
export async function listRestockSubscriptions(ctx: Ctx) {
  const userId = shopperId(ctx);
  const rows = await ctx.db
    .select()
    .from(restockSubscriptions)
    .where(and(eq(restockSubscriptions.userId, userId), inArray(restockSubscriptions.status, ['waiting', 'notified'])))
    .orderBy(desc(restockSubscriptions.createdAt))
    .limit(50);
  const skus = await getSkuSnapshots(
    ctx,
    rows.map((r) => r.skuId),
  );
  return { items: rows.map((r) => restockDto(r, skus.get(r.skuId)?.title ?? null, skus.get(r.skuId)?.specKey ?? null)) };
}

// ---------- 关注分类 ----------

/** followCategory: idempotent; at most MAX_FOLLOWS. */
export async function followCategory(ctx: Ctx, categoryId: string) {
  const userId = shopperId(ctx);
  const name = (await categoryNames(ctx, [categoryId])).get(categoryId);
  if (!name) throw notFound('members.category_not_found', `category ${categoryId}`);
  const r = await ctx.env.DB.prepare(
    `INSERT INTO category_follows (user_id, category_id, created_at, digest_day)
     SELECT ?1, ?2, ?3, '' WHERE (SELECT count(*) FROM category_follows WHERE user_id = ?1) < ?4
     ON CONFLICT DO NOTHING`,
  )
    .bind(userId, categoryId, ctx.now, MAX_FOLLOWS)
    .run();
  if ((r.meta.changes ?? 0) === 0) {
    const [exists] = await ctx.db
      .select({ c: categoryFollows.categoryId })
      .from(categoryFollows)
      .where(and(eq(categoryFollows.userId, userId), eq(categoryFollows.categoryId, categoryId)));
    if (!exists) throw conflict('members.follows_full', `you can follow at most ${MAX_FOLLOWS} categories`, { max: MAX_FOLLOWS });
  }
  return listFollowedCategories(ctx);
}

/** unfollowCategory: idempotent. */
export async function unfollowCategory(ctx: Ctx, categoryId: string) {
  const userId = shopperId(ctx);
  await ctx.db.delete(categoryFollows).where(and(eq(categoryFollows.userId, userId), eq(categoryFollows.categoryId, categoryId)));
  return listFollowedCategories(ctx);
}

/** listFollowedCategories: the shopper's followed categories, oldest first. */
export async function listFollowedCategories(ctx: Ctx) {
  const userId = shopperId(ctx);
  const rows = await ctx.db
    .select()
    .from(categoryFollows)
    .where(eq(categoryFollows.userId, userId))
    .orderBy(asc(categoryFollows.createdAt));
  const names = await categoryNames(
    ctx,
    rows.map((r) => r.categoryId),
  );
  return {
    items: rows
      .filter((r) => names.has(r.categoryId))
      .map((r) => ({ categoryId: r.categoryId, name: names.get(r.categoryId)!, createdAt: iso(r.createdAt)! })),
  };
}

// ---------- for the push jobs (flows/personal-pushes.ts) ----------

/** Distinct SKUs someone waits for, after `afterSkuId` (keyset), at most `limit`. */
export async function waitingRestockSkus(ctx: Ctx, afterSkuId: string, limit: number): Promise<string[]> {
  const rows = await ctx.env.DB.prepare(
    `SELECT DISTINCT sku_id FROM restock_subscriptions WHERE status = 'waiting' AND sku_id > ?1 ORDER BY sku_id LIMIT ?2`,
  )
    .bind(afterSkuId, limit)
    .all<{ sku_id: string }>();
  return rows.results.map((r) => r.sku_id);
}

/** The waiting subscriptions of the given SKUs, oldest first (first come, first told). */
export async function waitingSubscriptionsFor(ctx: Ctx, skuIds: string[]) {
  if (!skuIds.length) return [];
  return ctx.db
    .select()
    .from(restockSubscriptions)
    .where(and(eq(restockSubscriptions.status, 'waiting'), inArray(restockSubscriptions.skuId, skuIds)))
    .orderBy(asc(restockSubscriptions.createdAt));
}

/** Ends a subscription once its notice is decided; false if it was no longer waiting. */
export async function markRestockNotified(ctx: Ctx, subscriptionId: string, sendId: string): Promise<boolean> {
  const r = await ctx.env.DB.prepare(
    `UPDATE restock_subscriptions SET status = 'notified', send_id = ?2, notified_at = ?3 WHERE id = ?1 AND status = 'waiting'`,
  )
    .bind(subscriptionId, sendId, ctx.now)
    .run();
  return (r.meta.changes ?? 0) === 1;
}

/**
 * Favourites the price-drop scan should look at (least recently checked first, none checked in
 * the last `everyMs`), marked checked now in the same statement so overlapping runs split the work.
 */
export async function takeFavoritesToCheck(ctx: Ctx, everyMs: number, limit: number) {
  const r = await ctx.env.DB.prepare(
    `UPDATE favorites SET checked_at = ?1
     WHERE rowid IN (SELECT rowid FROM favorites WHERE checked_at <= ?2 ORDER BY checked_at LIMIT ?3) AND checked_at <= ?2
     RETURNING user_id, product_id, ref_price, last_price_notice_at`,
  )
    .bind(ctx.now, ctx.now - everyMs, limit)
    .all<{ user_id: string; product_id: string; ref_price: number; last_price_notice_at: number | null }>();
  return r.results.map((x) => ({
    userId: x.user_id,
    productId: x.product_id,
    refPrice: x.ref_price,
    lastNoticeAt: x.last_price_notice_at,
  }));
}

/**
 * Claims the right to send one 降价提醒 for a favourite: only when the price is below the reference
 * and no notice went out in the last `throttleMs` (guarded UPDATE, so two runs cannot both claim).
 * The new price becomes the reference the next drop is measured from.
 */
export async function claimPriceNotice(
  ctx: Ctx,
  f: { userId: string; productId: string; price: number; throttleMs: number },
): Promise<boolean> {
  const r = await ctx.env.DB.prepare(
    `UPDATE favorites SET ref_price = ?3, last_price_notice_at = ?4
     WHERE user_id = ?1 AND product_id = ?2 AND ref_price > ?3 AND (last_price_notice_at IS NULL OR last_price_notice_at <= ?5)`,
  )
    .bind(f.userId, f.productId, f.price, ctx.now, ctx.now - f.throttleMs)
    .run();
  return (r.meta.changes ?? 0) === 1;
}

/** Shoppers whose 上新 digest for `day` is not done yet, with their categories (followed before `before`). */
export async function followersDue(ctx: Ctx, day: string, before: number, limit: number) {
  const users = await ctx.db
    .selectDistinct({ userId: categoryFollows.userId })
    .from(categoryFollows)
    .where(and(lt(categoryFollows.digestDay, day), lt(categoryFollows.createdAt, before)))
    .limit(limit);
  if (!users.length) return [];
  const rows = await ctx.db
    .select({ userId: categoryFollows.userId, categoryId: categoryFollows.categoryId })
    .from(categoryFollows)
    .where(
      and(
        inArray(
          categoryFollows.userId,
          users.map((u) => u.userId),
        ),
        lt(categoryFollows.createdAt, before),
      ),
    );
  const by = new Map<string, string[]>();
  for (const r of rows) by.set(r.userId, [...(by.get(r.userId) ?? []), r.categoryId]);
  return [...by].map(([userId, categoryIds]) => ({ userId, categoryIds }));
}

/** Marks a shopper's digest for `day` done; false when another run did it first. */
export async function claimDigest(ctx: Ctx, userId: string, day: string, before: number): Promise<boolean> {
  const r = await ctx.env.DB.prepare(
    `UPDATE category_follows SET digest_day = ?2 WHERE user_id = ?1 AND digest_day < ?2 AND created_at < ?3`,
  )
    .bind(userId, day, before)
    .run();
  return (r.meta.changes ?? 0) > 0;
}

/** Restock demand per SKU for the console (most waited-for first). */
export async function restockDemand(ctx: Ctx, limit: number) {
  const rows = await ctx.db
    .select({ skuId: restockSubscriptions.skuId, productId: restockSubscriptions.productId, waiting: sql<number>`count(*)` })
    .from(restockSubscriptions)
    .where(eq(restockSubscriptions.status, 'waiting'))
    .groupBy(restockSubscriptions.skuId, restockSubscriptions.productId)
    .orderBy(sql`count(*) desc`)
    .limit(limit);
  const skus = await getSkuSnapshots(
    ctx,
    rows.map((r) => r.skuId),
  );
  return rows.map((r) => ({
    skuId: r.skuId,
    productId: r.productId,
    title: skus.get(r.skuId)?.title ?? null,
    specKey: skus.get(r.skuId)?.specKey ?? null,
    stock: skus.get(r.skuId)?.stock ?? 0,
    waiting: Number(r.waiting),
  }));
}
