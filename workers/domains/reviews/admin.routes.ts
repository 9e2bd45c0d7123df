import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import {
  AdminReviewPageSchema,
  AdminReviewSchema,
  AdminReviewsQuery,
  ApproveReviewInput,
  ModerationQuery,
  RejectReviewInput,
  ReplyReviewInput,
  ReviewParam,
} from './dto';
import { listAdminReviews, listModerationQueue } from './listing.service';
import { approveReview, getAdminReview, rejectReview, replyReview } from './moderation.service';

const tags = ['Reviews'];
const security = bearerSecurity;
const auth = { 401: errorResponses[401], 403: errorResponses[403] };

export const reviewsAdminRoutes = createRouter();

reviewsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/reviews/moderation',
    operationId: 'listModerationQueue',
    tags,
    security,
    middleware: requireStaff('catalog.review'),
    summary: '评价审核: reviews and follow-ups held for a person, oldest first, with the screening matches (term, start, end, hint)',
    request: { query: ModerationQuery },
    responses: { 200: jsonContent(AdminReviewPageSchema), 400: errorResponses[400], ...auth },
  }),
  async (c) => c.json(await listModerationQueue(ctxOf(c), c.req.valid('query')), 200),
);

reviewsAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/reviews/{reviewId}/approve',
    operationId: 'approveReview',
    tags,
    security,
    middleware: requireStaff('catalog.review'),
    summary: 'Publish a held review (part review) or follow-up (part append); 409 reviews.not_pending when it is not held',
    request: { params: ReviewParam, body: jsonBody(ApproveReviewInput) },
    responses: {
      200: jsonContent(AdminReviewSchema),
      400: errorResponses[400],
      ...auth,
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await approveReview(ctxOf(c), c.req.valid('param').reviewId, c.req.valid('json').part), 200),
);

reviewsAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/reviews/{reviewId}/reject',
    operationId: 'rejectReview',
    tags,
    security,
    middleware: requireStaff('catalog.review'),
    summary: 'Reject a held review or follow-up with a reason the shopper sees',
    request: { params: ReviewParam, body: jsonBody(RejectReviewInput) },
    responses: {
      200: jsonContent(AdminReviewSchema),
      400: errorResponses[400],
      ...auth,
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const b = c.req.valid('json');
    return c.json(await rejectReview(ctxOf(c), c.req.valid('param').reviewId, b.part, b.reason), 200);
  },
);

reviewsAdminRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/reviews/{reviewId}/reply',
    operationId: 'replyReview',
    tags,
    security,
    middleware: requireStaff('catalog.write'),
    summary: "商家回复: the product's merchant (own products only, else 403) or an operator replies; sending again edits the reply",
    description: 'The reply is screened: a blocked term is 400 reviews.reply_refused with the matches.',
    request: { params: ReviewParam, body: jsonBody(ReplyReviewInput) },
    responses: {
      200: jsonContent(AdminReviewSchema),
      400: errorResponses[400],
      ...auth,
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await replyReview(ctxOf(c), c.req.valid('param').reviewId, c.req.valid('json').text), 200),
);

reviewsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/reviews',
    operationId: 'listReviews',
    tags,
    security,
    middleware: requireStaff('catalog.read'),
    summary: "评价管理: reviews newest first, by product / merchant / status / replied; a merchant sees its own products' only",
    request: { query: AdminReviewsQuery },
    responses: { 200: jsonContent(AdminReviewPageSchema), 400: errorResponses[400], ...auth },
  }),
  async (c) => c.json(await listAdminReviews(ctxOf(c), c.req.valid('query')), 200),
);

reviewsAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/reviews/{reviewId}',
    operationId: 'getReview',
    tags,
    security,
    middleware: requireStaff('catalog.read'),
    summary: "One review with its screening results (a merchant: its own products' only, else 403)",
    request: { params: ReviewParam },
    responses: { 200: jsonContent(AdminReviewSchema), ...auth, 404: errorResponses[404] },
  }),
  async (c) => c.json(await getAdminReview(ctxOf(c), c.req.valid('param').reviewId), 200),
);
