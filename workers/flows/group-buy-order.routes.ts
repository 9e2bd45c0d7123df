import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent, optionalJsonBody } from '../shared/http';
import { requiredIdempotencyHeader } from '../shared/idempotency';
import { requireUser } from '../domains/auth/middleware';
import { SeatInput, SeatResultSchema } from '../domains/group-buys/dto';
import { takeGroupBuySeat } from './group-buy-order';

const tags = ['Group buys'];
export const groupBuyOrderRoutes = createRouter();

const seatResponses = {
  201: jsonContent(SeatResultSchema, 'seat taken; pay the order before its expiresAt'),
  200: jsonContent(SeatResultSchema, 'replayed: the seat and order of the first request with this key'),
  400: errorResponses[400],
  401: errorResponses[401],
  403: errorResponses[403],
  404: errorResponses[404],
  409: errorResponses[409],
  429: errorResponses[429],
  503: errorResponses[503],
};

groupBuyOrderRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/group-buys/{dealId}/teams',
    operationId: 'openGroupBuyTeam',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary:
      'Open a team as its leader: a seat plus a pending order. The team becomes joinable once the leader has paid; share it with getGroupBuyTeam.shareCard.',
    request: {
      params: z.object({ dealId: z.string().min(4).max(40) }),
      headers: requiredIdempotencyHeader,
      body: optionalJsonBody(SeatInput),
    },
    responses: seatResponses,
  }),
  async (c) => {
    const r = await takeGroupBuySeat(
      ctxOf(c),
      { dealId: c.req.valid('param').dealId },
      c.req.valid('json') ?? SeatInput.parse({}),
      c.req.valid('header')['idempotency-key'],
    );
    return r.replayed ? c.json(r, 200) : c.json(r, 201);
  },
);

groupBuyOrderRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/group-buy-teams/{teamId}/join',
    operationId: 'joinGroupBuyTeam',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary:
      "Join an open team: the SKU's Durable Object serialises seats, so a team never exceeds its size and nobody is in it twice. Returns the seat and a pending order.",
    request: {
      params: z.object({ teamId: z.string().min(4).max(40) }),
      headers: requiredIdempotencyHeader,
      body: optionalJsonBody(SeatInput),
    },
    responses: seatResponses,
  }),
  async (c) => {
    const r = await takeGroupBuySeat(
      ctxOf(c),
      { teamId: c.req.valid('param').teamId },
      c.req.valid('json') ?? SeatInput.parse({}),
      c.req.valid('header')['idempotency-key'],
    );
    return r.replayed ? c.json(r, 200) : c.json(r, 201);
  },
);
