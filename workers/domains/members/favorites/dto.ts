import { z } from '@hono/zod-openapi';
import { pageQuery } from '../../../shared/pagination';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });
const id = (example: string) => z.string().min(4).max(40).openapi({ example });

export const ProductParam = z.object({ productId: id('prd_8k2m') });
export const SkuParam = z.object({ skuId: id('sku_8k2m') });
export const CategoryParam = z.object({ categoryId: id('cat_8k2m') });
export const FavoritesQuery = z.object(pageQuery);

export const FavoriteSchema = z
  .object({
    productId: z.string(),
    title: z.string(),
    imageUrl: z.string().nullable(),
    price: z.number().int().openapi({ description: 'lowest price now, fen' }),
    priceAtAdd: z.number().int().openapi({ description: 'lowest price when favourited, fen' }),
    priceDrop: z.number().int().openapi({ description: 'fen cheaper than when favourited (0 if not)' }),
    onSale: z.boolean(),
    inStock: z.boolean(),
    createdAt: isoTime,
  })
  .openapi('Favorite');

export const FavoritePageSchema = z
  .object({ items: z.array(FavoriteSchema), nextCursor: z.string().nullable(), total: z.number().int() })
  .openapi('FavoritePage');

export const FavoriteStateSchema = z
  .object({
    productId: z.string(),
    favorited: z.boolean(),
    restockSkuIds: z.array(z.string()).openapi({ description: 'SKUs of this product the shopper waits for (到货提醒)' }),
  })
  .openapi('ProductWatchState');

export const SubscribeRestockInput = z.object({ skuId: id('sku_8k2m') }).openapi('SubscribeRestockInput');

export const RestockSubscriptionSchema = z
  .object({
    id: z.string(),
    skuId: z.string(),
    productId: z.string(),
    title: z.string().nullable(),
    specKey: z.string().nullable(),
    status: z.enum(['waiting', 'notified', 'cancelled']),
    createdAt: isoTime,
    notifiedAt: isoTime.nullable(),
  })
  .openapi('RestockSubscription');

export const RestockListSchema = z.object({ items: z.array(RestockSubscriptionSchema) }).openapi('RestockSubscriptionList');

export const FollowedCategorySchema = z
  .object({ categoryId: z.string(), name: z.string(), createdAt: isoTime })
  .openapi('FollowedCategory');
export const FollowedCategoryListSchema = z.object({ items: z.array(FollowedCategorySchema) }).openapi('FollowedCategoryList');
