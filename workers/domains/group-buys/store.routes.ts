import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, ctxOf, errorResponses, jsonContent } from '../../shared/http';
import { iso } from '../../shared/db';
import { GroupBuyListSchema, TeamSchema } from './dto';
import { getTeamView, listGroupBuys, listOpenTeams } from './group-buys.service';

const tags = ['Group buys'];
export const groupBuysStoreRoutes = createRouter();

groupBuysStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/group-buys',
    operationId: 'listGroupBuys',
    tags,
    summary: 'Live and upcoming group-buy deals with the server time, remaining units and team counts',
    responses: { 200: jsonContent(GroupBuyListSchema) },
  }),
  async (c) => c.json(await listGroupBuys(ctxOf(c)), 200),
);

groupBuysStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/group-buys/{dealId}/teams',
    operationId: 'listGroupBuyTeams',
    tags,
    summary: 'Open teams of a deal that a shopper can join, soonest to expire first',
    request: { params: z.object({ dealId: z.string().min(4).max(40) }) },
    responses: {
      200: jsonContent(
        z
          .object({ items: z.array(z.object({ id: z.string(), size: z.number().int(), expiresAt: z.string().nullable() })) })
          .openapi('GroupBuyOpenTeams'),
      ),
    },
  }),
  async (c) => {
    const rows = await listOpenTeams(ctxOf(c), c.req.valid('param').dealId);
    return c.json({ items: rows.map((t) => ({ id: t.id, size: t.size, expiresAt: iso(t.expiresAt) })) }, 200);
  },
);

groupBuysStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/group-buy-teams/{teamId}',
    operationId: 'getGroupBuyTeam',
    tags,
    summary: "A team's status and progress with members' masked names, the deal, and the mini-program share card. Public (the share link).",
    request: { params: z.object({ teamId: z.string().min(4).max(40) }) },
    responses: { 200: jsonContent(TeamSchema), 404: errorResponses[404] },
  }),
  async (c) => c.json(await getTeamView(ctxOf(c), c.req.valid('param').teamId), 200),
);
