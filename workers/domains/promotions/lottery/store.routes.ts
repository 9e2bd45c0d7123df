import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent } from '../../../shared/http';
import { requiredIdempotencyHeader } from '../../../shared/idempotency';
import { pageSchema } from '../../../shared/pagination';
import { requireUser } from '../../auth/middleware';
import { DrawResultSchema, ListMyDrawsQuery, LotterySchema, MyDrawSchema } from './dto';
import { drawLottery } from './draw';
import { getLottery, listMyLotteryDraws } from './lottery.service';

const tags = ['Lottery'];
const lotteryParam = z.object({ lotteryId: z.string().min(4).max(40) });
export const lotteryStoreRoutes = createRouter();

lotteryStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/lotteries/{lotteryId}',
    operationId: 'getLottery',
    tags,
    summary:
      "A lottery's prizes (whether each is still available — no weights or stock), window and server time; signed in, also today's draws left and the next draw's cost",
    request: { params: lotteryParam },
    responses: { 200: jsonContent(LotterySchema), 401: errorResponses[401], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getLottery(ctxOf(c), c.req.valid('param').lotteryId), 200),
);

lotteryStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/lotteries/{lotteryId}/draw',
    operationId: 'drawLottery',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary:
      'Draw once. Requires Idempotency-Key: a repeat returns the first draw (200). Free draws per day (Asia/Shanghai), then pointsPerDraw points each if the lottery sells draws. 409 promotions.lottery_not_open / no_draws_left / not_enough_points',
    request: { params: lotteryParam, headers: requiredIdempotencyHeader },
    responses: {
      201: jsonContent(DrawResultSchema, 'drawn'),
      200: jsonContent(DrawResultSchema, 'replayed: the draw made by the first request with this key'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const r = await drawLottery(ctxOf(c), c.req.valid('param').lotteryId, c.req.valid('header')['idempotency-key']);
    return r.replayed ? c.json(r, 200) : c.json(r, 201);
  },
);

lotteryStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/lottery-draws',
    operationId: 'listMyLotteryDraws',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: "The signed-in shopper's draws (every lottery, or one), newest first",
    request: { query: ListMyDrawsQuery },
    responses: { 200: jsonContent(pageSchema(MyDrawSchema)), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listMyLotteryDraws(ctxOf(c), c.req.valid('query')), 200),
);
