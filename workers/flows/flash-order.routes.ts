import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent, optionalJsonBody } from '../shared/http';
import { requiredIdempotencyHeader } from '../shared/idempotency';
import { requireStaff, requireUser } from '../domains/auth/middleware';
import { FlashSaleReconcileReportSchema, FlashSaleReservationSchema, ReserveFlashSaleInput } from '../domains/flash-sales/dto';
import { reconcileFlashSale } from './flash-reconcile';
import { getFlashSaleReservation, reserveFlashSale } from './flash-order';

export const flashOrderRoutes = createRouter();

flashOrderRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/flash-sales/{saleId}/reserve',
    operationId: 'reserveFlashSale',
    tags: ['Flash sales'],
    security: bearerSecurity,
    middleware: requireUser,
    summary:
      "Reserve units: the SKU's Durable Object decides atomically, and a pending order holds them until paid (payOrder) or closed. Requires Idempotency-Key; a retry returns the same reservation and order. 429 when rate-limited.",
    request: {
      params: z.object({ saleId: z.string().min(4).max(40) }),
      headers: requiredIdempotencyHeader.extend({
        'x-flash-token': z
          .string()
          .max(200)
          .optional()
          .openapi({ description: 'from issueFlashSaleToken, when the sale has requireToken' }),
      }),
      body: optionalJsonBody(ReserveFlashSaleInput),
    },
    responses: {
      201: jsonContent(FlashSaleReservationSchema, 'reserved; the order is pending payment'),
      200: jsonContent(FlashSaleReservationSchema, 'replayed: the reservation and order made by the first request with this key'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
      429: errorResponses[429],
      503: errorResponses[503],
    },
  }),
  async (c) => {
    const h = c.req.valid('header');
    const r = await reserveFlashSale(ctxOf(c), c.req.valid('param').saleId, c.req.valid('json') ?? ReserveFlashSaleInput.parse({}), {
      idempotencyKey: h['idempotency-key'],
      token: h['x-flash-token'],
      ip: c.req.header('cf-connecting-ip'),
    });
    return r.replayed ? c.json(r, 200) : c.json(r, 201);
  },
);

flashOrderRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/flash-sales/{saleId}/reservations/{reservationId}',
    operationId: 'getFlashSaleReservation',
    tags: ['Flash sales'],
    security: bearerSecurity,
    middleware: requireUser,
    summary:
      'The result of a reserve (抢购结果): the reservation and its pending order, written now if the queue has not yet. 409 flash_sales.reservation_lapsed when it expired unwritten.',
    request: { params: z.object({ saleId: z.string().min(4).max(40), reservationId: z.string().min(4).max(40) }) },
    responses: {
      200: jsonContent(FlashSaleReservationSchema),
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const p = c.req.valid('param');
    return c.json(await getFlashSaleReservation(ctxOf(c), p.saleId, p.reservationId), 200);
  },
);

export const flashAdminFlowRoutes = createRouter();

flashAdminFlowRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/flash-sales/{saleId}/reconcile',
    operationId: 'reconcileFlashSale',
    tags: ['Flash sales admin'],
    security: bearerSecurity,
    middleware: requireStaff('promotions.write'),
    summary:
      'Reconcile the D1 view (orders, sold/reserved) with the SKU Durable Object, repair drift, and after the end return unsold units to stock. The cron runs it every minute.',
    request: { params: z.object({ saleId: z.string().min(4).max(40) }) },
    responses: {
      200: jsonContent(FlashSaleReconcileReportSchema),
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await reconcileFlashSale(ctxOf(c), c.req.valid('param').saleId), 200),
);
