import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../../shared/http';
import { requireStaff } from '../../auth/middleware';
import { UserSearchQuery } from '../../users/dto';
import {
  AdjustGrowthInput,
  CreateMemberTierInput,
  GrowthAdjustmentSchema,
  GrowthSettingsSchema,
  GrowthSettingsViewSchema,
  ListMemberTiersQuery,
  MemberDetailSchema,
  MemberSearchSchema,
  MemberTierListSchema,
  MemberTierSchema,
  SetMemberTierInput,
  TierIdParam,
  UpdateMemberTierInput,
  UserIdParam,
} from './dto';
import { createMemberTier, disableMemberTier, enableMemberTier, listMemberTiers, updateMemberTier } from './tiers.service';
import { getGrowthSettingsView, updateGrowthSettings } from './settings.service';
import { adjustGrowth, setMemberTier } from './growth.service';
import { getMemberDetail, searchMembers } from './membership.service';

export const tiersAdminRoutes = createRouter();

const tags = ['Member tiers admin'];
const security = bearerSecurity;
const read = requireStaff('members.read');
const write = requireStaff('members.write');
const errs = { 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] };

tiersAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/member-tiers',
    operationId: 'createMemberTier',
    tags,
    security,
    middleware: write,
    summary: 'Create a member tier (会员等级) with its growth threshold, icon and perks',
    description:
      'Among active tiers a higher rank needs a higher threshold and the lowest starts at 0 (409 members.tier_order); ' +
      'two active tiers cannot share a rank (409 members.rank_taken).',
    request: { body: jsonBody(CreateMemberTierInput) },
    responses: { 201: jsonContent(MemberTierSchema, 'created'), ...errs, 409: errorResponses[409] },
  }),
  async (c) => c.json(await createMemberTier(ctxOf(c), c.req.valid('json')), 201),
);

tiersAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/member-tiers',
    operationId: 'listMemberTiers',
    tags,
    security,
    middleware: read,
    summary: 'Member tiers by rank, with their perks and how many shoppers are in each',
    request: { query: ListMemberTiersQuery },
    responses: { 200: jsonContent(MemberTierListSchema), ...errs },
  }),
  async (c) => c.json(await listMemberTiers(ctxOf(c), c.req.valid('query').status), 200),
);

tiersAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/member-tiers/{tierId}',
    operationId: 'updateMemberTier',
    tags,
    security,
    middleware: write,
    summary: "Change a tier's name, rank, threshold, icon or perks (members keep their tier until growth or review moves them)",
    request: { params: TierIdParam, body: jsonBody(UpdateMemberTierInput) },
    responses: { 200: jsonContent(MemberTierSchema), ...errs, 404: errorResponses[404], 409: errorResponses[409] },
  }),
  async (c) => c.json(await updateMemberTier(ctxOf(c), c.req.valid('param').tierId, c.req.valid('json')), 200),
);

tiersAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/member-tiers/{tierId}/disable',
    operationId: 'disableMemberTier',
    tags,
    security,
    middleware: write,
    summary: 'Disable a tier: its members move to the next lower active tier at once (recorded as admin changes)',
    request: { params: TierIdParam },
    responses: { 200: jsonContent(MemberTierSchema), ...errs, 404: errorResponses[404], 409: errorResponses[409] },
  }),
  async (c) => c.json(await disableMemberTier(ctxOf(c), c.req.valid('param').tierId), 200),
);

tiersAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/member-tiers/{tierId}/enable',
    operationId: 'enableMemberTier',
    tags,
    security,
    middleware: write,
    summary: 'Offer a disabled tier again (shoppers reach it with their next growth or review)',
    request: { params: TierIdParam },
    responses: { 200: jsonContent(MemberTierSchema), ...errs, 404: errorResponses[404], 409: errorResponses[409] },
  }),
  async (c) => c.json(await enableMemberTier(ctxOf(c), c.req.valid('param').tierId), 200),
);

tiersAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/member-growth-settings',
    operationId: 'getMemberGrowthSettings',
    tags,
    security,
    middleware: read,
    summary: '成长与积分获取规则: growth and points per ¥1 and per order, and the 保级 period',
    responses: { 200: jsonContent(GrowthSettingsViewSchema), ...errs },
  }),
  async (c) => c.json(await getGrowthSettingsView(ctxOf(c)), 200),
);

tiersAdminRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/member-growth-settings',
    operationId: 'updateMemberGrowthSettings',
    tags,
    security,
    middleware: write,
    summary: 'Save the earn rules (for orders that become final from now on) and the 保级 period (from the next review)',
    request: { body: jsonBody(GrowthSettingsSchema) },
    responses: { 200: jsonContent(GrowthSettingsViewSchema), ...errs },
  }),
  async (c) => c.json(await updateGrowthSettings(ctxOf(c), c.req.valid('json')), 200),
);

tiersAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/member-search',
    operationId: 'searchMembers',
    tags,
    security,
    middleware: read,
    summary: '会员查询: shoppers by user id, phone or part of a nickname (at most 20), with tier and growth',
    request: { query: UserSearchQuery },
    responses: { 200: jsonContent(MemberSearchSchema), ...errs },
  }),
  async (c) => c.json(await searchMembers(ctxOf(c), c.req.valid('query').q), 200),
);

tiersAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/users/{userId}/membership',
    operationId: 'getMemberDetail',
    tags,
    security,
    middleware: read,
    summary: "A shopper's membership: tier, growth, tier history, growth entries, birthday gifts, points and balance",
    request: { params: UserIdParam },
    responses: { 200: jsonContent(MemberDetailSchema), ...errs, 404: errorResponses[404] },
  }),
  async (c) => c.json(await getMemberDetail(ctxOf(c), c.req.valid('param').userId), 200),
);

tiersAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/users/{userId}/member-tier',
    operationId: 'setMemberTier',
    tags,
    security,
    middleware: write,
    summary: 'Put a shopper in a tier now, with a reason (a fresh 保级 period starts; the same tier again is 409)',
    request: { params: UserIdParam, body: jsonBody(SetMemberTierInput) },
    responses: { 200: jsonContent(GrowthAdjustmentSchema), ...errs, 404: errorResponses[404], 409: errorResponses[409] },
  }),
  async (c) => c.json(await setMemberTier(ctxOf(c), c.req.valid('param').userId, c.req.valid('json')), 200),
);

tiersAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/users/{userId}/growth',
    operationId: 'adjustMemberGrowth',
    tags,
    security,
    middleware: write,
    summary: 'Add or take away growth with a reason; adding can upgrade at once, taking away waits for the review',
    request: { params: UserIdParam, body: jsonBody(AdjustGrowthInput) },
    responses: {
      201: jsonContent(GrowthAdjustmentSchema, 'adjusted'),
      200: jsonContent(GrowthAdjustmentSchema, 'replayed: this ref was already applied'),
      ...errs,
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const r = await adjustGrowth(ctxOf(c), c.req.valid('param').userId, c.req.valid('json'));
    return r.replayed ? c.json(r, 200) : c.json(r, 201);
  },
);
