import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../../shared/http';
import { requiredIdempotencyHeader } from '../../../shared/idempotency';
import { requireUser } from '../../auth/middleware';
import { MyMessageSettingsSchema, SubscribeResultsInput, SubscribeResultsSchema, UpdateMyMessageSettingsInput } from './dto';
import { getMyMessageSettings, recordSubscribeResults, updateMyMessageSettings } from './preferences.service';

const tags = ['Messages'];
const security = bearerSecurity;

export const messagesStoreRoutes = createRouter();

messagesStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/message-settings',
    operationId: 'getMyMessageSettings',
    tags,
    security,
    middleware: requireUser,
    summary: '消息设置: the shopper’s switches (all marketing, per channel, per kind) and the subscribe messages to ask for',
    responses: { 200: jsonContent(MyMessageSettingsSchema), 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await getMyMessageSettings(ctxOf(c)), 200),
);

messagesStoreRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/me/message-settings',
    operationId: 'updateMyMessageSettings',
    tags,
    security,
    middleware: requireUser,
    summary: 'Switch marketing messages, a channel or a kind on or off (unsubscribe); service messages are not affected',
    request: { body: jsonBody(UpdateMyMessageSettingsInput) },
    responses: { 200: jsonContent(MyMessageSettingsSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await updateMyMessageSettings(ctxOf(c), c.req.valid('json')), 200),
);

messagesStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/me/subscribe-results',
    operationId: 'recordSubscribeResults',
    tags,
    security,
    middleware: requireUser,
    summary: 'Record what wx.requestSubscribeMessage answered: each accept allows one subscribe message of that template',
    description: 'Idempotent on the Idempotency-Key: a retried report records nothing more.',
    request: { headers: requiredIdempotencyHeader, body: jsonBody(SubscribeResultsInput) },
    responses: { 200: jsonContent(SubscribeResultsSchema), 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403] },
  }),
  async (c) => c.json(await recordSubscribeResults(ctxOf(c), c.req.valid('json'), c.req.valid('header')['idempotency-key']), 200),
);
