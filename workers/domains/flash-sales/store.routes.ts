import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireUser } from '../auth/middleware';
import { FlashSaleListSchema, FlashSaleReservationSchema, ReserveFlashSaleInput } from './dto';
import { listFlashSales, reserveFlashSaleUnits } from './flash-sales.service';

const tags = ['Flash sales'];
export const flashSalesStoreRoutes = createRouter();

flashSalesStoreRoutes.openapi(
  createRoute({
    method: 'get', path: '/flash-sales', operationId: 'listFlashSales', tags,
    summary: 'Live and upcoming flash sales with the server time and remaining units',
    responses: { 200: jsonContent(FlashSaleListSchema) },
  }),
  async (c) => c.json(await listFlashSales(ctxOf(c)), 200),
);

flashSalesStoreRoutes.openapi(
  createRoute({
    method: 'post', path: '/flash-sales/{saleId}/reserve', operationId: 'reserveFlashSale', tags, security: bearerSecurity, middleware: requireUser,
    summary: "Reserve units: the SKU's Durable Object decides atomically. Requires Idempotency-Key; a retry returns the same reservation.",
    request: {
      params: z.object({ saleId: z.string().min(4).max(40) }),
      headers: z.object({ 'idempotency-key': z.string().optional().openapi({ description: 'required: 8–100 chars; repeat it on retries' }) }),
      body: jsonBody(ReserveFlashSaleInput),
    },
    responses: {
      201: jsonContent(FlashSaleReservationSchema, 'reserved'),
      200: jsonContent(FlashSaleReservationSchema, 'replayed: the reservation made by the first request with this key'),
      400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404], 409: errorResponses[409],
    },
  }),
  async (c) => {
    const r = await reserveFlashSaleUnits(ctxOf(c), c.req.valid('param').saleId, {
      quantity: c.req.valid('json').quantity,
      idempotencyKey: c.req.valid('header')['idempotency-key'],
    });
    return r.replayed ? c.json(r, 200) : c.json(r, 201);
  },
);
