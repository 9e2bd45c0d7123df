import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';

/** Operators, customer service and merchant staff who use the admin console. */
export const staff = sqliteTable('staff', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: ['admin', 'operator', 'support', 'merchant'] }).notNull(),
  /** Set only for role = merchant: the merchant this person works for. */
  merchantId: text('merchant_id'),
  status: text('status', { enum: ['active', 'disabled'] })
    .notNull()
    .default('active'),
  failedLogins: integer('failed_logins').notNull().default(0),
  lockedUntil: integer('locked_until'),
  createdAt: integer('created_at').notNull(),
  lastLoginAt: integer('last_login_at'),
});
