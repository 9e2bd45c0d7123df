// The local WeChat Pay sandbox's own state (development and tests only; the real WeChat keeps
// this). drizzle-kit reads this file beside the domains' schema.ts files (drizzle.config.ts).
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const wxpaySandboxTransactions = sqliteTable('wxpay_sandbox_transactions', {
  outTradeNo: text('out_trade_no').primaryKey(),
  mchid: text('mchid').notNull(),
  appid: text('appid').notNull(),
  description: text('description').notNull(),
  amountTotal: integer('amount_total').notNull(),
  payerOpenid: text('payer_openid').notNull(),
  notifyUrl: text('notify_url').notNull(),
  prepayId: text('prepay_id').notNull().unique(),
  tradeState: text('trade_state', { enum: ['NOTPAY', 'SUCCESS', 'CLOSED', 'REFUND'] })
    .notNull()
    .default('NOTPAY'),
  transactionId: text('transaction_id'),
  successTime: integer('success_time'),
  refundedTotal: integer('refunded_total').notNull().default(0),
  createdAt: integer('created_at').notNull(),
});

export const wxpaySandboxRefunds = sqliteTable('wxpay_sandbox_refunds', {
  outRefundNo: text('out_refund_no').primaryKey(),
  outTradeNo: text('out_trade_no').notNull(),
  refundId: text('refund_id').notNull().unique(),
  amountRefund: integer('amount_refund').notNull(),
  amountTotal: integer('amount_total').notNull(),
  status: text('status', { enum: ['PROCESSING', 'SUCCESS', 'ABNORMAL', 'CLOSED'] })
    .notNull()
    .default('PROCESSING'),
  notifyUrl: text('notify_url'),
  createdAt: integer('created_at').notNull(),
  successTime: integer('success_time'),
});
