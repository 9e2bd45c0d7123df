import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../../shared/http';
import { pageSchema } from '../../../shared/pagination';
import { requireStaff } from '../../auth/middleware';
import {
  CouponTemplateSchema,
  CreateCouponTemplateInput,
  IssueCouponsInput,
  IssueCouponsResultSchema,
  ListCouponTemplatesQuery,
  UpdateCouponTemplateInput,
} from './dto';
import {
  createCouponTemplate,
  getCouponTemplate,
  issueCouponsToSegment,
  listCouponTemplates,
  updateCouponTemplate,
} from './coupons.service';

const tags = ['Coupons admin'];
const security = bearerSecurity;
const write = requireStaff('promotions.write');
const templateParam = z.object({ templateId: z.string().min(4).max(40) });
export const couponsAdminRoutes = createRouter();

couponsAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/coupon-templates',
    operationId: 'createCouponTemplate',
    tags,
    security,
    middleware: write,
    summary: 'Create a coupon template (券模板): platform or shop coupon, its terms, validity, claim window, quantity and channels',
    description:
      'Terms are fixed once created. 400 validation.failed / promotions.invalid_window for bad combinations; 404 merchants.not_found, promotions.campaign_not_found; 409 promotions.code_taken.',
    request: { body: jsonBody(CreateCouponTemplateInput) },
    responses: {
      201: jsonContent(CouponTemplateSchema, 'created'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await createCouponTemplate(ctxOf(c), c.req.valid('json')), 201),
);

couponsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/coupon-templates',
    operationId: 'listCouponTemplates',
    tags,
    security,
    middleware: write,
    summary: 'Coupon templates, newest first, optionally by status and channel, with issued/used/remaining counts',
    request: { query: ListCouponTemplatesQuery },
    responses: {
      200: jsonContent(pageSchema(CouponTemplateSchema)),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => c.json(await listCouponTemplates(ctxOf(c), c.req.valid('query')), 200),
);

couponsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/coupon-templates/{templateId}',
    operationId: 'getCouponTemplate',
    tags,
    security,
    middleware: write,
    request: { params: templateParam },
    responses: { 200: jsonContent(CouponTemplateSchema), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getCouponTemplate(ctxOf(c), c.req.valid('param').templateId), 200),
);

couponsAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/coupon-templates/{templateId}',
    operationId: 'updateCouponTemplate',
    tags,
    security,
    middleware: write,
    summary:
      'Enable/disable a template or raise its total quantity; the terms cannot change (400 promotions.quantity_lowered when lowering)',
    request: { params: templateParam, body: jsonBody(UpdateCouponTemplateInput) },
    responses: {
      200: jsonContent(CouponTemplateSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await updateCouponTemplate(ctxOf(c), c.req.valid('param').templateId, c.req.valid('json')), 200),
);

couponsAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/coupon-templates/{templateId}/issue',
    operationId: 'issueCoupons',
    tags,
    security,
    middleware: write,
    summary: '定向发放: one coupon per shopper of a segment (up to 2,000 per request; continue with afterId = next and the same batchId)',
    description:
      "The template needs the 'segment' or 'campaign' channel (else 400 promotions.wrong_channel). Repeating a request with the same batchId never gives a shopper a second coupon; shoppers who already have it, are at the per-shopper limit, or missed out because the coupons or the campaign budget ran out are counted in `skipped`.",
    request: { params: templateParam, body: jsonBody(IssueCouponsInput) },
    responses: {
      200: jsonContent(IssueCouponsResultSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await issueCouponsToSegment(ctxOf(c), c.req.valid('param').templateId, c.req.valid('json')), 200),
);
