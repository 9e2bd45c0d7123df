import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { optionalIdempotencyHeader } from '../../shared/idempotency';
import { requireStaff } from '../auth/middleware';
import {
  AdminHomeSectionListSchema,
  AdminHomeSectionSchema,
  CreateHomeSectionInput,
  ReorderHomeSectionsInput,
  StoreHomeSectionsSchema,
  UpdateHomeSectionInput,
} from './dto';
import { currentHomeSections } from './home-read';
import {
  createHomeSection,
  deleteHomeSection,
  getHomeSection,
  listHomeSections,
  reorderHomeSections,
  updateHomeSection,
} from './home.service';

const tags = ['Home sections admin'];
const security = bearerSecurity;
const middleware = requireStaff('content.write');
const params = z.object({ sectionId: z.string().min(4).max(40) });
const std = {
  400: errorResponses[400],
  401: errorResponses[401],
  403: errorResponses[403],
  404: errorResponses[404],
  409: errorResponses[409],
};

export const homeAdminRoutes = createRouter();
export const homeStoreRoutes = createRouter();

homeAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/home-sections',
    operationId: 'listHomeSections',
    tags,
    security,
    middleware,
    summary: '首页装修: every home section in display order (enabled or not, scheduled or not)',
    responses: { 200: jsonContent(AdminHomeSectionListSchema), 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listHomeSections(ctxOf(c)), 200),
);

homeAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/home-sections',
    operationId: 'createHomeSection',
    tags,
    security,
    middleware,
    summary: 'Add a banner, topic entry or product rail (placed last), shown from startsAt until endsAt',
    description: 'Linked products and articles must exist (400 content.product_not_found / content.not_found).',
    request: { headers: optionalIdempotencyHeader, body: jsonBody(CreateHomeSectionInput) },
    responses: {
      201: jsonContent(AdminHomeSectionSchema, 'created'),
      200: jsonContent(AdminHomeSectionSchema, 'a retry: the first section'),
      ...std,
    },
  }),
  async (c) => {
    const r = await createHomeSection(ctxOf(c), c.req.valid('json'), c.req.valid('header')['idempotency-key']);
    return r.created ? c.json(r.section, 201) : c.json(r.section, 200);
  },
);

homeAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/home-sections/{sectionId}',
    operationId: 'getHomeSection',
    tags,
    security,
    middleware,
    summary: 'One home section',
    request: { params },
    responses: { 200: jsonContent(AdminHomeSectionSchema), ...std },
  }),
  async (c) => c.json(await getHomeSection(ctxOf(c), c.req.valid('param').sectionId), 200),
);

homeAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/home-sections/{sectionId}',
    operationId: 'updateHomeSection',
    tags,
    security,
    middleware,
    summary: 'Change a section’s title, payload (of its kind), schedule or enabled',
    request: { params, body: jsonBody(UpdateHomeSectionInput) },
    responses: { 200: jsonContent(AdminHomeSectionSchema), ...std },
  }),
  async (c) => c.json(await updateHomeSection(ctxOf(c), c.req.valid('param').sectionId, c.req.valid('json')), 200),
);

homeAdminRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/home-sections/{sectionId}',
    operationId: 'deleteHomeSection',
    tags,
    security,
    middleware,
    summary: 'Remove a section',
    request: { params },
    responses: { 204: { description: 'removed' }, ...std },
  }),
  async (c) => {
    await deleteHomeSection(ctxOf(c), c.req.valid('param').sectionId);
    return c.body(null, 204);
  },
);

homeAdminRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/home-sections/order',
    operationId: 'reorderHomeSections',
    tags,
    security,
    middleware,
    summary: 'Reorder: every section id in the new order (409 content.reorder_mismatch when the list is not exactly the sections)',
    request: { body: jsonBody(ReorderHomeSectionsInput) },
    responses: { 200: jsonContent(AdminHomeSectionListSchema), ...std },
  }),
  async (c) => c.json(await reorderHomeSections(ctxOf(c), c.req.valid('json').ids), 200),
);

homeStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/home/sections',
    operationId: 'getHomeSections',
    tags: ['Content'],
    summary: '首页: the banners, topic entries and product rails showing now, in order (rails: on-sale products with live price)',
    description: 'Cached a few seconds per isolate; schedules and linked articles’ publish times apply per request.',
    responses: { 200: jsonContent(StoreHomeSectionsSchema) },
  }),
  async (c) => c.json(await currentHomeSections(ctxOf(c)), 200),
);
