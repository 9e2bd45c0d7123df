import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import { getApplication, getApplicationStatus, listApplications, rejectApplication } from './applications.service';
import {
  ApplicationDetailSchema,
  ApplicationPageSchema,
  ApplicationStatusQuery,
  ApplicationStatusSchema,
  ListApplicationsQuery,
  RejectApplicationInput,
} from './dto';

const tags = ['Merchant onboarding'];
const appParam = z.object({ applicationId: z.string().min(4).max(40) });

/** Public: the applicant checks progress without an account. Mounted under /store/v1. */
export const applicationsStoreRoutes = createRouter();

applicationsStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/merchant-applications/{applicationId}',
    operationId: 'getMerchantApplicationStatus',
    tags,
    summary: 'Status of a merchant application (and the rejection reason), for the email it was filed with',
    description: 'Give the login or contact email of the application; any other email is 404, so ids cannot be probed.',
    request: { params: appParam, query: ApplicationStatusQuery },
    responses: { 200: jsonContent(ApplicationStatusSchema), 400: errorResponses[400], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getApplicationStatus(ctxOf(c), c.req.valid('param').applicationId, c.req.valid('query').email), 200),
);

/** Admin review routes (merchants.manage). Mounted under /admin/v1; approve lives in flows/merchant-onboarding.routes.ts. */
export const applicationsAdminRoutes = createRouter();
const security = bearerSecurity;

applicationsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/merchant-applications',
    operationId: 'listMerchantApplications',
    tags,
    security,
    middleware: [requireStaff('merchants.manage')] as const,
    summary: 'Merchant applications, newest first (contact phone masked)',
    request: { query: ListApplicationsQuery },
    responses: { 200: jsonContent(ApplicationPageSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listApplications(ctxOf(c), c.req.valid('query')), 200),
);

applicationsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/merchant-applications/{applicationId}',
    operationId: 'getMerchantApplication',
    tags,
    security,
    middleware: [requireStaff('merchants.manage')] as const,
    summary: 'One merchant application with the full contact and the licence image URL',
    request: { params: appParam },
    responses: { 200: jsonContent(ApplicationDetailSchema), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getApplication(ctxOf(c), c.req.valid('param').applicationId), 200),
);

applicationsAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/merchant-applications/{applicationId}/reject',
    operationId: 'rejectMerchantApplication',
    tags,
    security,
    middleware: [requireStaff('merchants.manage')] as const,
    summary: 'Reject a pending application with a reason the applicant sees',
    request: { params: appParam, body: jsonBody(RejectApplicationInput) },
    responses: {
      200: jsonContent(ApplicationDetailSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await rejectApplication(ctxOf(c), c.req.valid('param').applicationId, c.req.valid('json')), 200),
);
