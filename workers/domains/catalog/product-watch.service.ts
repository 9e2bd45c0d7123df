import { inArray } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { D1_IN_CHUNK, inChunks } from '../../shared/db';
import { mediaUrl } from '../media/media.service';
import { categories, products } from './schema';

/*
 * Reads for what shoppers watch (favourites, followed categories): the members domain's
 * personalised pushes (price drop, new arrivals) and 我的收藏 call these instead of reading
 * catalog tables.
 */

export interface WatchedProduct {
  id: string;
  title: string;
  categoryId: string;
  /** lowest enabled SKU price, fen */
  minPrice: number;
  imageUrl: string | null;
  /** on sale and not deleted */
  sellable: boolean;
  inStock: boolean;
}

/** The current price and state of the given products (unknown ids are absent). */
export async function watchedProducts(ctx: Ctx, productIds: string[]): Promise<Map<string, WatchedProduct>> {
  const rows = await inChunks(productIds, D1_IN_CHUNK, (part) =>
    ctx.db
      .select({
        id: products.id,
        title: products.title,
        categoryId: products.categoryId,
        minPrice: products.minPrice,
        mainMediaKey: products.mainMediaKey,
        status: products.status,
        deletedAt: products.deletedAt,
        totalStock: products.totalStock,
      })
      .from(products)
      .where(inArray(products.id, part)),
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        title: r.title,
        categoryId: r.categoryId,
        minPrice: r.minPrice,
        imageUrl: r.mainMediaKey ? mediaUrl(ctx.env, r.mainMediaKey) : null,
        sellable: r.status === 'on_sale' && r.deletedAt === null,
        inStock: r.totalStock > 0,
      },
    ]),
  );
}

/** Names of the given categories (unknown ids are absent). */
export async function categoryNames(ctx: Ctx, ids: string[]): Promise<Map<string, string>> {
  const rows = await inChunks(ids, D1_IN_CHUNK, (part) =>
    ctx.db.select({ id: categories.id, name: categories.name }).from(categories).where(inArray(categories.id, part)),
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

export interface NewArrivals {
  categoryId: string;
  /** products put on sale in the window, in the category or below it */
  count: number;
  /** the newest of them */
  newest: { id: string; title: string } | null;
}

/**
 * Products put on sale (published) in [since, until) in each category's subtree, with the newest
 * one: the daily 上新 digest of followed categories.
 */
export async function newArrivalsIn(ctx: Ctx, categoryIds: string[], since: number, until: number): Promise<NewArrivals[]> {
  const out: NewArrivals[] = [];
  for (const categoryId of [...new Set(categoryIds)]) {
    const row = await ctx.env.DB.prepare(
      `SELECT count(*) AS n,
         (SELECT json_object('id', p2.id, 'title', p2.title) FROM products p2 JOIN categories c2 ON c2.id = p2.category_id
            WHERE instr(c2.path, '/' || ?1 || '/') > 0 AND p2.status = 'on_sale' AND p2.deleted_at IS NULL
              AND p2.published_at >= ?2 AND p2.published_at < ?3
            ORDER BY p2.published_at DESC, p2.id DESC LIMIT 1) AS newest
       FROM products p JOIN categories c ON c.id = p.category_id
       WHERE instr(c.path, '/' || ?1 || '/') > 0 AND p.status = 'on_sale' AND p.deleted_at IS NULL
         AND p.published_at >= ?2 AND p.published_at < ?3`,
    )
      .bind(categoryId, since, until)
      .first<{ n: number; newest: string | null }>();
    out.push({
      categoryId,
      count: Number(row?.n ?? 0),
      newest: row?.newest ? (JSON.parse(row.newest) as { id: string; title: string }) : null,
    });
  }
  return out;
}
