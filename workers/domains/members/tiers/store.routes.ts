import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent } from '../../../shared/http';
import { requireUser } from '../../auth/middleware';
import { MembershipSchema } from './dto';
import { getMembership } from './membership.service';

export const tiersStoreRoutes = createRouter();

tiersStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/membership',
    operationId: 'getMembership',
    tags: ['Members'],
    security: bearerSecurity,
    middleware: requireUser,
    summary:
      "The signed-in shopper's membership (会员中心): tier, growth value and the next tier, perks, points, balance, 保级 review date, tier history",
    responses: { 200: jsonContent(MembershipSchema), 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await getMembership(ctxOf(c)), 200),
);
