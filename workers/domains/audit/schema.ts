import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/**
 * Every staff write through the admin API: who (staff id, role, merchant), what (method, route,
 * target ids, the request body with secrets removed), the resource before and after, the result
 * and the request id. Append-only: triggers in the migration refuse UPDATE and DELETE, and the API
 * has no route that changes an entry.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    staffId: text('staff_id').notNull(),
    staffEmail: text('staff_email').notNull().default(''),
    role: text('role').notNull(),
    merchantId: text('merchant_id'),
    /** The route's operationId (createProduct, shipOrder, …), or "METHOD /path" when it has none. */
    action: text('action').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    /** The main resource the write was about, e.g. "product" / "prd_…", from the route's path. */
    targetType: text('target_type'),
    targetId: text('target_id'),
    status: integer('status').notNull(),
    request: text('request', { mode: 'json' }).$type<unknown>(),
    before: text('before', { mode: 'json' }).$type<unknown>(),
    after: text('after', { mode: 'json' }).$type<unknown>(),
    requestId: text('request_id').notNull(),
    ip: text('ip'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('audit_log_time_idx').on(t.createdAt),
    index('audit_log_staff_idx').on(t.staffId, t.createdAt),
    index('audit_log_target_idx').on(t.targetId, t.createdAt),
    index('audit_log_action_idx').on(t.action, t.createdAt),
    index('audit_log_merchant_idx').on(t.merchantId, t.createdAt),
  ],
);
