import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireUser } from '../auth/middleware';
import {
  AppendReviewInput,
  HelpfulSchema,
  MyReviewsQuery,
  ProductParam,
  ProductReviewPageSchema,
  ProductReviewsQuery,
  ReportResultSchema,
  ReportReviewInput,
  ReviewPageSchema,
  ReviewParam,
  ReviewSchema,
} from './dto';
import { listMyReviews, listProductReviews } from './listing.service';
import { appendReview, reportReview, setHelpful } from './actions.service';

const tags = ['Reviews'];
const security = bearerSecurity;
const auth = { 401: errorResponses[401], 403: errorResponses[403] };

export const reviewsStoreRoutes = createRouter();

reviewsStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/products/{productId}/reviews',
    operationId: 'listProductReviews',
    tags,
    summary: "A product's published reviews with the rating summary and tag counts; photos first, then newest",
    description:
      'Public; with a shopper token each review says whether they marked it helpful. Anonymous reviews show a masked name (张**). ' +
      'filter: all / media (有图) / good / medium / bad / append (追评); star and tag narrow further. Cursor-paginated.',
    request: { params: ProductParam, query: ProductReviewsQuery },
    responses: { 200: jsonContent(ProductReviewPageSchema), 400: errorResponses[400] },
  }),
  async (c) => c.json(await listProductReviews(ctxOf(c), c.req.valid('param').productId, c.req.valid('query')), 200),
);

reviewsStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/reviews',
    operationId: 'listMyReviews',
    tags,
    security,
    middleware: requireUser,
    summary: "我的评价: the shopper's reviews, newest first, with their status (审核中 / 未通过 with the reason)",
    request: { query: MyReviewsQuery },
    responses: { 200: jsonContent(ReviewPageSchema), 400: errorResponses[400], ...auth },
  }),
  async (c) => c.json(await listMyReviews(ctxOf(c), c.req.valid('query')), 200),
);

reviewsStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/reviews/{reviewId}/append',
    operationId: 'appendReview',
    tags,
    security,
    middleware: requireUser,
    summary: '追评: one follow-up by the author, screened like the review (held for moderation when flagged)',
    description:
      'Another shopper is 403; a second follow-up is 409 reviews.already_appended; abusive text is 400 reviews.text_refused with the matches.',
    request: { params: ReviewParam, body: jsonBody(AppendReviewInput) },
    responses: { 200: jsonContent(ReviewSchema), 400: errorResponses[400], ...auth, 404: errorResponses[404], 409: errorResponses[409] },
  }),
  async (c) => c.json(await appendReview(ctxOf(c), c.req.valid('param').reviewId, c.req.valid('json')), 200),
);

reviewsStoreRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/reviews/{reviewId}/helpful',
    operationId: 'markReviewHelpful',
    tags,
    security,
    middleware: requireUser,
    summary: '有用: mark a published review helpful (one vote per shopper; repeating changes nothing)',
    request: { params: ReviewParam },
    responses: { 200: jsonContent(HelpfulSchema), ...auth, 404: errorResponses[404] },
  }),
  async (c) => c.json(await setHelpful(ctxOf(c), c.req.valid('param').reviewId, true), 200),
);

reviewsStoreRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/reviews/{reviewId}/helpful',
    operationId: 'unmarkReviewHelpful',
    tags,
    security,
    middleware: requireUser,
    summary: 'Take back a helpful vote (repeating changes nothing)',
    request: { params: ReviewParam },
    responses: { 200: jsonContent(HelpfulSchema), ...auth, 404: errorResponses[404] },
  }),
  async (c) => c.json(await setHelpful(ctxOf(c), c.req.valid('param').reviewId, false), 200),
);

reviewsStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/reviews/{reviewId}/reports',
    operationId: 'reportReview',
    tags,
    security,
    middleware: requireUser,
    summary: '举报: report a published review; three reports send it back to moderation',
    request: { params: ReviewParam, body: jsonBody(ReportReviewInput) },
    responses: { 200: jsonContent(ReportResultSchema), 400: errorResponses[400], ...auth, 404: errorResponses[404] },
  }),
  async (c) => c.json(await reportReview(ctxOf(c), c.req.valid('param').reviewId, c.req.valid('json')), 200),
);
