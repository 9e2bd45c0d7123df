import { createRoute } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent, optionalJsonBody } from '../shared/http';
import { requireUser } from '../domains/auth/middleware';
import {
  ConversationIdParam,
  ConversationSchema,
  SendMessageInput,
  SendMessageResultSchema,
  StartConversationInput,
} from '../domains/support/dto';
import { sendSupportMessage, startSupportConversation } from './support-chat';

const tags = ['Customer service'];
export const supportChatRoutes = createRouter();

supportChatRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/me/support/conversations',
    operationId: 'startSupportConversation',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: "客服: open (or resume) the shopper's conversation, optionally about one of their orders",
    description:
      'One open conversation per shopper: a repeat — also a concurrent one — answers 200 with the same conversation. An orderId ' +
      "that is not the shopper's is 404 orders.not_found; given on a resumed conversation it becomes its order card.",
    request: { body: optionalJsonBody(StartConversationInput) },
    responses: {
      201: jsonContent(ConversationSchema, 'started'),
      200: jsonContent(ConversationSchema, 'the open conversation, resumed'),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
    },
  }),
  async (c) => {
    const r = await startSupportConversation(ctxOf(c), c.req.valid('json') ?? {});
    return r.created ? c.json(r.conversation, 201) : c.json(r.conversation, 200);
  },
);

supportChatRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/me/support/conversations/{conversationId}/messages',
    operationId: 'sendSupportMessage',
    tags,
    security: bearerSecurity,
    middleware: requireUser,
    summary: 'Send a message; the 7×24 auto-reply answers (tracking, after-sales, coupons and points, the FAQ) or hands over to a person',
    description:
      'Stored once per clientMessageId: a retry answers the first message and reply with duplicate true. Below the confidence ' +
      'threshold, or on 转人工, the conversation becomes a ticket (mode human) and agents answer. 409 support.conversation_closed.',
    request: { params: ConversationIdParam, body: jsonBody(SendMessageInput) },
    responses: {
      200: jsonContent(SendMessageResultSchema),
      400: errorResponses[400],
      401: errorResponses[401],
      403: errorResponses[403],
      404: errorResponses[404],
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await sendSupportMessage(ctxOf(c), c.req.valid('param').conversationId, c.req.valid('json')), 200),
);
