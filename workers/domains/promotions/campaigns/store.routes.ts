import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonContent } from '../../../shared/http';
import { shopperIdOrNull } from '../../../shared/context';
import { explainStackingPolicy, getStackingPolicy } from '../settings.service';
import { HomeCampaignSchema, StorefrontStackingPolicySchema } from './dto';
import { getHomeCampaign } from './campaigns.service';

const tags = ['Promotions'];
export const campaignsStoreRoutes = createRouter();

campaignsStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/home/campaign',
    operationId: 'getHomeCampaign',
    tags,
    security: [...bearerSecurity, {}],
    summary:
      'The campaign for the home page: the highest-priority live campaign whose segment includes the shopper (signed in optional; anonymous visitors see only campaigns for everyone), with banners, popup, claimable coupon templates, open lotteries and flash sales. `campaign` is null when none.',
    responses: { 200: jsonContent(HomeCampaignSchema), 401: errorResponses[401] },
  }),
  async (c) => {
    const ctx = ctxOf(c);
    return c.json(await getHomeCampaign(ctx, shopperIdOrNull(ctx)), 200);
  },
);

campaignsStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/promotions/stacking-policy',
    operationId: 'getStorefrontStackingPolicy',
    tags,
    summary: 'How discounts combine (叠加规则), as settings and in plain words, so the storefront can explain a quote',
    responses: { 200: jsonContent(StorefrontStackingPolicySchema) },
  }),
  async (c) => {
    const policy = await getStackingPolicy(ctxOf(c));
    return c.json({ policy, explanation: explainStackingPolicy(policy) }, 200);
  },
);
