import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, index, uniqueIndex, primaryKey, check } from 'drizzle-orm/sqlite-core';

/*
 * Templated messages (周期性触达): operator-defined templates, the shopper's consents and opt-outs,
 * the frequency caps / quiet hours, and one row per send with its status. Only the notifications
 * domain queries these tables; other domains call `sendMarketingMessage`.
 */

/** Keyword → text with ${var} placeholders, e.g. { thing1: '${productName}', time2: '${time}' }. */
export type FieldMapping = Record<string, string>;

/**
 * A message template for one trigger (its `key`, e.g. 'restock') and one channel. At most one
 * active template per key and channel (partial unique index), so a send knows what to render.
 */
export const messageTemplates = sqliteTable(
  'message_templates',
  {
    id: text('id').primaryKey(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    channel: text('channel', { enum: ['wechat_subscribe', 'sms'] }).notNull(),
    purpose: text('purpose', { enum: ['transactional', 'marketing'] }).notNull(),
    /** WeChat: the subscribe-message template id from the MP console (订阅消息). */
    wxTemplateId: text('wx_template_id'),
    /** WeChat: keyword → text with ${var}. */
    fields: text('fields', { mode: 'json' }).$type<FieldMapping>(),
    /** WeChat: the mini-program page opened from the message (may use ${var}). */
    page: text('page'),
    /** SMS: the signature (签名) and the gateway's template code. */
    smsSign: text('sms_sign'),
    smsTemplateCode: text('sms_template_code'),
    /** SMS: the text with ${var} (what the gateway template says; used for preview and params). */
    smsText: text('sms_text'),
    status: text('status', { enum: ['active', 'disabled'] })
      .notNull()
      .default('active'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('message_templates_active_uq')
      .on(t.key, t.channel)
      .where(sql`status = 'active'`),
    index('message_templates_wx_idx').on(t.wxTemplateId),
  ],
);

/** The operator's frequency caps and quiet hours; one row, id 'default'. */
export const messageSettings = sqliteTable('message_settings', {
  id: text('id').primaryKey(),
  dailyCap: integer('daily_cap').notNull(),
  weeklyCap: integer('weekly_cap').notNull(),
  /** Beijing hour the quiet period starts (22) and ends (8); start == end means no quiet hours. */
  quietStartHour: integer('quiet_start_hour').notNull(),
  quietEndHour: integer('quiet_end_hour').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * What a shopper turned off: 'marketing' (all marketing), 'channel:sms', 'channel:wechat_subscribe',
 * or 'kind:<key>' (one trigger, e.g. 'kind:price_drop'). Present = off.
 */
export const messageOptOuts = sqliteTable(
  'message_opt_outs',
  {
    userId: text('user_id').notNull(),
    topic: text('topic').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.topic] })],
);

/**
 * One result of `wx.requestSubscribeMessage` per template: an 'accept' is one send the shopper
 * allowed (one-time subscription), used up by the send that takes it (`sendId`).
 */
export const subscribeGrants = sqliteTable(
  'subscribe_grants',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    wxTemplateId: text('wx_template_id').notNull(),
    result: text('result', { enum: ['accept', 'reject', 'ban', 'filter'] }).notNull(),
    status: text('status', { enum: ['available', 'used', 'refused'] }).notNull(),
    /** `<Idempotency-Key>:<template id>`: a retried report records its results once. */
    ref: text('ref').notNull(),
    sendId: text('send_id'),
    createdAt: integer('created_at').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [
    uniqueIndex('subscribe_grants_ref_uq').on(t.ref),
    uniqueIndex('subscribe_grants_send_uq').on(t.sendId),
    index('subscribe_grants_user_idx').on(t.userId, t.wxTemplateId, t.status, t.createdAt),
  ],
);

export const SEND_STATUSES = ['scheduled', 'queued', 'sending', 'sent', 'skipped', 'failed', 'capped'] as const;

/**
 * Every templated send, whatever became of it. `ref` is unique (idempotency per caller's ref).
 * `day` / `week` are the Beijing date and its Monday of the (planned) delivery: the caps count the
 * marketing rows of a day / week that are going out or went out (scheduled, queued, sending, sent).
 */
export const messageSends = sqliteTable(
  'message_sends',
  {
    id: text('id').primaryKey(),
    ref: text('ref').notNull(),
    userId: text('user_id').notNull(),
    templateKey: text('template_key').notNull(),
    templateId: text('template_id'),
    channel: text('channel', { enum: ['wechat_subscribe', 'sms'] }),
    purpose: text('purpose', { enum: ['transactional', 'marketing'] }).notNull(),
    vars: text('vars', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    status: text('status', { enum: SEND_STATUSES }).notNull(),
    /** Why it was skipped, capped or failed; 'retrying: …' while a transient failure is retried. */
    reason: text('reason'),
    day: text('day').notNull(),
    week: text('week').notNull(),
    /** When it may go out (later than created_at when quiet hours deferred it). */
    dueAt: integer('due_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (t) => [
    uniqueIndex('message_sends_ref_uq').on(t.ref),
    index('message_sends_user_day_idx').on(t.userId, t.day, t.status),
    index('message_sends_user_week_idx').on(t.userId, t.week, t.status),
    index('message_sends_due_idx').on(t.status, t.dueAt),
    index('message_sends_created_idx').on(t.createdAt, t.id),
    check('message_sends_attempts_nonneg', sql`${t.attempts} >= 0`),
  ],
);
