import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireUser } from '../auth/middleware';
import { ConversationIdParam, ConversationSchema, ListMessagesQuery, MessageListSchema, RateInput } from './dto';
import { latestConversationOf, listSupportMessages, ownConversation } from './conversations.service';
import { connectLive } from './live';
import { rateConversation } from './tickets.service';

const tags = ['Customer service'];
export const supportStoreRoutes = createRouter();

supportStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/support/conversations/{conversationId}/messages',
    operationId: 'listSupportMessages',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: "The shopper's conversation and its messages after seq `after`, oldest first: the chat page polls with its last seq",
    description: "Another shopper's conversation is 404 support.conversation_not_found.",
    request: { params: ConversationIdParam, query: ListMessagesQuery },
    responses: {
      200: jsonContent(MessageListSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => c.json(await listSupportMessages(ctxOf(c), c.req.valid('param').conversationId, c.req.valid('query')), 200),
);

supportStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/support/conversations/latest',
    operationId: 'getLatestSupportConversation',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: "The shopper's latest conversation (open or closed, e.g. to rate it), or null",
    responses: {
      200: jsonContent(z.object({ conversation: ConversationSchema.nullable() })),
      401: errorResponses[401],
      403: errorResponses[403],
    },
  }),
  async (c) => c.json({ conversation: await latestConversationOf(ctxOf(c)) }, 200),
);

supportStoreRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/me/support/conversations/{conversationId}/rating',
    operationId: 'rateSupportConversation',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: '满意度: rate the closed conversation 1–5, once (the same rating again is accepted unchanged)',
    description: '409 support.not_ratable (no closed ticket yet) · support.already_rated (a different rating was given).',
    request: { params: ConversationIdParam, body: jsonBody(RateInput) },
    responses: {
      200: jsonContent(ConversationSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await rateConversation(ctxOf(c), c.req.valid('param').conversationId, c.req.valid('json').rating), 200),
);

supportStoreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/me/support/conversations/{conversationId}/live',
    operationId: 'connectSupportLive',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: 'WebSocket (Upgrade: websocket): each message stored in the conversation arrives as {"type":"message","message":…}',
    description:
      'Listen only (send with sendSupportMessage). Send "ping" to keep it open ("pong" answers). Without a socket, poll listSupportMessages.',
    request: { params: ConversationIdParam },
    responses: {
      101: { description: 'switching to WebSocket' },
      401: errorResponses[401],
      404: errorResponses[404],
      426: errorResponses[400],
    },
  }),
  async (c) => {
    const conv = await ownConversation(ctxOf(c), c.req.valid('param').conversationId);
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket')
      return c.json({ error: { code: 'support.websocket_expected', message: 'send Upgrade: websocket' } }, 426);
    return connectLive(c.env, conv.id, 'shopper', c.req.raw) as never;
  },
);
