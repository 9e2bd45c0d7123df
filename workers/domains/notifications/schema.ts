import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/** Every outbound shopper notification (WeChat subscribe message, SMS); id = event id, so redelivery sends once. */
export const notificationLog = sqliteTable(
  'notification_log',
  {
    id: text('id').primaryKey(),
    channel: text('channel', { enum: ['wechat_subscribe', 'sms', 'log'] }).notNull(),
    template: text('template').notNull(),
    userId: text('user_id'),
    status: text('status', { enum: ['sent', 'failed', 'skipped'] }).notNull(),
    attempts: integer('attempts').notNull().default(1),
    error: text('error'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('notification_log_user_idx').on(t.userId, t.createdAt)],
);
