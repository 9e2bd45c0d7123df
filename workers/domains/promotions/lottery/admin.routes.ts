import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent, optionalJsonBody } from '../../../shared/http';
import { pageSchema } from '../../../shared/pagination';
import { requireStaff } from '../../auth/middleware';
import {
  CreateLotteryInput,
  ListLotteriesQuery,
  ListLotteryDrawsQuery,
  LotteryAdminSchema,
  LotteryDrawAdminSchema,
  LotterySummarySchema,
  MarkPrizeShippedInput,
  UpdateLotteryInput,
} from './dto';
import { createLottery, getLotteryAdmin, listLotteries, listLotteryDraws, markPrizeShipped, updateLottery } from './lottery.service';

const tags = ['Lottery admin'];
const security = bearerSecurity;
const middleware = requireStaff('promotions.write');
const lotteryParam = z.object({ lotteryId: z.string().min(4).max(40) });
export const lotteryAdminRoutes = createRouter();

lotteryAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/lotteries',
    operationId: 'createLottery',
    tags,
    security,
    middleware,
    summary:
      "Create a lottery (抽奖) with its prizes in one write. Coupon prizes need a template open to the 'lottery' channel; goods prizes an existing SKU; 'none' prizes (谢谢参与) never run out",
    request: { body: jsonBody(CreateLotteryInput) },
    responses: {
      201: jsonContent(LotteryAdminSchema, 'created'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await createLottery(ctxOf(c), c.req.valid('json')), 201),
);

lotteryAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/lotteries',
    operationId: 'listLotteries',
    tags,
    security,
    middleware,
    summary: 'Lotteries, newest first, optionally by status',
    request: { query: ListLotteriesQuery },
    responses: {
      200: jsonContent(pageSchema(LotterySummarySchema)),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => c.json(await listLotteries(ctxOf(c), c.req.valid('query')), 200),
);

lotteryAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/lotteries/{lotteryId}',
    operationId: 'getLotteryAdmin',
    tags,
    security,
    middleware,
    summary: "A lottery with each prize's weight, stock and awarded count, and the budget used",
    request: { params: lotteryParam },
    responses: { 200: jsonContent(LotteryAdminSchema), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getLotteryAdmin(ctxOf(c), c.req.valid('param').lotteryId), 200),
);

lotteryAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/lotteries/{lotteryId}',
    operationId: 'updateLottery',
    tags,
    security,
    middleware,
    summary: 'Enable or disable a lottery (only the status can change; a disabled lottery refuses draws)',
    request: { params: lotteryParam, body: jsonBody(UpdateLotteryInput) },
    responses: {
      200: jsonContent(LotteryAdminSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await updateLottery(ctxOf(c), c.req.valid('param').lotteryId, c.req.valid('json')), 200),
);

lotteryAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/lotteries/{lotteryId}/draws',
    operationId: 'listLotteryDraws',
    tags,
    security,
    middleware,
    summary: "A lottery's draws, newest first: winners only by default; fulfilment=to_ship lists goods prizes waiting to be shipped",
    request: { params: lotteryParam, query: ListLotteryDrawsQuery },
    responses: {
      200: jsonContent(pageSchema(LotteryDrawAdminSchema)),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await listLotteryDraws(ctxOf(c), c.req.valid('param').lotteryId, c.req.valid('query')), 200),
);

lotteryAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/lottery-draws/{drawId}/ship',
    operationId: 'markPrizeShipped',
    tags,
    security,
    middleware,
    summary:
      'Mark a goods prize shipped (to_ship → shipped); repeating it changes nothing. 409 promotions.not_a_goods_prize for other prizes',
    request: { params: z.object({ drawId: z.string().min(4).max(40) }), body: optionalJsonBody(MarkPrizeShippedInput) },
    responses: {
      200: jsonContent(LotteryDrawAdminSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) =>
    c.json(await markPrizeShipped(ctxOf(c), c.req.valid('param').drawId, c.req.valid('json') ?? MarkPrizeShippedInput.parse({})), 200),
);
