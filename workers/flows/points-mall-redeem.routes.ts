import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent, optionalJsonBody } from '../shared/http';
import { requiredIdempotencyHeader } from '../shared/idempotency';
import { requireUser } from '../domains/auth/middleware';
import { RedeemPointsMallItemInput, RedeemResultSchema } from '../domains/members/mall/dto';
import { redeemPointsMallItem } from './points-mall-redeem';

export const pointsMallRedeemRoutes = createRouter();

pointsMallRedeemRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/points-mall/items/{itemId}/redeem',
    operationId: 'redeemPointsMallItem',
    tags: ['Points mall'],
    security: bearerSecurity,
    middleware: requireUser,
    summary:
      'Exchange points for an item (立即兑换). Requires Idempotency-Key: a repeat returns the first exchange (200). Coupons and lottery chances are granted at once; goods become an order (order.status pending_payment: pay the cash part with payOrder; it closes unpaid after the payment timeout and the points and stock come back). 409 members.mall_sold_out / mall_limit_reached / not_enough_points / mall_item_off_shelf / mall_item_not_started / mall_item_ended; 403 members.tier_required',
    request: {
      params: z.object({ itemId: z.string().min(4).max(40) }),
      headers: requiredIdempotencyHeader,
      body: optionalJsonBody(RedeemPointsMallItemInput),
    },
    responses: {
      201: jsonContent(RedeemResultSchema, 'exchanged'),
      200: jsonContent(RedeemResultSchema, 'replayed: the exchange made by the first request with this key'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const r = await redeemPointsMallItem(
      ctxOf(c),
      c.req.valid('param').itemId,
      c.req.valid('json') ?? RedeemPointsMallItemInput.parse({}),
      c.req.valid('header')['idempotency-key'],
    );
    return r.replayed ? c.json(r, 200) : c.json(r, 201);
  },
);
