import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../../shared/http';
import { optionalIdempotencyHeader } from '../../../shared/idempotency';
import { pageSchema } from '../../../shared/pagination';
import { requireStaff } from '../../auth/middleware';
import { getStackingPolicy, setStackingPolicy } from '../settings.service';
import { StackingPolicySchema } from '../stacking';
import { CreatePromotionRuleInput, ListPromotionRulesQuery, PromotionRuleSchema, UpdatePromotionRuleInput } from './dto';
import { createPromotionRule, getPromotionRule, listPromotionRules, updatePromotionRule } from './promotion-rules.service';

const tags = ['Promotions admin'];
const security = bearerSecurity;
const write = requireStaff('promotions.write');
const ruleParam = z.object({ ruleId: z.string().min(4).max(40) });

export const promotionRulesAdminRoutes = createRouter();

promotionRulesAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/promotion-rules',
    operationId: 'createPromotionRule',
    tags,
    security,
    middleware: write,
    summary:
      'Create a price rule: 满减 (tiers or 每满X减Y with a cap), 满折 (tiers of a pay rate) or 限时折扣 (a rate and/or fixed SKU prices). Terms are immutable once created.',
    request: { headers: optionalIdempotencyHeader, body: jsonBody(CreatePromotionRuleInput) },
    responses: {
      201: jsonContent(PromotionRuleSchema, 'created'),
      200: jsonContent(PromotionRuleSchema, 'a retry with the same Idempotency-Key: the first result'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => {
    const { rule, replayed } = await createPromotionRule(ctxOf(c), c.req.valid('json'), c.req.valid('header')['idempotency-key']);
    return replayed ? c.json(rule, 200) : c.json(rule, 201);
  },
);

promotionRulesAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/promotion-rules',
    operationId: 'listPromotionRules',
    tags,
    security,
    middleware: write,
    summary: 'Price rules, newest first, filtered by kind, status, state (upcoming/live/ended/disabled) or campaign',
    request: { query: ListPromotionRulesQuery },
    responses: {
      200: jsonContent(pageSchema(PromotionRuleSchema)),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => c.json(await listPromotionRules(ctxOf(c), c.req.valid('query')), 200),
);

promotionRulesAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/promotion-rules/{ruleId}',
    operationId: 'getPromotionRule',
    tags,
    security,
    middleware: write,
    request: { params: ruleParam },
    responses: { 200: jsonContent(PromotionRuleSchema), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getPromotionRule(ctxOf(c), c.req.valid('param').ruleId), 200),
);

promotionRulesAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/promotion-rules/{ruleId}',
    operationId: 'updatePromotionRule',
    tags,
    security,
    middleware: write,
    summary:
      'Enable/disable a rule or move its end (not into the past). The terms — tiers, rates, prices, scope, start — are immutable because orders point at them: create a new rule instead.',
    request: { params: ruleParam, body: jsonBody(UpdatePromotionRuleInput) },
    responses: {
      200: jsonContent(PromotionRuleSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await updatePromotionRule(ctxOf(c), c.req.valid('param').ruleId, c.req.valid('json')), 200),
);

// ---------- stacking policy (叠加规则) ----------

promotionRulesAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/promotions/stacking-policy',
    operationId: 'getStackingPolicy',
    tags,
    security,
    middleware: write,
    summary: 'How promotions combine: the stored policy over the defaults',
    responses: { 200: jsonContent(StackingPolicySchema), 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await getStackingPolicy(ctxOf(c)), 200),
);

promotionRulesAdminRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/promotions/stacking-policy',
    operationId: 'updateStackingPolicy',
    tags,
    security,
    middleware: write,
    summary:
      'Replace the stacking policy (the whole object). In force at once here, everywhere within 5 s; quotes already given are re-checked at order time.',
    request: { body: jsonBody(StackingPolicySchema) },
    responses: { 200: jsonContent(StackingPolicySchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await setStackingPolicy(ctxOf(c), c.req.valid('json')), 200),
);
