import { and, desc, eq, gte, lt } from 'drizzle-orm';
import type { Ctx, StaffActor } from '../../shared/context';
import { iso } from '../../shared/db';
import { AppError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { decodeCursor, toPage, type Page, olderThanCursor } from '../../shared/pagination';
import type { StaffRole } from '../../shared/rbac';
import { getStaff } from '../staff/staff.service';
import { auditLog } from './schema';
import type { AuditEntryDto, ListAuditLogQuery } from './dto';

type AuditRow = typeof auditLog.$inferSelect;

/** Bodies and responses are stored up to this many characters of JSON; bigger ones keep a preview. */
export const AUDIT_JSON_CAP = 8 * 1024;

// Keys whose values never reach the audit log: credentials, and personal data that is encrypted
// at rest everywhere else (phones, ID numbers, addresses).
const SECRET_KEY =
  /password|passwd|passphrase|secret|^(access|refresh|id|session|flash|api|sale|auth)?_?token$|^authorization$|^cookie$|api_?key|private_?key|^otp$|^pin$/i;
const PII_KEY = /phone|mobile|^tel$|id_?card|id_?number|real_?name|^contact$|^address(detail|_detail|Line\d?)?$/i;
export const REDACTED = '[redacted]';

/**
 * A copy of `value` with secret and personal fields replaced by "[redacted]", at any depth.
 * `code` is a secret too on auth routes (WeChat login codes, one-time codes).
 */
export function redact(value: unknown, opts: { codeIsSecret?: boolean } = {}, depth = 0): unknown {
  if (depth > 20) return REDACTED;
  if (Array.isArray(value)) return value.map((v) => redact(v, opts, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (SECRET_KEY.test(k) || PII_KEY.test(k) || (opts.codeIsSecret && k === 'code')) out[k] = REDACTED;
      else out[k] = redact(v, opts, depth + 1);
    }
    return out;
  }
  return value;
}

/** `value` if its JSON fits in AUDIT_JSON_CAP, otherwise a marker with its size and a preview. */
export function capJson(value: unknown): unknown {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  if (text === undefined || text.length <= AUDIT_JSON_CAP) return value ?? null;
  return { truncated: true, chars: text.length, preview: text.slice(0, AUDIT_JSON_CAP / 2) };
}

export interface AuditRecord {
  actor: StaffActor;
  action: string;
  method: string;
  path: string;
  targetType: string | null;
  targetId: string | null;
  status: number;
  request: unknown;
  before: unknown;
  after: unknown;
  requestId: string;
  ip: string | null;
}

// Staff emails never change, so each isolate remembers them instead of reading staff per write.
const emailCache = new Map<string, string>();

async function staffEmail(ctx: Ctx, staffId: string): Promise<string> {
  const hit = emailCache.get(staffId);
  if (hit !== undefined) return hit;
  try {
    const email = (await getStaff(ctx, staffId)).email;
    if (emailCache.size > 5000) emailCache.clear();
    emailCache.set(staffId, email);
    return email;
  } catch {
    return '';
  }
}

/** Appends one audit entry (secrets removed, JSON capped). Returns its id. */
export async function recordAudit(ctx: Ctx, r: AuditRecord): Promise<string> {
  const codeIsSecret = r.path.includes('/auth/');
  const id = newId('aud');
  await ctx.db.insert(auditLog).values({
    id,
    staffId: r.actor.staffId,
    staffEmail: await staffEmail(ctx, r.actor.staffId),
    role: r.actor.role,
    merchantId: r.actor.merchantId,
    action: r.action.slice(0, 120),
    method: r.method,
    path: r.path.slice(0, 500),
    targetType: r.targetType,
    targetId: r.targetId?.slice(0, 64) ?? null,
    status: r.status,
    request: capJson(redact(r.request, { codeIsSecret })),
    before: capJson(redact(r.before, { codeIsSecret })),
    after: capJson(redact(r.after, { codeIsSecret })),
    requestId: r.requestId,
    ip: r.ip,
    createdAt: ctx.now,
  });
  return id;
}

const toDto = (r: AuditRow): AuditEntryDto => ({
  id: r.id,
  staffId: r.staffId,
  staffEmail: r.staffEmail,
  role: r.role as StaffRole,
  merchantId: r.merchantId,
  action: r.action,
  method: r.method,
  path: r.path,
  targetType: r.targetType,
  targetId: r.targetId,
  status: r.status,
  request: r.request ?? null,
  before: r.before ?? null,
  after: r.after ?? null,
  requestId: r.requestId,
  ip: r.ip,
  createdAt: iso(r.createdAt)!,
});

/** listAuditLog: newest first, filtered by who, what, which target, which merchant and when. */
export async function listAuditLog(ctx: Ctx, q: ListAuditLogQuery): Promise<Page<AuditEntryDto>> {
  const cur = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(auditLog)
    .where(
      and(
        q.staffId ? eq(auditLog.staffId, q.staffId) : undefined,
        q.action ? eq(auditLog.action, q.action) : undefined,
        q.targetId ? eq(auditLog.targetId, q.targetId) : undefined,
        q.merchantId ? eq(auditLog.merchantId, q.merchantId) : undefined,
        q.from ? gte(auditLog.createdAt, Date.parse(q.from)) : undefined,
        q.to ? lt(auditLog.createdAt, Date.parse(q.to)) : undefined,
        olderThanCursor(auditLog, cur),
      ),
    )
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  return { items: page.items.map(toDto), nextCursor: page.nextCursor };
}

/** getAuditEntry: one entry by id. */
export async function getAuditEntry(ctx: Ctx, id: string): Promise<AuditEntryDto> {
  const [row] = await ctx.db.select().from(auditLog).where(eq(auditLog.id, id)).limit(1);
  if (!row) throw new AppError('audit.entry_not_found', 404, 'audit entry not found');
  return toDto(row);
}
