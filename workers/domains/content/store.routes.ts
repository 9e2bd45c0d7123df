import { createRoute, z } from '@hono/zod-openapi';
import { createRouter, ctxOf, errorResponses, jsonContent } from '../../shared/http';
import { ArticleListSchema, ListArticlesQuery, StoreArticleSchema } from './dto';
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
