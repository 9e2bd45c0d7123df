import { and, desc, eq } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { decryptPii, encryptPii, maskPhone } from '../../shared/crypto';
import { guard, iso, stmt } from '../../shared/db';
import { requireSecret } from '../../shared/env';
import { conflict, forbidden, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { decodeCursor, toPage, type Page, olderThanCursor } from '../../shared/pagination';
import { roleCan } from '../../shared/rbac';
import { mediaUrl } from '../media/media.service';
import type { ApplicationDetailDto, ApplicationListItemDto, ApplicationStatusDto, ApplyMerchantInputT } from './dto';
import { merchantApplications, type ApplicationScreeningMatch } from './schema';

export type ApplicationRow = typeof merchantApplications.$inferSelect;
export type ApplicationStatus = ApplicationRow['status'];
interface Contact {
  name: string;
  phone: string;
  email: string;
}

const notFoundApp = (id: string) => notFound('merchants.application_not_found', `merchant application ${id}`);

/** Reviewing applications is for platform admins (merchants.manage); the route checks it too. */
export function assertCanReviewApplications(ctx: Ctx): void {
  const a = ctx.actor;
  if (a.kind === 'system') return;
  if (a.kind !== 'staff' || !roleCan(a.role, 'merchants.manage')) throw forbidden('only admins review merchant applications');
}

async function sealContact(ctx: Ctx, c: Contact): Promise<string> {
  return encryptPii(requireSecret(ctx.env, 'PII_KEYS'), JSON.stringify({ name: c.name, phone: c.phone, email: c.email }));
}

async function openContact(ctx: Ctx, sealed: string): Promise<Contact> {
  return JSON.parse(await decryptPii(requireSecret(ctx.env, 'PII_KEYS'), sealed)) as Contact;
}

export async function getApplicationRow(ctx: Ctx, id: string): Promise<ApplicationRow> {
  const [row] = await ctx.db.select().from(merchantApplications).where(eq(merchantApplications.id, id)).limit(1);
  if (!row) throw notFoundApp(id);
  return row;
}

/** True when a pending application already asks for this (lower-case) login email. */
export async function pendingApplicationWithEmail(ctx: Ctx, email: string): Promise<boolean> {
  const [row] = await ctx.db
    .select({ id: merchantApplications.id })
    .from(merchantApplications)
    .where(and(eq(merchantApplications.email, email), eq(merchantApplications.status, 'pending')))
    .limit(1);
  return !!row;
}

/**
 * The new application row (contact sealed) and the statements that insert it: a guard that no
 * other pending application claims the same login email (so two simultaneous applies with one
 * email leave one row), then the INSERT. The caller has validated category, licence and email.
 */
export async function applicationInsertStatements(
  ctx: Ctx,
  input: Omit<ApplyMerchantInputT, 'password'> & { passwordHash: string },
  screening: { verdict: 'pass' | 'warn' | 'review'; matches: ApplicationScreeningMatch[] } | null = null,
): Promise<{ id: string; statements: D1PreparedStatement[] }> {
  const id = newId('mapp');
  const row: ApplicationRow = {
    id,
    companyName: input.companyName,
    creditCode: input.creditCode,
    shopName: input.shopName,
    categoryId: input.categoryId,
    description: input.description,
    contactEnc: await sealContact(ctx, input.contact),
    email: input.email,
    passwordHash: input.passwordHash,
    licenceMediaKey: input.licenceMediaKey,
    status: 'pending',
    reviewReason: null,
    reviewedBy: null,
    reviewedAt: null,
    merchantId: null,
    staffId: null,
    commissionBps: null,
    screeningVerdict: screening?.verdict ?? null,
    screeningMatches: screening?.matches ?? null,
    createdAt: ctx.now,
  };
  const d1 = ctx.env.DB;
  return {
    id,
    statements: [
      guard(d1, "NOT EXISTS (SELECT 1 FROM merchant_applications WHERE email = ? AND status = 'pending')", input.email),
      stmt(d1, ctx.db.insert(merchantApplications).values(row)),
    ],
  };
}

/**
 * getMerchantApplicationStatus: what the applicant may see without an account — status and the
 * rejection reason — only when the email matches the application's login or contact email.
 * A wrong email is "not found", so ids cannot be probed.
 */
export async function getApplicationStatus(ctx: Ctx, id: string, email: string): Promise<ApplicationStatusDto> {
  const [row] = await ctx.db.select().from(merchantApplications).where(eq(merchantApplications.id, id)).limit(1);
  if (!row) throw notFoundApp(id);
  let matches = row.email === email;
  if (!matches) matches = (await openContact(ctx, row.contactEnc)).email === email;
  if (!matches) throw notFoundApp(id);
  return {
    id: row.id,
    status: row.status,
    reason: row.status === 'rejected' ? row.reviewReason : null,
    createdAt: iso(row.createdAt)!,
    reviewedAt: iso(row.reviewedAt),
  };
}

const baseDto = (r: ApplicationRow) => ({
  id: r.id,
  companyName: r.companyName,
  creditCode: r.creditCode,
  shopName: r.shopName,
  categoryId: r.categoryId,
  description: r.description,
  email: r.email,
  status: r.status,
  reviewReason: r.reviewReason,
  reviewedBy: r.reviewedBy,
  reviewedAt: iso(r.reviewedAt),
  merchantId: r.merchantId,
  staffId: r.staffId,
  commissionBps: r.commissionBps,
  screening: r.screeningVerdict ? { verdict: r.screeningVerdict, matches: r.screeningMatches ?? [] } : null,
  createdAt: iso(r.createdAt)!,
});

/** The full application for the reviewer: contact decrypted, licence image URL. */
export async function toApplicationDetail(ctx: Ctx, r: ApplicationRow): Promise<ApplicationDetailDto> {
  return {
    ...baseDto(r),
    contact: await openContact(ctx, r.contactEnc),
    licenceMediaKey: r.licenceMediaKey,
    licenceUrl: mediaUrl(ctx.env, r.licenceMediaKey),
  };
}

/** getMerchantApplication (admin). */
export async function getApplication(ctx: Ctx, id: string): Promise<ApplicationDetailDto> {
  assertCanReviewApplications(ctx);
  return toApplicationDetail(ctx, await getApplicationRow(ctx, id));
}

/** listMerchantApplications (admin): newest first, keyset pages, contact phone masked. */
export async function listApplications(
  ctx: Ctx,
  q: { limit: number; cursor?: string; status?: ApplicationStatus },
): Promise<Page<ApplicationListItemDto>> {
  assertCanReviewApplications(ctx);
  const cur = decodeCursor(q.cursor);
  const t = merchantApplications;
  const rows = await ctx.db
    .select()
    .from(t)
    .where(and(q.status ? eq(t.status, q.status) : undefined, olderThanCursor(t, cur)))
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  const items = await Promise.all(
    page.items.map(async (r) => {
      const c = await openContact(ctx, r.contactEnc);
      return { ...baseDto(r), contact: { ...c, phone: maskPhone(c.phone) } };
    }),
  );
  return { items, nextCursor: page.nextCursor };
}

/**
 * The approval's part of the onboarding batch: a guard that the application is still pending
 * (so of concurrent approvals exactly one batch commits) and the UPDATE recording the outcome.
 */
export function approvalStatements(
  ctx: Ctx,
  id: string,
  outcome: { merchantId: string; staffId: string; commissionBps: number; note?: string },
): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  const reviewer = ctx.actor.kind === 'staff' ? ctx.actor.staffId : ctx.actor.kind === 'system' ? ctx.actor.name : null;
  return [
    guard(d1, "EXISTS (SELECT 1 FROM merchant_applications WHERE id = ? AND status = 'pending')", id),
    stmt(
      d1,
      ctx.db
        .update(merchantApplications)
        .set({
          status: 'approved',
          reviewReason: outcome.note ?? null,
          reviewedBy: reviewer,
          reviewedAt: ctx.now,
          merchantId: outcome.merchantId,
          staffId: outcome.staffId,
          commissionBps: outcome.commissionBps,
        })
        .where(and(eq(merchantApplications.id, id), eq(merchantApplications.status, 'pending'))),
    ),
  ];
}

/** 409 for an application that was already decided. */
export const notPending = (r: Pick<ApplicationRow, 'id' | 'status'>) =>
  conflict('merchants.application_not_pending', `application ${r.id} is already ${r.status}`, { status: r.status });

/** rejectMerchantApplication: a pending application is refused with a reason the applicant sees. */
export async function rejectApplication(ctx: Ctx, id: string, input: { reason: string }): Promise<ApplicationDetailDto> {
  assertCanReviewApplications(ctx);
  const cur = await getApplicationRow(ctx, id);
  if (cur.status !== 'pending') throw notPending(cur);
  const reviewedBy = ctx.actor.kind === 'staff' ? ctx.actor.staffId : null;
  const res = await ctx.db
    .update(merchantApplications)
    .set({ status: 'rejected', reviewReason: input.reason, reviewedBy, reviewedAt: ctx.now })
    .where(and(eq(merchantApplications.id, id), eq(merchantApplications.status, 'pending')));
  if (res.meta.changes !== 1) throw notPending(await getApplicationRow(ctx, id));
  ctx.log.info('merchant application rejected', { applicationId: id });
  return toApplicationDetail(ctx, { ...cur, status: 'rejected', reviewReason: input.reason, reviewedBy, reviewedAt: ctx.now });
}
