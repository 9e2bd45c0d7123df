import { z } from '@hono/zod-openapi';
import { pageQuery } from '../../shared/pagination';
import { STAFF_ROLES } from '../../shared/rbac';

const isoTime = z.string().openapi({ description: 'ISO-8601 UTC' });
const isoInput = z.iso.datetime({ offset: true }).openapi({ description: 'ISO-8601, e.g. 2026-11-25T00:00:00Z' });

export const AuditEntrySchema = z
  .object({
    id: z.string(),
    staffId: z.string(),
    staffEmail: z.string(),
    role: z.enum(STAFF_ROLES),
    merchantId: z.string().nullable(),
    action: z.string().openapi({ description: 'the operationId of the route (createProduct, updateStaff, …) or "METHOD /path"' }),
    method: z.string(),
    path: z.string(),
    targetType: z.string().nullable().openapi({ example: 'product' }),
    targetId: z.string().nullable().openapi({ example: 'prd_8k2m…' }),
    status: z.number().int(),
    request: z.unknown().openapi({ description: 'the JSON body with secrets removed (capped at 8 KB)' }),
    before: z.unknown().openapi({ description: 'the resource as its GET route returned it before the write (when there is one)' }),
    after: z.unknown().openapi({ description: 'the JSON response (capped at 8 KB)' }),
    requestId: z.string(),
    ip: z.string().nullable(),
    createdAt: isoTime,
  })
  .openapi('AuditEntry');
export type AuditEntryDto = z.infer<typeof AuditEntrySchema>;

export const ListAuditLogQuery = z
  .object({
    ...pageQuery,
    staffId: z.string().max(40).optional(),
    action: z.string().max(80).optional(),
    targetId: z.string().max(64).optional(),
    merchantId: z.string().max(40).optional(),
    from: isoInput.optional().openapi({ description: 'entries at or after this time' }),
    to: isoInput.optional().openapi({ description: 'entries before this time' }),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) > Date.parse(q.from), { path: ['to'], message: 'must be after from' });
export type ListAuditLogQuery = z.infer<typeof ListAuditLogQuery>;

export const AuditIdParam = z.object({ id: z.string().min(4).max(40) });
