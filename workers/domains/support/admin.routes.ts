import { createRoute, z } from '@hono/zod-openapi';
import { bearerSecurity, createRouter, ctxOf, errorResponses, jsonBody, jsonContent } from '../../shared/http';
import { requireStaff } from '../auth/middleware';
import {
  AssignTicketInput,
  CannedReplyIdParam,
  CannedReplyListSchema,
  CannedReplySchema,
  SupportReportSchema,
  CreateCannedReplyInput,
  UpdateCannedReplyInput,
  CreateFaqInput,
  EscalateTicketInput,
  FaqIdParam,
  FaqListSchema,
  FaqSchema,
  ListTicketsQuery,
  MessageSchema,
  ReplyTicketInput,
  TicketDetailSchema,
  TicketIdParam,
  TicketListSchema,
  TicketSchema,
  UpdateFaqInput,
} from './dto';
import { createFaq, listFaqs, updateFaq } from './faq.service';
import { supportReport } from './report.service';
import { createCannedReply, listCannedReplies, updateCannedReply } from './canned.service';
import {
  addTicketNote,
  assignTicket,
  closeTicket,
  escalateTicket,
  getTicket,
  listTickets,
  replyTicket,
  ticketConversationId,
} from './tickets.service';
import { connectLive } from './live';

const tags = ['Customer service admin'];
const security = bearerSecurity;
export const supportAdminRoutes = createRouter();
const err = { 400: errorResponses[400], 401: errorResponses[401], 403: errorResponses[403], 404: errorResponses[404] };

supportAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/support/tickets',
    operationId: 'listTickets',
    tags,
    security,
    middleware: requireStaff('support.handle'),
    summary: '工单队列: open tickets by priority then age (or closed ones, newest first), with SLA due times and breaches',
    request: { query: ListTicketsQuery },
    responses: { 200: jsonContent(TicketListSchema), ...err },
  }),
  async (c) => c.json(await listTickets(ctxOf(c), c.req.valid('query')), 200),
);

supportAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/support/tickets/{ticketId}',
    operationId: 'getTicket',
    tags,
    security,
    middleware: requireStaff('support.handle'),
    summary: 'A ticket and its conversation after seq `after` (the inbox polls with its last seq)',
    request: { params: TicketIdParam, query: z.object({ after: z.coerce.number().int().min(0).default(0) }) },
    responses: { 200: jsonContent(TicketDetailSchema), ...err },
  }),
  async (c) => c.json(await getTicket(ctxOf(c), c.req.valid('param').ticketId, c.req.valid('query').after), 200),
);

supportAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/support/tickets/{ticketId}/replies',
    operationId: 'replyTicket',
    tags,
    security,
    middleware: requireStaff('support.handle'),
    summary: "The agent's reply into the shopper's conversation (relayed live); stored once per clientMessageId",
    description: 'The first reply stamps the first response (SLA) and takes an unassigned ticket. 409 support.ticket_closed.',
    request: { params: TicketIdParam, body: jsonBody(ReplyTicketInput) },
    responses: {
      200: jsonContent(z.object({ message: MessageSchema, duplicate: z.boolean(), ticket: TicketSchema }).openapi('ReplyTicketResult')),
      ...err,
      409: errorResponses[409],
    },
  }),
  async (c) => c.json(await replyTicket(ctxOf(c), c.req.valid('param').ticketId, c.req.valid('json')), 200),
);

supportAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/support/tickets/{ticketId}/notes',
    operationId: 'addTicketNote',
    tags,
    security,
    middleware: requireStaff('support.handle'),
    summary: 'An internal note in the conversation (sender note): agents see it, the shopper never does; not a first response',
    request: { params: TicketIdParam, body: jsonBody(ReplyTicketInput) },
    responses: { 200: jsonContent(z.object({ message: MessageSchema, duplicate: z.boolean() }).openapi('TicketNoteResult')), ...err },
  }),
  async (c) => c.json(await addTicketNote(ctxOf(c), c.req.valid('param').ticketId, c.req.valid('json')), 200),
);

supportAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/support/tickets/{ticketId}/assign',
    operationId: 'assignTicket',
    tags,
    security,
    middleware: requireStaff('support.handle'),
    summary: 'Assign the ticket to an agent (default: me)',
    request: { params: TicketIdParam, body: jsonBody(AssignTicketInput) },
    responses: { 200: jsonContent(TicketSchema), ...err, 409: errorResponses[409] },
  }),
  async (c) => c.json(await assignTicket(ctxOf(c), c.req.valid('param').ticketId, c.req.valid('json').assigneeId), 200),
);

supportAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/support/tickets/{ticketId}/escalate',
    operationId: 'escalateTicket',
    tags,
    security,
    middleware: requireStaff('support.handle'),
    summary: '升级 to level 1 (资深客服) or 2 (主管): to the top of the queue, with the reason as an internal note',
    description:
      'Handed to assigneeId (an active support agent) or back to the queue unassigned. Idempotent: the same level again (a double ' +
      'click, two agents at once) changes nothing. 409 support.already_escalated (it is higher already), support.ticket_closed.',
    request: { params: TicketIdParam, body: jsonBody(EscalateTicketInput) },
    responses: { 200: jsonContent(TicketSchema), ...err, 409: errorResponses[409] },
  }),
  async (c) => c.json(await escalateTicket(ctxOf(c), c.req.valid('param').ticketId, c.req.valid('json')), 200),
);

supportAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/support/tickets/{ticketId}/close',
    operationId: 'closeTicket',
    tags,
    security,
    middleware: requireStaff('support.handle'),
    summary: 'Resolve the ticket and close its conversation; the shopper is then asked for a 1–5 rating (rateSupportConversation)',
    request: { params: TicketIdParam },
    responses: { 200: jsonContent(TicketSchema), ...err },
  }),
  async (c) => c.json(await closeTicket(ctxOf(c), c.req.valid('param').ticketId), 200),
);

supportAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/support/faqs',
    operationId: 'listFaqs',
    tags,
    security,
    middleware: requireStaff('support.faq'),
    summary: 'The auto-reply knowledge base, enabled first',
    responses: { 200: jsonContent(FaqListSchema), ...err },
  }),
  async (c) => c.json(await listFaqs(ctxOf(c)), 200),
);

supportAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/support/faqs',
    operationId: 'createFaq',
    tags,
    security,
    middleware: requireStaff('support.faq'),
    summary: 'Add an FAQ (question, answer, keywords shoppers use); it answers at once',
    request: { body: jsonBody(CreateFaqInput) },
    responses: { 201: jsonContent(FaqSchema, 'created'), ...err },
  }),
  async (c) => c.json(await createFaq(ctxOf(c), c.req.valid('json')), 201),
);

supportAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/support/faqs/{faqId}',
    operationId: 'updateFaq',
    tags,
    security,
    middleware: requireStaff('support.faq'),
    summary: 'Change an FAQ; enabled false takes it out of the auto-reply',
    request: { params: FaqIdParam, body: jsonBody(UpdateFaqInput) },
    responses: { 200: jsonContent(FaqSchema), ...err },
  }),
  async (c) => c.json(await updateFaq(ctxOf(c), c.req.valid('param').faqId, c.req.valid('json')), 200),
);

supportAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/support/tickets/{ticketId}/live',
    operationId: 'connectTicketLive',
    tags,
    security,
    middleware: requireStaff('support.handle'),
    summary: 'WebSocket (Upgrade: websocket) on the ticket\'s conversation: each stored message arrives as {"type":"message","message":…}',
    description: 'Listen only (reply with replyTicket). Without a socket, poll getTicket with `after`.',
    request: { params: TicketIdParam },
    responses: { 101: { description: 'switching to WebSocket' }, ...err, 426: errorResponses[400] },
  }),
  async (c) => {
    const conversationId = await ticketConversationId(ctxOf(c), c.req.valid('param').ticketId);
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket')
      return c.json({ error: { code: 'support.websocket_expected', message: 'send Upgrade: websocket' } }, 426);
    return connectLive(c.env, conversationId, 'agent', c.req.raw) as never;
  },
);

supportAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/support/canned-replies',
    operationId: 'listCannedReplies',
    tags,
    security,
    middleware: requireStaff('support.handle'),
    summary: '快捷回复: texts agents insert into a reply, enabled first',
    responses: { 200: jsonContent(CannedReplyListSchema), ...err },
  }),
  async (c) => c.json(await listCannedReplies(ctxOf(c)), 200),
);

supportAdminRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/support/canned-replies',
    operationId: 'createCannedReply',
    tags,
    security,
    middleware: requireStaff('support.faq'),
    summary: 'Add a canned reply',
    request: { body: jsonBody(CreateCannedReplyInput) },
    responses: { 201: jsonContent(CannedReplySchema, 'created'), ...err },
  }),
  async (c) => c.json(await createCannedReply(ctxOf(c), c.req.valid('json')), 201),
);

supportAdminRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/support/canned-replies/{cannedReplyId}',
    operationId: 'updateCannedReply',
    tags,
    security,
    middleware: requireStaff('support.faq'),
    summary: 'Change a canned reply; enabled false takes it out of the picker',
    request: { params: CannedReplyIdParam, body: jsonBody(UpdateCannedReplyInput) },
    responses: { 200: jsonContent(CannedReplySchema), ...err },
  }),
  async (c) => c.json(await updateCannedReply(ctxOf(c), c.req.valid('param').cannedReplyId, c.req.valid('json')), 200),
);

supportAdminRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/support/report',
    operationId: 'getSupportReport',
    tags,
    security,
    middleware: requireStaff('support.handle'),
    summary:
      '服务报表: per week auto-reply resolution rate, first-response and resolution times, CSAT, breaches; top questions and complaint reasons',
    request: { query: z.object({ weeks: z.coerce.number().int().min(1).max(12).default(4) }) },
    responses: { 200: jsonContent(SupportReportSchema), ...err },
  }),
  async (c) => c.json(await supportReport(ctxOf(c), c.req.valid('query').weeks), 200),
);
