import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../../shared/http';
import { optionalIdempotencyHeader } from '../../../shared/idempotency';
import { pageSchema } from '../../../shared/pagination';
import { requireUser } from '../../auth/middleware';
import { ClaimableCouponListSchema, ClaimCouponInput, ListMyCouponsQuery, NewUserPackSchema, UserCouponSchema } from './dto';
import { claimCoupon, getNewUserPack, listClaimableCoupons, listMyCoupons } from './coupons.service';

const tags = ['Coupons'];
export const couponsStoreRoutes = createRouter();

couponsStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/coupons',
    operationId: 'listClaimableCoupons',
    tags,
    summary: '领券中心: coupons open for claiming now; signed in, each says how many you hold and whether you can claim another',
    responses: { 200: jsonContent(ClaimableCouponListSchema), 401: errorResponses[401] },
  }),
  async (c) => c.json(await listClaimableCoupons(ctxOf(c)), 200),
);

couponsStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/coupons/new-user-pack',
    operationId: 'getNewUserPack',
    tags,
    summary: "新人礼包: the pack's tiers (granted automatically at login in the first 7 days) and, signed in, which you hold",
    responses: { 200: jsonContent(NewUserPackSchema), 401: errorResponses[401] },
  }),
  async (c) => c.json(await getNewUserPack(ctxOf(c)), 200),
);

couponsStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/coupons/claim',
    operationId: 'claimCoupon',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: 'Claim a coupon by templateId (coupon centre) or by redemption code',
    description:
      'With an Idempotency-Key a retry returns the same coupon (200; 201 the first time). Refusals: 404 promotions.coupon_not_found; 400 promotions.wrong_channel (a code-only coupon claimed by id, or a coupon not given out by claiming); 409 promotions.claim_not_open (before or after the claim window, or disabled), promotions.coupons_gone (none left), promotions.claim_limit (you hold the most allowed), promotions.campaign_budget_exhausted.',
    request: {
      headers: optionalIdempotencyHeader,
      body: jsonBody(ClaimCouponInput),
    },
    responses: {
      201: jsonContent(UserCouponSchema, 'claimed'),
      200: jsonContent(UserCouponSchema, 'replayed: the coupon the first request with this Idempotency-Key got'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const r = await claimCoupon(ctxOf(c), c.req.valid('json'), c.req.valid('header')['idempotency-key']);
    return r.replayed ? c.json(r.coupon, 200) : c.json(r.coupon, 201);
  },
);

couponsStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/coupons',
    operationId: 'listMyCoupons',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: 'Your coupons: available (default; expiring soonest first), used or expired',
    request: { query: ListMyCouponsQuery },
    responses: {
      200: jsonContent(pageSchema(UserCouponSchema)),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => c.json(await listMyCoupons(ctxOf(c), c.req.valid('query')), 200),
);
