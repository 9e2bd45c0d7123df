import { ScreenMatchSchema } from '../screening/dto';
import { z } from '@hono/zod-openapi';
import { MESSAGE_SENDERS, TICKET_REASONS, TICKET_STATUSES } from './schema';

const id = z.string().min(4).max(40);
const isoTime = z.string().openapi({ example: '2026-12-07T08:00:00.000Z' });

export const ConversationIdParam = z.object({ conversationId: id });
export const TicketIdParam = z.object({ ticketId: id });
export const FaqIdParam = z.object({ faqId: id });

export const StartConversationInput = z
  .object({ orderId: id.optional().openapi({ description: 'the order the shopper asks about (must be theirs); shown as the order card' }) })
  .openapi('StartSupportConversationInput');
export type StartConversationInput = z.infer<typeof StartConversationInput>;

export const ConversationSchema = z
  .object({
    id: z.string(),
    orderId: z.string().nullable(),
    status: z.enum(['open', 'closed']),
    mode: z.enum(['bot', 'human']).openapi({ description: 'bot 智能客服 answers · human 人工客服 (a ticket is open)' }),
    ticketId: z.string().nullable().openapi({ description: 'the latest ticket of this conversation, if any' }),
    rating: z.number().int().nullable().openapi({ description: 'the satisfaction rating (1–5) the shopper gave the closed ticket' }),
    createdAt: isoTime,
    closedAt: isoTime.nullable(),
  })
  .openapi('SupportConversation');
export type ConversationDto = z.infer<typeof ConversationSchema>;

export const SendMessageInput = z
  .object({
    text: z.string().trim().min(1).max(1000),
    clientMessageId: z
      .string()
      .regex(/^[\w.:-]{8,64}$/, '8–64 letters, digits or ._:-')
      .openapi({ description: 'made by the client per message and repeated on a retry: the message is stored once' }),
  })
  .openapi('SendSupportMessageInput');
export type SendMessageInput = z.infer<typeof SendMessageInput>;

export const MessageSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    seq: z.number().int().openapi({ description: 'order within the conversation; poll with after=<last seq>' }),
    sender: z.enum(MESSAGE_SENDERS).openapi({ description: 'shopper 顾客 · bot 智能客服 · agent 人工客服 · note 内部备注 (agents only)' }),
    body: z.string(),
    source: z.string().nullable().openapi({ description: 'bot replies: what answered (faq:<id>, intent:logistics, handoff, …)' }),
    screen: z
      .object({ verdict: z.enum(['warn', 'review', 'block']), matches: z.array(ScreenMatchSchema) })
      .nullable()
      .openapi({ description: "agents' views only: what the compliance screen found in a shopper's message (null: nothing)" }),
    createdAt: isoTime,
  })
  .openapi('SupportMessage');
export type MessageDto = z.infer<typeof MessageSchema>;

export const SendMessageResultSchema = z
  .object({
    message: MessageSchema,
    replies: z.array(MessageSchema).openapi({ description: 'what the auto-reply answered (empty once an agent has the conversation)' }),
    conversation: ConversationSchema,
    duplicate: z.boolean().openapi({ description: 'this clientMessageId was stored before: nothing new was stored' }),
  })
  .openapi('SendSupportMessageResult');
export type SendMessageResultDto = z.infer<typeof SendMessageResultSchema>;

export const ListMessagesQuery = z.object({
  after: z.coerce.number().int().min(0).default(0).openapi({ description: 'messages with seq greater than this (polling cursor)' }),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const MessageListSchema = z
  .object({ conversation: ConversationSchema, items: z.array(MessageSchema), lastSeq: z.number().int() })
  .openapi('SupportMessageList');

export const RateInput = z.object({ rating: z.number().int().min(1).max(5) }).openapi('RateSupportInput');

// ---- tickets (agents) ----

export const TicketSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    userId: z.string(),
    orderId: z.string().nullable(),
    status: z.enum(TICKET_STATUSES),
    reason: z.enum(TICKET_REASONS).openapi({ description: 'requested 顾客转人工 · low_confidence 机器人无法回答' }),
    priority: z.number().int().openapi({ description: 'higher first: member tier ×20, order value, angry words' }),
    subject: z.string(),
    assigneeId: z.string().nullable(),
    firstResponseDueAt: isoTime,
    firstResponseAt: isoTime.nullable(),
    firstResponseBreached: z.boolean(),
    resolutionDueAt: isoTime,
    resolutionBreached: z.boolean(),
    rating: z.number().int().nullable(),
    escalationLevel: z.number().int().openapi({ description: '0 一线 · 1 升级到资深客服 · 2 升级到主管' }),
    escalatedAt: isoTime.nullable(),
    compensationCouponId: z.string().nullable().openapi({ description: 'the 补偿券 issued for this ticket (at most one)' }),
    createdAt: isoTime,
    closedAt: isoTime.nullable(),
  })
  .openapi('SupportTicket');
export type TicketDto = z.infer<typeof TicketSchema>;

export const ListTicketsQuery = z.object({
  status: z.enum(TICKET_STATUSES).default('open'),
  mine: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .openapi({ description: 'true: only tickets assigned to me' }),
  userId: id.optional().openapi({ description: "one shopper's tickets (the inbox shows their previous ones beside the chat)" }),
  escalated: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .openapi({ description: 'true: only escalated tickets (升级工单, the senior queue)' }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const TicketListSchema = z.object({ items: z.array(TicketSchema) }).openapi('SupportTicketList');

export const TicketDetailSchema = z.object({ ticket: TicketSchema, messages: z.array(MessageSchema) }).openapi('SupportTicketDetail');

export const ReplyTicketInput = z
  .object({
    text: z.string().trim().min(1).max(2000),
    clientMessageId: SendMessageInput.shape.clientMessageId,
  })
  .openapi('ReplyTicketInput');

export const EscalateTicketInput = z
  .object({
    level: z.number().int().min(1).max(2).openapi({ description: '1 资深客服 · 2 主管; asking again for the same level changes nothing' }),
    reason: z.string().trim().min(2).max(200).openapi({ example: '顾客要求主管处理，涉及赔付' }),
    assigneeId: id.nullable().optional().openapi({ description: 'a senior agent to hand it to; omitted: back to the queue, unassigned' }),
  })
  .openapi('EscalateTicketInput');

export const CompensateTicketInput = z
  .object({
    templateId: id.openapi({ description: 'a coupon template staff may issue (定向发放 channel), capped in value' }),
    reason: z.string().trim().min(2).max(200).openapi({ example: '物流延误补偿' }),
  })
  .openapi('CompensateTicketInput');

export const TicketAfterSaleInput = z
  .object({
    type: z.enum(['refund_only', 'return_refund', 'exchange']),
    reason: z.string().trim().min(1).max(50).openapi({ example: '质量问题' }),
    description: z.string().trim().max(500).default(''),
    lines: z
      .array(z.object({ orderLineId: id, quantity: z.number().int().min(1).max(999) }))
      .min(1)
      .max(100)
      .refine((ls) => new Set(ls.map((l) => l.orderLineId)).size === ls.length, 'each order line at most once'),
  })
  .openapi('TicketAfterSaleInput');

export const AssignTicketInput = z
  .object({ assigneeId: id.nullable().optional().openapi({ description: 'a staff id; omitted: assign to me' }) })
  .openapi('AssignTicketInput');

// ---- FAQ ----

const keywords = z.array(z.string().trim().min(1).max(20)).max(20);

export const CreateFaqInput = z
  .object({
    question: z.string().trim().min(2).max(200).openapi({ example: '多久发货' }),
    answer: z.string().trim().min(1).max(2000),
    keywords: keywords.default([]).openapi({ example: ['发货时间', '什么时候发'] }),
    enabled: z.boolean().default(true),
  })
  .openapi('CreateFaqInput');
export type CreateFaqInput = z.infer<typeof CreateFaqInput>;

export const UpdateFaqInput = z
  .object({
    question: CreateFaqInput.shape.question.optional(),
    answer: CreateFaqInput.shape.answer.optional(),
    keywords: keywords.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'change at least one field')
  .openapi('UpdateFaqInput');
export type UpdateFaqInput = z.infer<typeof UpdateFaqInput>;

export const FaqSchema = z
  .object({
    id: z.string(),
    question: z.string(),
    answer: z.string(),
    keywords: z.array(z.string()),
    enabled: z.boolean(),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .openapi('SupportFaq');
export type FaqDto = z.infer<typeof FaqSchema>;

export const FaqListSchema = z.object({ items: z.array(FaqSchema) }).openapi('SupportFaqList');

// ---- canned replies ----

export const CannedReplyIdParam = z.object({ cannedReplyId: id });

export const CreateCannedReplyInput = z
  .object({
    title: z.string().trim().min(1).max(40).openapi({ example: '发货时间' }),
    body: z.string().trim().min(1).max(2000),
    enabled: z.boolean().default(true),
  })
  .openapi('CreateCannedReplyInput');

export const UpdateCannedReplyInput = z
  .object({
    title: CreateCannedReplyInput.shape.title.optional(),
    body: CreateCannedReplyInput.shape.body.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'change at least one field')
  .openapi('UpdateCannedReplyInput');

export const CannedReplySchema = z
  .object({ id: z.string(), title: z.string(), body: z.string(), enabled: z.boolean(), createdAt: isoTime, updatedAt: isoTime })
  .openapi('SupportCannedReply');
export type CannedReplyDto = z.infer<typeof CannedReplySchema>;

export const CannedReplyListSchema = z.object({ items: z.array(CannedReplySchema) }).openapi('SupportCannedReplyList');

// ---- report ----

export const SupportReportSchema = z
  .object({
    from: isoTime.openapi({ description: 'the Monday (Beijing) the first week starts' }),
    weeks: z.array(
      z.object({
        week: z.string().openapi({ description: 'its Monday, YYYY-MM-DD (Beijing)' }),
        conversations: z.number().int(),
        resolvedByBot: z.number().int().openapi({ description: 'conversations that never became a ticket' }),
        autoResolutionRate: z.number().nullable(),
        tickets: z.number().int(),
        avgFirstResponseMinutes: z.number().nullable(),
        avgResolutionMinutes: z.number().nullable(),
        csat: z.number().nullable().openapi({ description: 'average satisfaction rating 1–5' }),
        ratings: z.number().int(),
        firstResponseBreaches: z.number().int(),
        resolutionBreaches: z.number().int(),
      }),
    ),
    topQuestions: z
      .array(z.object({ source: z.string(), label: z.string(), count: z.number().int() }))
      .openapi({ description: 'what the bot answered most: intent:logistics, faq:<id> (label = its question), handoff:…' }),
    complaintReasons: z
      .array(z.object({ reason: z.string(), count: z.number().int() }))
      .openapi({ description: '物流延迟, 描述不符, … from ticket questions' }),
  })
  .openapi('SupportReport');
