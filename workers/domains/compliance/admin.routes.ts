import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { optionalIdempotencyHeader } from '../../shared/idempotency';
import { pageSchema } from '../../shared/pagination';
import { requireStaff } from '../auth/middleware';
import {
  CorrectionNoticeSchema,
  CreateSpotCheckInput,
  IssueNoticeInput,
  ListNoticesQuery,
  ListSpotChecksQuery,
  MarkCorrectedInput,
  ReopenNoticeInput,
  SpotCheckSchema,
  SpotCheckSummarySchema,
} from './dto';
import { createSpotCheck, getSpotCheck, listSpotChecks } from './spot-checks.service';
import { acceptCorrection, getNotice, issueNotice, listNotices, markCorrected, reopenNotice } from './notices.service';

const security = bearerSecurity;
const tags = ['Compliance spot checks'];
const review = requireStaff('catalog.review');
const read = requireStaff('catalog.read');
const write = requireStaff('catalog.write');
const spcParam = z.object({ spotCheckId: z.string().min(4).max(40) });
const itemParam = spcParam.extend({ itemId: z.string().min(4).max(40) });
const ntcParam = z.object({ noticeId: z.string().min(4).max(40) });
const e = errorResponses;

export const complianceAdminRoutes = createRouter();

complianceAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/spot-checks',
    operationId: 'createSpotCheck',
    tags,
    security,
    middleware: review,
    summary: "抽查: sample a merchant's products (random on-sale ones, or chosen ids) and check each (screening + required facts)",
    description: 'With an Idempotency-Key a retry returns the spot check the first call created (200) instead of sampling again.',
    request: { headers: optionalIdempotencyHeader, body: jsonBody(CreateSpotCheckInput) },
    responses: {
      201: jsonContent(SpotCheckSchema, 'created'),
      200: jsonContent(SpotCheckSchema, 'the spot check this Idempotency-Key already created'),
      400: e[400],
      401: e[401],
      403: e[403],
      404: e[404],
    },
  }),
  async (c) => {
    const r = await createSpotCheck(ctxOf(c), c.req.valid('json'), c.req.valid('header')['idempotency-key']);
    return r.created ? c.json(r.spotCheck, 201) : c.json(r.spotCheck, 200);
  },
);

complianceAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/spot-checks',
    operationId: 'listSpotChecks',
    tags,
    security,
    middleware: review,
    request: { query: ListSpotChecksQuery },
    responses: { 200: jsonContent(pageSchema(SpotCheckSummarySchema)), 400: e[400], 401: e[401], 403: e[403] },
  }),
  async (c) => c.json(await listSpotChecks(ctxOf(c), c.req.valid('query')), 200),
);

complianceAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/spot-checks/{spotCheckId}',
    operationId: 'getSpotCheck',
    tags,
    security,
    middleware: review,
    request: { params: spcParam },
    responses: { 200: jsonContent(SpotCheckSchema), 401: e[401], 403: e[403], 404: e[404] },
  }),
  async (c) => c.json(await getSpotCheck(ctxOf(c), c.req.valid('param').spotCheckId), 200),
);

complianceAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/spot-checks/{spotCheckId}/items/{itemId}/notices',
    operationId: 'issueCorrectionNotice',
    tags,
    security,
    middleware: review,
    summary: '整改通知: a reason and a deadline (限期整改); unresolved at the deadline, the product goes off sale',
    description: 'One unresolved notice per product: repeating returns the notice already issued for this item (200).',
    request: { params: itemParam, body: jsonBody(IssueNoticeInput) },
    responses: {
      201: jsonContent(CorrectionNoticeSchema, 'issued'),
      200: jsonContent(CorrectionNoticeSchema, 'already issued for this item'),
      400: e[400],
      401: e[401],
      403: e[403],
      404: e[404],
      409: e[409],
    },
  }),
  async (c) => {
    const p = c.req.valid('param');
    const r = await issueNotice(ctxOf(c), p.spotCheckId, p.itemId, c.req.valid('json'));
    return r.created ? c.json(r.notice, 201) : c.json(r.notice, 200);
  },
);

complianceAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/correction-notices',
    operationId: 'listCorrectionNotices',
    tags,
    security,
    middleware: read,
    summary: 'Correction notices, newest first: a merchant sees only its own',
    request: { query: ListNoticesQuery },
    responses: { 200: jsonContent(pageSchema(CorrectionNoticeSchema)), 400: e[400], 401: e[401], 403: e[403] },
  }),
  async (c) => c.json(await listNotices(ctxOf(c), c.req.valid('query')), 200),
);

complianceAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/correction-notices/{noticeId}',
    operationId: 'getCorrectionNotice',
    tags,
    security,
    middleware: read,
    request: { params: ntcParam },
    responses: { 200: jsonContent(CorrectionNoticeSchema), 401: e[401], 403: e[403], 404: e[404] },
  }),
  async (c) => c.json(await getNotice(ctxOf(c), c.req.valid('param').noticeId), 200),
);

complianceAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/correction-notices/{noticeId}/corrected',
    operationId: 'markNoticeCorrected',
    tags,
    security,
    middleware: write,
    summary: 'The merchant fixed the product: it is checked again and must now pass',
    request: { params: ntcParam, body: jsonBody(MarkCorrectedInput) },
    responses: { 200: jsonContent(CorrectionNoticeSchema), 400: e[400], 401: e[401], 403: e[403], 404: e[404], 409: e[409] },
  }),
  async (c) => c.json(await markCorrected(ctxOf(c), c.req.valid('param').noticeId, c.req.valid('json')), 200),
);

complianceAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/correction-notices/{noticeId}/accept',
    operationId: 'acceptCorrection',
    tags,
    security,
    middleware: review,
    summary: "Accept the merchant's correction (closes the notice)",
    request: { params: ntcParam },
    responses: { 200: jsonContent(CorrectionNoticeSchema), 401: e[401], 403: e[403], 404: e[404], 409: e[409] },
  }),
  async (c) => c.json(await acceptCorrection(ctxOf(c), c.req.valid('param').noticeId), 200),
);

complianceAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/correction-notices/{noticeId}/reopen',
    operationId: 'reopenCorrectionNotice',
    tags,
    security,
    middleware: review,
    summary: 'Not fixed enough: open the notice again with a reason and a new deadline',
    request: { params: ntcParam, body: jsonBody(ReopenNoticeInput) },
    responses: { 200: jsonContent(CorrectionNoticeSchema), 400: e[400], 401: e[401], 403: e[403], 404: e[404], 409: e[409] },
  }),
  async (c) => c.json(await reopenNotice(ctxOf(c), c.req.valid('param').noticeId, c.req.valid('json')), 200),
);
