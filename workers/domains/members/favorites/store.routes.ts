import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../../shared/http';
import { requireUser } from '../../auth/middleware';
import {
  CategoryParam,
  FavoritePageSchema,
  FavoritesQuery,
  FavoriteStateSchema,
  FollowedCategoryListSchema,
  ProductParam,
  RestockListSchema,
  RestockSubscriptionSchema,
  SkuParam,
  SubscribeRestockInput,
} from './dto';
import {
  addFavorite,
  cancelRestock,
  followCategory,
  getProductWatchState,
  listFavorites,
  listFollowedCategories,
  listRestockSubscriptions,
  removeFavorite,
  subscribeRestock,
  unfollowCategory,
} from './favorites.service';

const tags = ['Favorites'];
const security = bearerSecurity;
const middleware = requireUser;
const auth = { 401: errorResponses[401], 403: errorResponses[403] };

export const favoritesStoreRoutes = createRouter();

favoritesStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/favorites',
    operationId: 'listFavorites',
    tags,
    security,
    middleware,
    summary: '我的收藏: favourite products, newest first, with the price now and how much it dropped since',
    request: { query: FavoritesQuery },
    responses: { 200: jsonContent(FavoritePageSchema), 400: errorResponses[400], ...auth },
  }),
  async (c) => c.json(await listFavorites(ctxOf(c), c.req.valid('query')), 200),
);

favoritesStoreRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/me/favorites/{productId}',
    operationId: 'addFavorite',
    tags,
    security,
    middleware,
    summary: 'Favourite a product (收藏); idempotent. 409 members.favorites_full past 500',
    request: { params: ProductParam },
    responses: {
      200: jsonContent(FavoriteStateSchema),
      400: errorResponses[400],
      ...auth,
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    const { productId } = c.req.valid('param');
    await addFavorite(ctx, productId);
    return c.json(await getProductWatchState(ctx, productId), 200);
  },
);

favoritesStoreRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/me/favorites/{productId}',
    operationId: 'removeFavorite',
    tags,
    security,
    middleware,
    summary: 'Remove a favourite (取消收藏); idempotent',
    request: { params: ProductParam },
    responses: { 200: jsonContent(FavoriteStateSchema), 400: errorResponses[400], ...auth },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    const { productId } = c.req.valid('param');
    await removeFavorite(ctx, productId);
    return c.json(await getProductWatchState(ctx, productId), 200);
  },
);

favoritesStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/product-watch/{productId}',
    operationId: 'getProductWatchState',
    tags,
    security,
    middleware,
    summary: 'For the product page: is it a favourite, and which of its SKUs the shopper waits for (到货提醒)',
    request: { params: ProductParam },
    responses: { 200: jsonContent(FavoriteStateSchema), 400: errorResponses[400], ...auth },
  }),
  async (c) => c.json(await getProductWatchState(ctxOf(c), c.req.valid('param').productId), 200),
);

favoritesStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/me/restock-subscriptions',
    operationId: 'subscribeRestock',
    tags,
    security,
    middleware,
    summary: '到货提醒: wait for a sold-out SKU; the shopper hears once when it is back in stock',
    description:
      'Idempotent: a repeat returns the waiting subscription (200). 404 members.sku_not_found (unknown or not on sale); ' +
      '409 members.sku_in_stock (buy it now), members.restock_full (100 waiting at most).',
    request: { body: jsonBody(SubscribeRestockInput) },
    responses: {
      201: jsonContent(RestockSubscriptionSchema, 'subscribed'),
      200: jsonContent(RestockSubscriptionSchema, 'already waiting for this SKU'),
      400: errorResponses[400],
      ...auth,
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const r = await subscribeRestock(ctxOf(c), c.req.valid('json').skuId);
    return r.created ? c.json(r.subscription, 201) : c.json(r.subscription, 200);
  },
);

favoritesStoreRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/me/restock-subscriptions/{skuId}',
    operationId: 'cancelRestock',
    tags,
    security,
    middleware,
    summary: 'Stop waiting for a SKU (取消到货提醒); idempotent',
    request: { params: SkuParam },
    responses: { 204: { description: 'no longer waiting' }, 400: errorResponses[400], ...auth },
  }),
  async (c) => {
    await cancelRestock(ctxOf(c), c.req.valid('param').skuId);
    return c.body(null, 204);
  },
);

favoritesStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/restock-subscriptions',
    operationId: 'listRestockSubscriptions',
    tags,
    security,
    middleware,
    summary: 'The shopper’s 到货提醒 (waiting and already notified), newest first',
    responses: { 200: jsonContent(RestockListSchema), ...auth },
  }),
  async (c) => c.json(await listRestockSubscriptions(ctxOf(c)), 200),
);

favoritesStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/category-follows',
    operationId: 'listFollowedCategories',
    tags,
    security,
    middleware,
    summary: 'Followed categories (关注分类): a daily 上新 digest tells of new products in them',
    responses: { 200: jsonContent(FollowedCategoryListSchema), ...auth },
  }),
  async (c) => c.json(await listFollowedCategories(ctxOf(c)), 200),
);

favoritesStoreRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/me/category-follows/{categoryId}',
    operationId: 'followCategory',
    tags,
    security,
    middleware,
    summary: 'Follow a category; idempotent. 409 members.follows_full past 50',
    request: { params: CategoryParam },
    responses: {
      200: jsonContent(FollowedCategoryListSchema),
      400: errorResponses[400],
      ...auth,
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await followCategory(ctxOf(c), c.req.valid('param').categoryId), 200),
);

favoritesStoreRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/me/category-follows/{categoryId}',
    operationId: 'unfollowCategory',
    tags,
    security,
    middleware,
    summary: 'Unfollow a category; idempotent',
    request: { params: CategoryParam },
    responses: { 200: jsonContent(FollowedCategoryListSchema), 400: errorResponses[400], ...auth },
  }),
  async (c) => c.json(await unfollowCategory(ctxOf(c), c.req.valid('param').categoryId), 200),
);
