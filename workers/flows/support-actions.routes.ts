import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../shared/http';
import { requiredIdempotencyHeader } from '../shared/idempotency';
import { requireStaff } from '../domains/auth/middleware';
import { AfterSaleSchema } from '../domains/aftersales/dto';
import { CompensateTicketInput, TicketAfterSaleInput, TicketIdParam, TicketSchema } from '../domains/support/dto';
import { compensateTicket, listCompensationCoupons, openTicketAfterSale } from './support-actions';

const tags = ['Customer service admin'];
export const supportActionRoutes = createRouter();
const err = {
  400: errorResponses[400],
  401: errorResponses[401],
  403: errorResponses[403],
  404: errorResponses[404],
  409: errorResponses[409],
};

supportActionRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/support/compensation-coupons',
    operationId: 'listCompensationCoupons',
    tags,
    security: bearerSecurity,
    middleware: requireStaff('support.handle'),
    summary: '补偿券 the caller may issue: active, 定向发放, capped and within their limit (fen), with what each is worth',
    responses: {
      200: jsonContent(
        z
          .object({
            limit: z.number().int().openapi({ description: "the caller's limit per coupon, fen" }),
            items: z.array(z.object({ id: z.string(), name: z.string(), label: z.string(), worth: z.number().int() })),
          })
          .openapi('CompensationCouponList'),
      ),
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => c.json(await listCompensationCoupons(ctxOf(c)), 200),
);

supportActionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/support/tickets/{ticketId}/compensation',
    operationId: 'compensateTicket',
    tags,
    security: bearerSecurity,
    middleware: requireStaff('support.handle'),
    summary:
      '补偿券: one coupon per ticket, within the agent’s limit (support ¥20, operator ¥100, admin ¥500); the shopper is told in the chat',
    description:
      'The template must be active, issuable by staff (定向发放) and capped. 403 support.compensation_over_limit (details: worth, ' +
      'limit), 400 support.compensation_uncapped, 409 support.already_compensated (another template), support.compensation_refused ' +
      '(sold out). A repeat with the same template answers the same coupon.',
    request: { params: TicketIdParam, body: jsonBody(CompensateTicketInput) },
    responses: {
      200: jsonContent(z.object({ ticket: TicketSchema, couponId: z.string() }).openapi('CompensateTicketResult')),
      ...err,
    },
  }),
  async (c) => c.json(await compensateTicket(ctxOf(c), c.req.valid('param').ticketId, c.req.valid('json')), 200),
);

supportActionRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/support/tickets/{ticketId}/after-sales',
    operationId: 'openTicketAfterSale',
    tags,
    security: bearerSecurity,
    middleware: requireStaff('support.handle'),
    summary: "Open an after-sale for the shopper on the ticket's order (the shopper's own rules apply); the shopper is told in the chat",
    description:
      'Needs aftersales.write as well. Idempotency-Key required: a retry answers the same after-sale (200). 409 support.no_order, support.ticket_closed, aftersales.*.',
    request: { params: TicketIdParam, headers: requiredIdempotencyHeader, body: jsonBody(TicketAfterSaleInput) },
    responses: { 201: jsonContent(AfterSaleSchema, 'opened'), 200: jsonContent(AfterSaleSchema, 'the same request again'), ...err },
  }),
  async (c) => {
    const r = await openTicketAfterSale(
      ctxOf(c),
      c.req.valid('param').ticketId,
      c.req.valid('json'),
      c.req.valid('header')['idempotency-key'],
    );
    return r.replayed ? c.json(r.afterSale, 200) : c.json(r.afterSale, 201);
  },
);
