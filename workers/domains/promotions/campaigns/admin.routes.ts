import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../../shared/http';
import { optionalIdempotencyHeader } from '../../../shared/idempotency';
import { pageSchema } from '../../../shared/pagination';
import { requireStaff } from '../../auth/middleware';
import { CampaignDetailSchema, CampaignSchema, CreateCampaignInput, ListCampaignsQuery, UpdateCampaignInput } from './dto';
import { createCampaign, getCampaign, listCampaigns, updateCampaign } from './campaigns.service';

const tags = ['Promotions admin'];
const security = bearerSecurity;
const write = requireStaff('promotions.write');
const campaignParam = z.object({ campaignId: z.string().min(4).max(40) });

export const campaignsAdminRoutes = createRouter();

campaignsAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/campaigns',
    operationId: 'createCampaign',
    tags,
    security,
    middleware: write,
    summary:
      'Create a campaign (双十一, 618): schedule, target segment, budget, banners/popup, and links to existing price rules, coupon templates, lotteries and flash sales (all must exist; all linked in one write or none)',
    request: { headers: optionalIdempotencyHeader, body: jsonBody(CreateCampaignInput) },
    responses: {
      201: jsonContent(CampaignDetailSchema, 'created, with its linked items'),
      200: jsonContent(CampaignDetailSchema, 'a retry with the same Idempotency-Key: the first result'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const { campaign, replayed } = await createCampaign(ctxOf(c), c.req.valid('json'), c.req.valid('header')['idempotency-key']);
    return replayed ? c.json(campaign, 200) : c.json(campaign, 201);
  },
);

campaignsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/campaigns',
    operationId: 'listCampaigns',
    tags,
    security,
    middleware: write,
    summary: 'Campaigns, newest first, by status or state (upcoming/live/ended/disabled)',
    request: { query: ListCampaignsQuery },
    responses: {
      200: jsonContent(pageSchema(CampaignSchema)),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => c.json(await listCampaigns(ctxOf(c), c.req.valid('query')), 200),
);

campaignsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/campaigns/{campaignId}',
    operationId: 'getCampaign',
    tags,
    security,
    middleware: write,
    summary: 'A campaign with budget used/remaining and summaries of its rules, coupon templates, lotteries and flash sales',
    request: { params: campaignParam },
    responses: { 200: jsonContent(CampaignDetailSchema), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getCampaign(ctxOf(c), c.req.valid('param').campaignId), 200),
);

campaignsAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/campaigns/{campaignId}',
    operationId: 'updateCampaign',
    tags,
    security,
    middleware: write,
    summary: 'Change status, end, banners, popup, or raise the budget (never lower). Segment and links are fixed.',
    request: { params: campaignParam, body: jsonBody(UpdateCampaignInput) },
    responses: {
      200: jsonContent(CampaignDetailSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await updateCampaign(ctxOf(c), c.req.valid('param').campaignId, c.req.valid('json')), 200),
);
