import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, ErrorSchema, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { optionalIdempotencyHeader } from '../../shared/idempotency';
import { requireStaff } from '../auth/middleware';
import {
  approveArticle,
  createArticle,
  getAdminContent,
  listAdminContent,
  rejectArticle,
  scheduleArticle,
  takeDownArticle,
  updateArticle,
} from './articles.service';
import { contentCalendar } from './calendar.service';
import {
  CalendarQuery,
  CalendarSchema,
  AdminContentListQuery,
  AdminContentListSchema,
  AdminContentSchema,
  CreateArticleInput,
  ReasonInput,
  ScheduleInput,
  UpdateArticleInput,
} from './dto';
import { submitArticle } from './submit.service';

const tags = ['Content admin'];
const security = bearerSecurity;
const middleware = requireStaff('content.write');
export const contentAdminRoutes = createRouter();
const params = z.object({ contentId: z.string().min(4).max(40) });
const std = {
  400: errorResponses[400],
  401: errorResponses[401],
  403: errorResponses[403],
  404: errorResponses[404],
  409: errorResponses[409],
};

contentAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/content/articles',
    operationId: 'listContent',
    tags,
    security,
    middleware,
    summary:
      '内容管理: articles, topics and scene guides (newest change first), with lifetime metrics; flagged=true lists what shoppers flagged',
    request: { query: AdminContentListQuery },
    responses: { 200: jsonContent(AdminContentListSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listAdminContent(ctxOf(c), c.req.valid('query')), 200),
);

contentAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/content/articles',
    operationId: 'createArticle',
    tags,
    security,
    middleware,
    summary:
      'A new draft article / topic / scene guide; the body is sanitised to an allow-list of tags (no scripts, handlers, styles or javascript: URLs)',
    description:
      'Embedded products must exist (400 content.product_not_found). With an Idempotency-Key a retry answers 200 with the first draft.',
    request: { headers: optionalIdempotencyHeader, body: jsonBody(CreateArticleInput) },
    responses: {
      201: jsonContent(AdminContentSchema, 'created'),
      200: jsonContent(AdminContentSchema, 'a retry: the first draft'),
      ...std,
    },
  }),
  async (c) => {
    const r = await createArticle(ctxOf(c), c.req.valid('json'), c.req.valid('header')['idempotency-key']);
    return r.created ? c.json(r.content, 201) : c.json(r.content, 200);
  },
);

contentAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/content/articles/{contentId}',
    operationId: 'getContent',
    tags,
    security,
    middleware,
    summary: 'One content with its screening matches, shopper ratings and metrics',
    request: { params },
    responses: { 200: jsonContent(AdminContentSchema), ...std },
  }),
  async (c) => c.json(await getAdminContent(ctxOf(c), c.req.valid('param').contentId), 200),
);

contentAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/content/articles/{contentId}',
    operationId: 'updateArticle',
    tags,
    security,
    middleware,
    summary:
      'Edit content shoppers cannot see (it goes back to draft and must be submitted again); 409 content.not_editable while it is public',
    request: { params, body: jsonBody(UpdateArticleInput) },
    responses: { 200: jsonContent(AdminContentSchema), ...std },
  }),
  async (c) => c.json(await updateArticle(ctxOf(c), c.req.valid('param').contentId, c.req.valid('json')), 200),
);

contentAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/content/articles/{contentId}/submit',
    operationId: 'submitArticle',
    tags,
    security,
    middleware,
    summary: 'Submit a draft: compliance screening of title, summary and body',
    description:
      'block → 422 content.screening_blocked (details.matches: term, category, field, start, end, hint) and it stays a draft; review/warn or ' +
      'copied text → review (an operator approves); pass → approved, or scheduled when it has a publish time. A repeat returns it as it is.',
    request: { params },
    responses: {
      200: jsonContent(AdminContentSchema),
      ...std,
      422: { description: 'screening blocked it', content: { 'application/json': { schema: ErrorSchema } } },
    },
  }),
  async (c) => c.json(await submitArticle(ctxOf(c), c.req.valid('param').contentId), 200),
);

contentAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/content/articles/{contentId}/approve',
    operationId: 'approveArticle',
    tags,
    security,
    middleware,
    summary: 'Approve content held in review (screening or a shoppers’ flag): scheduled when it has a publish time, approved otherwise',
    request: { params },
    responses: { 200: jsonContent(AdminContentSchema), ...std },
  }),
  async (c) => c.json(await approveArticle(ctxOf(c), c.req.valid('param').contentId), 200),
);

contentAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/content/articles/{contentId}/reject',
    operationId: 'rejectArticle',
    tags,
    security,
    middleware,
    summary: 'Send content in review back to draft with a reason',
    request: { params, body: jsonBody(ReasonInput) },
    responses: { 200: jsonContent(AdminContentSchema), ...std },
  }),
  async (c) => c.json(await rejectArticle(ctxOf(c), c.req.valid('param').contentId, c.req.valid('json').reason), 200),
);

contentAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/content/articles/{contentId}/schedule',
    operationId: 'scheduleArticle',
    tags,
    security,
    middleware,
    summary: 'Set the publish time of approved content: shoppers see it from then (at once if the time has passed)',
    request: { params, body: jsonBody(ScheduleInput) },
    responses: { 200: jsonContent(AdminContentSchema), ...std },
  }),
  async (c) => c.json(await scheduleArticle(ctxOf(c), c.req.valid('param').contentId, c.req.valid('json').publishAt), 200),
);

contentAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/content/articles/{contentId}/take-down',
    operationId: 'takeDownArticle',
    tags,
    security,
    middleware,
    summary: 'Take content down (it disappears from the storefront at once) with a reason',
    request: { params, body: jsonBody(ReasonInput) },
    responses: { 200: jsonContent(AdminContentSchema), ...std },
  }),
  async (c) => c.json(await takeDownArticle(ctxOf(c), c.req.valid('param').contentId, c.req.valid('json').reason), 200),
);

contentAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/content/calendar',
    operationId: 'getContentCalendar',
    tags,
    security,
    middleware,
    summary: '内容日历: content per Beijing day of 1–3 months (by publish time), seasonal items prepared ahead, low performers flagged',
    description:
      'lowPerformer: after at least 100 views in the last 30 days, a CTR (product clicks / views) below half the median CTR of the content judged.',
    request: { query: CalendarQuery },
    responses: { 200: jsonContent(CalendarSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await contentCalendar(ctxOf(c), c.req.valid('query')), 200),
);
