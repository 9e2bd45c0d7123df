import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireUser } from '../auth/middleware';
import {
  ArticleListSchema,
  ContentEventInput,
  ContentEventResultSchema,
  ListArticlesQuery,
  RatingResultSchema,
  ReactionInput,
  ReportInput,
  StoreArticleSchema,
} from './dto';
import { recordContentEvent } from './metrics.service';
import { rateArticle, reportArticle, unrateArticle } from './ratings.service';
import { getArticle, listArticles } from './store.service';

const tags = ['Content'];
export const contentStoreRoutes = createRouter();
export const articleParams = z.object({ articleId: z.string().min(4).max(40) });

contentStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/articles',
    operationId: 'listArticles',
    tags,
    summary: '内容: published articles, topics and scene guides whose time has come, newest first, by kind and/or tag',
    request: { query: ListArticlesQuery },
    responses: { 200: jsonContent(ArticleListSchema), 400: errorResponses[400] },
  }),
  async (c) => c.json(await listArticles(ctxOf(c), c.req.valid('query')), 200),
);

contentStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/articles/{articleId}',
    operationId: 'getArticle',
    tags,
    summary: 'One article: sanitised rich text, product cards with live price (off-sale ones marked 已下架), ratings',
    description:
      'Drafts, content not yet due and taken-down content are 404 content.not_found. A signed-in shopper also gets their own rating.',
    request: { params: articleParams },
    responses: { 200: jsonContent(StoreArticleSchema), 400: errorResponses[400], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getArticle(ctxOf(c), c.req.valid('param').articleId), 200),
);

const rated = {
  200: jsonContent(RatingResultSchema),
  400: errorResponses[400],
  401: errorResponses[401],
  403: errorResponses[403],
  404: errorResponses[404],
};

contentStoreRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/articles/{articleId}/reaction',
    operationId: 'rateArticle',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: 'Like or dislike an article: one rating per shopper (a new one replaces it; repeats count once)',
    request: { params: articleParams, body: jsonBody(ReactionInput) },
    responses: rated,
  }),
  async (c) => c.json(await rateArticle(ctxOf(c), c.req.valid('param').articleId, c.req.valid('json').value), 200),
);

contentStoreRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/articles/{articleId}/reaction',
    operationId: 'unrateArticle',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: 'Withdraw my like or dislike',
    request: { params: articleParams },
    responses: rated,
  }),
  async (c) => c.json(await unrateArticle(ctxOf(c), c.req.valid('param').articleId), 200),
);

contentStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/articles/{articleId}/report',
    operationId: 'reportArticle',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: 'Report (举报) an article: once per shopper; many reports take it off the storefront for review',
    request: { params: articleParams, body: jsonBody(ReportInput) },
    responses: rated,
  }),
  async (c) => c.json(await reportArticle(ctxOf(c), c.req.valid('param').articleId, c.req.valid('json')), 200),
);

contentStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/articles/{articleId}/events',
    operationId: 'reportContentEvent',
    tags,
    security: bearerSecurity,
    summary: 'The article page reports a view, dwell (seconds so far), a product-card click or a share',
    description:
      'Signed in, or signed out with a deviceId (400 content.subject_required). Each counts once per shopper/device, product and Beijing ' +
      'day (a later dwell only raises the day’s time). A click must name a product on the article (400 content.product_not_in_article). ' +
      'Rate-limited per shopper/device (429 content.events_rate_limited).',
    request: { params: articleParams, body: jsonBody(ContentEventInput) },
    responses: {
      200: jsonContent(ContentEventResultSchema),
      400: errorResponses[400],
      404: errorResponses[404],
      429: errorResponses[429],
    },
  }),
  async (c) => c.json(await recordContentEvent(ctxOf(c), c.req.valid('param').articleId, c.req.valid('json')), 200),
);
