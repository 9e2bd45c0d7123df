import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, ctxOf, errorResponses, jsonContent } from '../shared/http';
import { ProductPromotionsSchema, productPromotions } from './product-promotions';

export const productPromotionsRoutes = createRouter();

productPromotionsRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/products/{productId}/promotions',
    operationId: 'getProductPromotions',
    tags: ['Promotions'],
    summary: "A product page's promotions: each SKU's 限时折扣 price, the 满减/满折 it joins, claimable coupons that cover it",
    request: { params: z.object({ productId: z.string().min(4).max(40) }) },
    responses: { 200: jsonContent(ProductPromotionsSchema), 400: errorResponses[400], 404: errorResponses[404] },
  }),
  async (c) => c.json(await productPromotions(ctxOf(c), c.req.valid('param').productId), 200),
);
