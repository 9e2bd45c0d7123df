import { createRoute, z } from '@hono/zod-openapi';
import { pageQuery } from '../../shared/pagination';
import { WINDOW_STATES } from '../../shared/schedule';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import { CreateGroupBuyInput, GroupBuySchema } from './dto';
import { createGroupBuy, listAdminGroupBuys } from './group-buys.service';

export const groupBuysAdminRoutes = createRouter();

groupBuysAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/group-buys',
    operationId: 'createGroupBuy',
    tags: ['Group buys admin'],
    security: bearerSecurity,
    middleware: requireStaff('promotions.write'),
    summary: "Create a group-buy deal: moves `allocated` units out of the SKU's stock (ledger ref gb:<dealId>) into its Durable Object",
    request: { body: jsonBody(CreateGroupBuyInput) },
    responses: {
      201: jsonContent(GroupBuySchema, 'created'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await createGroupBuy(ctxOf(c), c.req.valid('json')), 201),
);

groupBuysAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/group-buys',
    operationId: 'listAdminGroupBuys',
    tags: ['Group buys admin'],
    security: bearerSecurity,
    middleware: requireStaff('promotions.write'),
    summary: 'Every group-buy deal (ended and cancelled included), latest start first, with remaining units and team counts',
    request: {
      query: z.object({
        ...pageQuery,
        state: z.enum(WINDOW_STATES).optional(),
        status: z.enum(['active', 'cancelled']).optional(),
      }),
    },
    responses: {
      200: jsonContent(
        z
          .object({
            serverTime: z.string(),
            items: z.array(GroupBuySchema.extend({ status: z.enum(['active', 'cancelled']) })),
            nextCursor: z.string().nullable(),
          })
          .openapi('AdminGroupBuyList'),
      ),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => c.json(await listAdminGroupBuys(ctxOf(c), c.req.valid('query')), 200),
);
