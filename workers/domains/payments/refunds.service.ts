// Refund results (WeChat REFUND.* notifications, or a synchronous SUCCESS): applied to our refund
// row exactly once. Callers from other domains pass their own statements to commit in the same
// batch, so "refund succeeded" and "after-sale refunded" can never disagree.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { batchFailure, guard, stmt } from '../../shared/db';
import { notFound } from '../../shared/errors';
import { paymentNotifications, payments, refunds } from './schema';

export type RefundRow = typeof refunds.$inferSelect;
export type RefundResultStatus = 'succeeded' | 'closed' | 'abnormal';

/** The WeChat event type of each result, as stored with the notification id. */
const EVENT_TYPE: Record<RefundResultStatus, string> = {
  succeeded: 'REFUND.SUCCESS',
  closed: 'REFUND.CLOSED',
  abnormal: 'REFUND.ABNORMAL',
};

export async function getRefund(ctx: Ctx, outRefundNo: string): Promise<RefundRow | null> {
  const [r] = await ctx.db.select().from(refunds).where(eq(refunds.id, outRefundNo)).limit(1);
  return r ?? null;
}

/** The refunds of these after-sales (at most one each: refunds.aftersale_id is unique). */
export async function refundsOfAfterSales(ctx: Ctx, afterSaleIds: string[]): Promise<RefundRow[]> {
  if (afterSaleIds.length === 0) return [];
  return ctx.db.select().from(refunds).where(inArray(refunds.aftersaleId, afterSaleIds));
}

/** WeChat's refund_status → ours; null for states that are not a result (PROCESSING). */
export function refundResultOf(wechatStatus: string): RefundResultStatus | null {
  if (wechatStatus === 'SUCCESS') return 'succeeded';
  if (wechatStatus === 'CLOSED') return 'closed';
  if (wechatStatus === 'ABNORMAL') return 'abnormal';
  return null;
}

/**
 * The statements that record a refund result: the notification id (a redelivery fails the batch
 * on its primary key), a guard that the refund is still open (succeeded may be confirmed again:
 * WeChat can answer SUCCESS synchronously and notify later), the update, and — for a refund that
 * failed — the payment's refunded total given back, so the money can be refunded another way.
 */
export function refundResultStatements(
  ctx: Ctx,
  refund: RefundRow,
  result: { status: RefundResultStatus; wxRefundId?: string | null; successTime?: number | null; notificationId?: string | null },
): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  const out: D1PreparedStatement[] = [];
  // payment_notifications.out_trade_no holds the out_refund_no for refund notifications.
  if (result.notificationId)
    out.push(
      stmt(
        d1,
        ctx.db
          .insert(paymentNotifications)
          .values({ id: result.notificationId, eventType: EVENT_TYPE[result.status], outTradeNo: refund.id, receivedAt: ctx.now }),
      ),
    );
  const from: RefundRow['status'][] = result.status === 'succeeded' ? ['pending', 'processing', 'succeeded'] : ['pending', 'processing'];
  out.push(
    guard(d1, `SELECT status IN (${from.map((_, i) => `?${i + 2}`).join(', ')}) FROM refunds WHERE id = ?1`, refund.id, ...from),
    stmt(
      d1,
      ctx.db
        .update(refunds)
        .set({
          status: result.status,
          wxRefundId: result.wxRefundId ?? refund.wxRefundId,
          succeededAt: result.status === 'succeeded' ? (refund.succeededAt ?? result.successTime ?? ctx.now) : null,
          updatedAt: ctx.now,
        })
        .where(and(eq(refunds.id, refund.id), inArray(refunds.status, from))),
    ),
  );
  if (result.status !== 'succeeded')
    out.push(
      stmt(
        d1,
        ctx.db
          .update(payments)
          .set({ refundedTotal: sql`${payments.refundedTotal} - ${refund.amount}`, updatedAt: ctx.now })
          .where(eq(payments.id, refund.paymentId)),
      ),
    );
  return out;
}

/**
 * Records a refund's result exactly once, together with `alsoRun` (the caller's statements for
 * its own tables). Returns 'duplicate' when this notification id was seen before or the refund
 * already has a final result (the batch then changed nothing).
 * @throws 404 payments.refund_not_found
 */
export async function markRefundResult(
  ctx: Ctx,
  outRefundNo: string,
  status: RefundResultStatus,
  wxRefundId: string | null,
  successTime: number | null,
  opts: { notificationId?: string | null; alsoRun?: D1PreparedStatement[] } = {},
): Promise<'applied' | 'duplicate'> {
  const refund = await getRefund(ctx, outRefundNo);
  if (!refund) throw notFound('payments.refund_not_found', `refund ${outRefundNo}`);
  try {
    await ctx.env.DB.batch([
      ...refundResultStatements(ctx, refund, { status, wxRefundId, successTime, notificationId: opts.notificationId }),
      ...(opts.alsoRun ?? []),
    ]);
    return 'applied';
  } catch (e) {
    const kind = batchFailure(e);
    if (kind === 'unique') return 'duplicate';
    if (kind !== 'guard') throw e;
    const now = await getRefund(ctx, outRefundNo);
    // Final already (another delivery won): remember this notification id, change nothing else.
    if (now && now.status !== 'pending' && now.status !== 'processing' && (status !== 'succeeded' || now.status !== 'succeeded')) {
      if (opts.notificationId)
        await ctx.db
          .insert(paymentNotifications)
          .values({ id: opts.notificationId, eventType: EVENT_TYPE[status], outTradeNo: outRefundNo, receivedAt: ctx.now })
          .onConflictDoNothing();
      return 'duplicate';
    }
    // The refund is open (or succeeded, being confirmed) but a caller's guard failed: let the caller decide.
    throw e;
  }
}
