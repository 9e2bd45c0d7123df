import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import { createWord, getWord, listWords, updateWord } from './dictionary.service';
import { CreateWordInput, ScreenResultSchema, ScreenTextInput, UpdateWordInput, WordListQuery, WordListSchema, WordSchema } from './dto';
import { screen } from './screen.service';

const tags = ['Screening admin'];
const security = bearerSecurity;
const wordId = z.object({ wordId: z.string().min(4).max(40) });
export const screeningAdminRoutes = createRouter();

// Reading the dictionary and screening copy: anyone who may read the catalogue (merchants check
// their copy before submitting). Editing it: catalog.review, the permission of those who moderate.

screeningAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/screening/words',
    operationId: 'listSensitiveWords',
    tags,
    security,
    middleware: requireStaff('catalog.read'),
    summary: '合规词库: every word and allow phrase (filter by category, severity, enabled, part of the term) and the dictionary version',
    request: { query: WordListQuery },
    responses: { 200: jsonContent(WordListSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await listWords(ctxOf(c), c.req.valid('query')), 200),
);

screeningAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/screening/words',
    operationId: 'createSensitiveWord',
    tags,
    security,
    middleware: requireStaff('catalog.review'),
    summary:
      'Add a word (category, severity, fix hint) or an allow phrase. Bumps the dictionary version. The same term again with the same settings answers 200 with the existing word; 409 screening.word_exists otherwise',
    request: { body: jsonBody(CreateWordInput) },
    responses: {
      200: jsonContent(WordSchema, 'already there'),
      201: jsonContent(WordSchema, 'created'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      409: errorResponses[409],
    },
  }),
  async (c) => {
    const { word, created } = await createWord(ctxOf(c), c.req.valid('json'));
    return created ? c.json(word, 201) : c.json(word, 200);
  },
);

screeningAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/screening/words/{wordId}',
    operationId: 'getSensitiveWord',
    tags,
    security,
    middleware: requireStaff('catalog.read'),
    summary: 'One word or allow phrase',
    request: { params: wordId },
    responses: { 200: jsonContent(WordSchema), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await getWord(ctxOf(c), c.req.valid('param').wordId), 200),
);

screeningAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/screening/words/{wordId}',
    operationId: 'updateSensitiveWord',
    tags,
    security,
    middleware: requireStaff('catalog.review'),
    summary: 'Change a word’s category, severity, hint or enabled. Bumps the dictionary version',
    request: { params: wordId, body: jsonBody(UpdateWordInput) },
    responses: {
      200: jsonContent(WordSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await updateWord(ctxOf(c), c.req.valid('param').wordId, c.req.valid('json')), 200),
);

screeningAdminRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/screening/words/{wordId}',
    operationId: 'disableSensitiveWord',
    tags,
    security,
    middleware: requireStaff('catalog.review'),
    summary: 'Disable a word (kept, so it can be enabled again and its history stays). Bumps the dictionary version',
    request: { params: wordId },
    responses: { 200: jsonContent(WordSchema), 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] },
  }),
  async (c) => c.json(await updateWord(ctxOf(c), c.req.valid('param').wordId, { enabled: false }), 200),
);

screeningAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/screening/screen',
    operationId: 'screenText',
    tags,
    security,
    middleware: requireStaff('catalog.read'),
    summary:
      '文本检测: screen copy against the dictionary (full-/half-width, inserted symbols, 繁体, case and look-alike digits folded). start/end index the submitted text',
    request: { body: jsonBody(ScreenTextInput) },
    responses: { 200: jsonContent(ScreenResultSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await screen(ctxOf(c), c.req.valid('json').text), 200),
);
