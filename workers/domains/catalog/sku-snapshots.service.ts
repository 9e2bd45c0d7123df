import { eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { D1_IN_CHUNK, inChunks } from '../../shared/db';
import { mediaUrl } from '../media/media.service';
import { categories, products, skus } from './schema';

/** What cart and checkout need to know about a SKU right now (price, stock, whether it can be sold). */
export interface SkuSnapshot {
  skuId: string;
  productId: string;
  merchantId: string;
  /** the product's category path "/root/…/leaf/", for category-scoped promotions */
  categoryPath: string;
  title: string;
  specKey: string;
  specValues: string[];
  price: number;
  originalPrice: number;
  memberPrice: number | null;
  stock: number;
  weightG: number;
  mediaKey: string | null;
  imageUrl: string | null;
  /** on sale, SKU enabled and product not deleted */
  sellable: boolean;
}

/** Live snapshots of the given SKUs (unknown ids are simply absent from the map). */
export async function getSkuSnapshots(ctx: Ctx, skuIds: string[]): Promise<Map<string, SkuSnapshot>> {
  const out = new Map<string, SkuSnapshot>();
  const rows = await inChunks(skuIds, D1_IN_CHUNK, (part) =>
    ctx.db
      .select({ s: skus, p: products, categoryPath: categories.path })
      .from(skus)
      .innerJoin(products, eq(products.id, skus.productId))
      .leftJoin(categories, eq(categories.id, products.categoryId))
      .where(inArray(skus.id, part)),
  );
  for (const { s, p, categoryPath } of rows) {
    const mediaKey = s.mediaKey ?? p.mainMediaKey;
    out.set(s.id, {
      skuId: s.id,
      productId: p.id,
      merchantId: p.merchantId,
      categoryPath: categoryPath ?? `/${p.categoryId}/`,
      title: p.title,
      specKey: s.specKey,
      specValues: s.specValues,
      price: s.price,
      originalPrice: s.originalPrice,
      memberPrice: s.memberPrice,
      stock: s.stock,
      weightG: s.weightG,
      mediaKey,
      imageUrl: mediaKey ? mediaUrl(ctx.env, mediaKey) : null,
      sellable: p.status === 'on_sale' && p.deletedAt === null && s.enabled,
    });
  }
  return out;
}
