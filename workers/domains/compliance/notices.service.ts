import { and, asc, desc, eq, inArray, lte } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { batchFailure, guard, stmt } from '../../shared/db';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { decodeCursor, olderThanCursor, toPage, type Page } from '../../shared/pagination';
import { PLATFORM_MERCHANT_ID } from '../../shared/rbac';
import { checkProductCompliance } from '../catalog/product-compliance.service';
import { correctionNotices, type NoticeStatus } from './schema';
import type { CorrectionNoticeDto } from './dto';
import { getItemRow } from './spot-checks.service';
import { assertOperator, noticeDto } from './access';

type NoticeRow = typeof correctionNotices.$inferSelect;
const ACTIVE: NoticeStatus[] = ['open', 'corrected', 'taken_down'];

/** A merchant sees and resolves only its own notices; platform staff see all. */
const merchantScope = (ctx: Ctx): string | null =>
  ctx.actor.kind === 'staff' && ctx.actor.role === 'merchant' ? ctx.actor.merchantId : null;

async function noticeRow(ctx: Ctx, id: string): Promise<NoticeRow> {
  const [n] = await ctx.db.select().from(correctionNotices).where(eq(correctionNotices.id, id)).limit(1);
  const scope = merchantScope(ctx);
  // Another merchant's notice is "not found", so ids cannot be probed.
  if (!n || (scope && n.merchantId !== scope)) throw notFound('compliance.notice_not_found', `correction notice ${id}`);
  return n;
}

const futureDeadline = (ctx: Ctx, deadlineAt: string): number => {
  const at = Date.parse(deadlineAt);
  if (!(at > ctx.now))
    throw badRequest('validation.failed', 'deadlineAt must be in the future', {
      in: 'json',
      issues: [{ path: 'deadlineAt', message: 'must be in the future', code: 'custom' }],
    });
  return at;
};

/**
 * issueCorrectionNotice (整改通知): for one item of a spot check, a reason and a deadline. One
 * unresolved notice per product (a partial unique index), so a retried issue returns the notice
 * it already created for this item; another item's unresolved notice on the product is a 409.
 */
export async function issueNotice(
  ctx: Ctx,
  spotCheckId: string,
  itemId: string,
  input: { reason: string; deadlineAt: string },
): Promise<{ notice: CorrectionNoticeDto; created: boolean }> {
  assertOperator(ctx);
  const item = await getItemRow(ctx, spotCheckId, itemId);
  const deadlineAt = futureDeadline(ctx, input.deadlineAt);
  const row: NoticeRow = {
    id: newId('ntc'),
    spotCheckId,
    itemId,
    productId: item.productId,
    merchantId: item.merchantId,
    productTitle: item.productTitle,
    reason: input.reason,
    deadlineAt,
    status: 'open',
    correctionNote: null,
    correctedAt: null,
    acceptedAt: null,
    reopenCount: 0,
    takenDownAt: null,
    takedownReason: null,
    createdBy: ctx.actor.staffId,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  try {
    await ctx.db.insert(correctionNotices).values(row);
  } catch (e) {
    if (batchFailure(e) !== 'unique') throw e;
    const [active] = await ctx.db
      .select()
      .from(correctionNotices)
      .where(and(eq(correctionNotices.productId, item.productId), inArray(correctionNotices.status, ACTIVE)))
      .limit(1);
    if (active && active.itemId === itemId) return { notice: noticeDto(ctx, active), created: false };
    throw conflict('compliance.notice_exists', 'this product already has an unresolved correction notice', {
      noticeId: active?.id ?? null,
    });
  }
  ctx.log.info('correction notice issued', { noticeId: row.id, productId: row.productId, deadlineAt });
  return { notice: noticeDto(ctx, row), created: true };
}

/** listCorrectionNotices: a merchant its own; operators all (or one merchant's). Newest first. */
export async function listNotices(
  ctx: Ctx,
  q: { limit: number; cursor?: string; status?: NoticeStatus; merchantId?: string },
): Promise<Page<CorrectionNoticeDto>> {
  const merchantId = merchantScope(ctx) ?? q.merchantId;
  const rows = await ctx.db
    .select()
    .from(correctionNotices)
    .where(
      and(
        merchantId ? eq(correctionNotices.merchantId, merchantId) : undefined,
        q.status ? eq(correctionNotices.status, q.status) : undefined,
        olderThanCursor(correctionNotices, decodeCursor(q.cursor)),
      ),
    )
    .orderBy(desc(correctionNotices.createdAt), desc(correctionNotices.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  return { items: page.items.map((n) => noticeDto(ctx, n)), nextCursor: page.nextCursor };
}

export async function getNotice(ctx: Ctx, id: string): Promise<CorrectionNoticeDto> {
  return noticeDto(ctx, await noticeRow(ctx, id));
}

/**
 * Moves a notice `from` → `to` with one guarded UPDATE (its change count decides), so a double
 * click or two people at once make one transition; repeating a transition that already happened
 * returns the notice as it is.
 */
async function transition(
  ctx: Ctx,
  n: NoticeRow,
  from: NoticeStatus[],
  to: NoticeStatus,
  set: Partial<NoticeRow>,
): Promise<CorrectionNoticeDto> {
  if (n.status === to && !from.includes(to)) return noticeDto(ctx, n);
  if (!from.includes(n.status)) throw conflict('compliance.notice_wrong_status', `the notice is ${n.status}`, { status: n.status });
  const r = await ctx.env.DB.batch([
    stmt(
      ctx.env.DB,
      ctx.db
        .update(correctionNotices)
        .set({ ...set, status: to, updatedAt: ctx.now })
        .where(and(eq(correctionNotices.id, n.id), eq(correctionNotices.status, n.status), eq(correctionNotices.updatedAt, n.updatedAt))),
    ),
  ]);
  const now = await noticeRow(ctx, n.id);
  if (!r[0]!.meta.changes) {
    if (now.status === to) return noticeDto(ctx, now);
    throw conflict('compliance.notice_wrong_status', `the notice changed meanwhile: it is ${now.status}`, { status: now.status });
  }
  return noticeDto(ctx, now);
}

/**
 * markNoticeCorrected: the merchant says it fixed the product. The product is checked again
 * (screening and required facts) and must now pass; a notice whose product was taken down can be
 * corrected too (the merchant then lists it again through review).
 * @throws 400 compliance.still_failing with the matches and missing facts, 404, 409
 */
export async function markCorrected(ctx: Ctx, id: string, input: { note: string }): Promise<CorrectionNoticeDto> {
  const n = await noticeRow(ctx, id);
  const a = ctx.actor;
  const mine = a.kind === 'staff' && (a.role === 'merchant' ? a.merchantId === n.merchantId : n.merchantId === PLATFORM_MERCHANT_ID);
  if (!mine) throw forbidden("only the product's merchant marks its notice corrected");
  if (n.status === 'corrected') return noticeDto(ctx, n);
  const check = await checkProductCompliance(ctx, n.productId);
  if (!check.passes)
    throw new AppError(
      'compliance.still_failing',
      400,
      'the product still fails the check: fix the marked terms and fill the required facts',
      {
        verdict: check.screening.verdict,
        matches: check.screening.matches,
        duplicates: check.screening.duplicates,
        missingFacts: check.missingFacts,
      },
    );
  return await transition(ctx, n, ['open', 'taken_down'], 'corrected', { correctionNote: input.note || null, correctedAt: ctx.now });
}

/** acceptCorrection (operator): the fix is good; the notice is closed. */
export async function acceptCorrection(ctx: Ctx, id: string): Promise<CorrectionNoticeDto> {
  assertOperator(ctx);
  const n = await noticeRow(ctx, id);
  return await transition(ctx, n, ['corrected'], 'accepted', { acceptedAt: ctx.now });
}

/** reopenNotice (operator): the fix is not enough; open again with a new reason and deadline. */
export async function reopenNotice(ctx: Ctx, id: string, input: { reason: string; deadlineAt: string }): Promise<CorrectionNoticeDto> {
  assertOperator(ctx);
  const n = await noticeRow(ctx, id);
  const deadlineAt = futureDeadline(ctx, input.deadlineAt);
  if (n.status === 'open' && n.deadlineAt === deadlineAt && n.reason === input.reason) return noticeDto(ctx, n); // a retry
  return await transition(ctx, n, ['corrected'], 'open', {
    reason: input.reason,
    deadlineAt,
    reopenCount: n.reopenCount + 1,
    correctedAt: null,
  });
}

/** Open notices past their deadline, oldest deadline first (the cron's work list). */
export async function dueNotices(ctx: Ctx, limit = 100): Promise<NoticeRow[]> {
  return ctx.db
    .select()
    .from(correctionNotices)
    .where(and(eq(correctionNotices.status, 'open'), lte(correctionNotices.deadlineAt, ctx.now)))
    .orderBy(asc(correctionNotices.deadlineAt))
    .limit(limit);
}

/** Why an overdue product went off sale, as its merchant reads it. */
export const takedownReasonOf = (n: Pick<NoticeRow, 'reason' | 'deadlineAt'>) =>
  `整改通知逾期未整改（期限 ${new Date(n.deadlineAt).toISOString().slice(0, 16).replace('T', ' ')} UTC）：${n.reason}`;

/**
 * For the cron's batch: a guard that the notice is still open and due (so only one of any number
 * of concurrent runs passes it — D1 runs batches one at a time), then the status change.
 */
export function takeDownStatements(ctx: Ctx, n: NoticeRow, reason: string): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  return [
    guard(d1, "SELECT status = 'open' AND deadline_at <= ?2 FROM correction_notices WHERE id = ?1", n.id, ctx.now),
    stmt(
      d1,
      ctx.db
        .update(correctionNotices)
        .set({ status: 'taken_down', takenDownAt: ctx.now, takedownReason: reason, updatedAt: ctx.now })
        .where(and(eq(correctionNotices.id, n.id), eq(correctionNotices.status, 'open'))),
    ),
  ];
}
