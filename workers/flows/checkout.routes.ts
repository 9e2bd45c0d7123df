import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../shared/http';
import { requiredIdempotencyHeader } from '../shared/idempotency';
import { requireUser } from '../domains/auth/middleware';
import { CreateOrderInput, CreateOrderResultSchema, QuoteInput, QuoteSchema } from '../domains/orders/dto';
import { createOrder, quoteCheckout } from './checkout';

const tags = ['Checkout'];
export const checkoutRoutes = createRouter();

checkoutRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/checkout/quote',
    operationId: 'quoteCheckout',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary:
      'Price breakdown of the selected cart lines (or buy-now items): goods, each discount with its source, shipping, payable — per merchant',
    request: { body: jsonBody(QuoteInput) },
    responses: { 200: jsonContent(QuoteSchema), 400: errorResponses[400], 401: errorResponses[401], 404: errorResponses[404] },
  }),
  async (c) => c.json(await quoteCheckout(ctxOf(c), c.req.valid('json')), 200),
);

checkoutRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/orders',
    operationId: 'createOrder',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary:
      'Place the order(s): one per merchant, stock reserved in the same batch. Requires Idempotency-Key; a retry returns the same orders.',
    request: {
      headers: requiredIdempotencyHeader,
      body: jsonBody(CreateOrderInput),
    },
    responses: {
      201: jsonContent(CreateOrderResultSchema, 'created'),
      200: jsonContent(CreateOrderResultSchema, 'replayed: the orders created by the first request with this key'),
      400: errorResponses[400],
      401: errorResponses[401],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const r = await createOrder(ctxOf(c), c.req.valid('json'), c.req.valid('header')['idempotency-key']);
    return r.replayed ? c.json(r, 200) : c.json(r, 201);
  },
);
