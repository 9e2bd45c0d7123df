import { sql } from 'drizzle-orm';
import type { Match } from '../screening/matcher';
import { sqliteTable, text, integer, index, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const CONVERSATION_MODES = ['bot', 'human'] as const;
export const CONVERSATION_STATUSES = ['open', 'closed'] as const;
/** note: an agent's internal note, seen by agents only */
export const MESSAGE_SENDERS = ['shopper', 'bot', 'agent', 'note'] as const;
export type MessageSender = (typeof MESSAGE_SENDERS)[number];
export const TICKET_STATUSES = ['open', 'closed'] as const;
/** Why a conversation became a ticket: the shopper asked for a person, or the bot was not sure enough. */
export const TICKET_REASONS = ['requested', 'low_confidence'] as const;
export type TicketReason = (typeof TICKET_REASONS)[number];

/**
 * A shopper's chat with customer service. `openKey` is the shopper id while the conversation is
 * open and null once closed: its unique index is what keeps one open conversation per shopper,
 * however many start calls race.
 */
export const supportConversations = sqliteTable(
  'support_conversations',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    openKey: text('open_key'),
    /** the order the shopper asked about (checked to be theirs when the conversation started) */
    orderId: text('order_id'),
    status: text('status', { enum: CONVERSATION_STATUSES }).notNull(),
    /** bot: the auto-reply answers; human: a ticket is open and an agent answers */
    mode: text('mode', { enum: CONVERSATION_MODES }).notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    closedAt: integer('closed_at'),
  },
  (t) => [uniqueIndex('support_conversations_open_uq').on(t.openKey), index('support_conversations_user_idx').on(t.userId, t.createdAt)],
);

/**
 * Messages, the source of truth (the Durable Object only relays them). `seq` orders a
 * conversation's messages and is the polling cursor; `clientMsgId` makes a retried send land once.
 */
export const supportMessages = sqliteTable(
  'support_messages',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id').notNull(),
    seq: integer('seq').notNull(),
    sender: text('sender', { enum: MESSAGE_SENDERS }).notNull(),
    /** the agent who wrote an agent message */
    staffId: text('staff_id'),
    body: text('body').notNull(),
    clientMsgId: text('client_msg_id').notNull(),
    /** bot replies: what answered (faq id, intent) */
    source: text('source'),
    /**
     * Shopper messages: the compliance screen's verdict (warn / review / block) and its matches
     * when it found something, so the agent sees 加微信-style diversion or abuse highlighted.
     */
    screenVerdict: text('screen_verdict'),
    screenMatches: text('screen_matches', { mode: 'json' }).$type<Match[]>(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('support_messages_seq_uq').on(t.conversationId, t.seq),
    uniqueIndex('support_messages_client_uq').on(t.conversationId, t.clientMsgId),
  ],
);

/**
 * A human ticket: at most one open per conversation (partial unique index). SLA due times are
 * fixed at creation; the cron stamps `*BreachedAt` once, when a due time passes unmet.
 */
export const supportTickets = sqliteTable(
  'support_tickets',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id').notNull(),
    userId: text('user_id').notNull(),
    status: text('status', { enum: TICKET_STATUSES }).notNull(),
    reason: text('reason', { enum: TICKET_REASONS }).notNull(),
    /** higher first: member tier, order value, angry words */
    priority: integer('priority').notNull(),
    /** the shopper's question that made the ticket */
    subject: text('subject').notNull(),
    assigneeId: text('assignee_id'),
    firstResponseDueAt: integer('first_response_due_at').notNull(),
    firstResponseAt: integer('first_response_at'),
    firstResponseBreachedAt: integer('first_response_breached_at'),
    resolutionDueAt: integer('resolution_due_at').notNull(),
    resolutionBreachedAt: integer('resolution_breached_at'),
    rating: integer('rating'),
    /** 0 first line; 1 升级 to a senior agent; 2 to a supervisor (the most there is) */
    escalationLevel: integer('escalation_level').notNull().default(0),
    escalatedAt: integer('escalated_at'),
    /**
     * The one compensation (补偿券) of this ticket: the template is claimed first by a guarded
     * UPDATE (only while empty), so two agents clicking at once issue one coupon, never two.
     */
    compensationTemplateId: text('compensation_template_id'),
    compensationCouponId: text('compensation_coupon_id'),
    createdAt: integer('created_at').notNull(),
    closedAt: integer('closed_at'),
  },
  (t) => [
    uniqueIndex('support_tickets_open_uq')
      .on(t.conversationId)
      .where(sql`status = 'open'`),
    index('support_tickets_queue_idx').on(t.status, t.priority, t.createdAt),
    index('support_tickets_conversation_idx').on(t.conversationId),
  ],
);

/** FAQ knowledge base for the auto-reply. Never deleted: disabling takes it out of retrieval. */
export const supportFaqs = sqliteTable('support_faqs', {
  id: text('id').primaryKey(),
  question: text('question').notNull(),
  answer: text('answer').notNull(),
  /** extra words shoppers use for this question, comma-separated in the API, JSON here */
  keywords: text('keywords', { mode: 'json' }).$type<string[]>().notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** 快捷回复: texts agents insert into a reply. Disabled ones leave the picker, never deleted. */
export const supportCannedReplies = sqliteTable('support_canned_replies', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  body: text('body').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});
