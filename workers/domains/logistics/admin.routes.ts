import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import {
  CARRIERS,
  CarrierSchema,
  CreateFreightTemplateInput,
  FreightTemplateSchema,
  ListFreightTemplatesQuery,
  UpdateFreightTemplateInput,
} from './dto';
import { createFreightTemplate, deleteFreightTemplate, listFreightTemplates, updateFreightTemplate } from './freight.service';

const security = bearerSecurity;
// Freight templates are part of what a merchant sells (like its products), so catalog permissions apply.
const read = requireStaff('catalog.read');
const write = requireStaff('catalog.write');
const tplParam = z.object({ templateId: z.string().min(4).max(40) });
const ok = z.object({ ok: z.literal(true) });

export const logisticsAdminRoutes = createRouter();

logisticsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/freight-templates',
    operationId: 'listFreightTemplates',
    tags: ['Logistics admin'],
    security,
    middleware: read,
    summary: 'Freight templates, the default first; merchants see only their own',
    request: { query: ListFreightTemplatesQuery },
    responses: {
      200: jsonContent(z.object({ items: z.array(FreightTemplateSchema) })),
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => c.json({ items: await listFreightTemplates(ctxOf(c), c.req.valid('query')) }, 200),
);

logisticsAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/freight-templates',
    operationId: 'createFreightTemplate',
    tags: ['Logistics admin'],
    security,
    middleware: write,
    summary: 'Create a freight template (rules by province and weight, free-shipping threshold, excluded provinces)',
    description:
      'Exactly one rule must have regions ["*"] (every other province). isDefault makes it the template quotes use and unsets the merchant\'s previous default.',
    request: { body: jsonBody(CreateFreightTemplateInput) },
    responses: {
      201: jsonContent(FreightTemplateSchema, 'created'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await createFreightTemplate(ctxOf(c), c.req.valid('json')), 201),
);

logisticsAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/freight-templates/{templateId}',
    operationId: 'updateFreightTemplate',
    tags: ['Logistics admin'],
    security,
    middleware: write,
    request: { params: tplParam, body: jsonBody(UpdateFreightTemplateInput) },
    responses: {
      200: jsonContent(FreightTemplateSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await updateFreightTemplate(ctxOf(c), c.req.valid('param').templateId, c.req.valid('json')), 200),
);

logisticsAdminRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/freight-templates/{templateId}',
    operationId: 'deleteFreightTemplate',
    tags: ['Logistics admin'],
    security,
    middleware: write,
    summary: "Delete a template (if it was the default, quotes fall back to the platform's built-in default)",
    request: { params: tplParam },
    responses: { 200: jsonContent(ok), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => {
    await deleteFreightTemplate(ctxOf(c), c.req.valid('param').templateId);
    return c.json({ ok: true as const }, 200);
  },
);

logisticsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/carriers',
    operationId: 'listCarriers',
    tags: ['Logistics admin'],
    security,
    middleware: requireStaff('orders.read'),
    summary: 'Carriers a parcel can be shipped with (the codes shipOrder and the tracking webhook accept)',
    responses: { 200: jsonContent(z.object({ items: z.array(CarrierSchema) })), 401: errorResponses[401], 403: errorResponses[403] },
  }),
  (c) => c.json({ items: CARRIERS.map((k) => ({ code: k.code, name: k.name })) }, 200),
);
