import { and, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { AppError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { batchFailure, stmt } from '../../shared/db';
import { paymentNotifications, payments, refunds } from './schema';
import { createWechatPayClient } from './wechatpay/client';
import type { TransactionNotice } from './wechatpay/notification';

export type PaymentRow = typeof payments.$inferSelect;

/** Where WeChat posts payment and refund results. */
export const notifyUrl = (ctx: Ctx, kind: 'payment' | 'refund') =>
  `${(ctx.env.PUBLIC_BASE_URL ?? 'http://localhost:8787').replace(/\/+$/, '')}/store/v1/payments/wechat/${kind === 'payment' ? 'notify' : 'refund-notify'}`;

export async function getPaymentByCheckout(ctx: Ctx, checkoutId: string): Promise<PaymentRow | null> {
  const [p] = await ctx.db.select().from(payments).where(eq(payments.checkoutId, checkoutId)).limit(1);
  return p ?? null;
}

export async function getPaymentByOutTradeNo(ctx: Ctx, outTradeNo: string): Promise<PaymentRow | null> {
  const [p] = await ctx.db.select().from(payments).where(eq(payments.outTradeNo, outTradeNo)).limit(1);
  return p ?? null;
}

/**
 * A WeChat prepay for the checkout, created once and reused while valid (a shopper tapping
 * "pay" twice gets the same prepay_id, never a second transaction).
 */
export async function ensurePrepay(
  ctx: Ctx,
  input: { checkoutId: string; userId: string; amount: number; description: string; payerOpenid: string; expiresAt: number },
): Promise<{
  payment: PaymentRow;
  prepayId: string;
  params: Awaited<ReturnType<ReturnType<typeof createWechatPayClient>['paymentParams']>>;
}> {
  const client = createWechatPayClient(ctx.env);
  await ctx.db
    .insert(payments)
    .values({
      id: newId('pay'),
      checkoutId: input.checkoutId,
      userId: input.userId,
      outTradeNo: input.checkoutId,
      amount: input.amount,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .onConflictDoNothing();
  let payment = (await getPaymentByCheckout(ctx, input.checkoutId))!;
  if (payment.status === 'paid') throw new AppError('payments.already_paid', 409, 'this order is already paid');
  if (payment.status === 'closed') throw new AppError('payments.closed', 409, 'this order was closed; order again');
  if (!payment.prepayId || (payment.prepayExpiresAt ?? 0) <= ctx.now + 60_000) {
    const appid = ctx.env.WECHAT_APP_ID;
    if (!appid) throw new AppError('payments.not_configured', 503, 'WeChat Pay is not configured: set WECHAT_APP_ID');
    // WeChat itself refuses payment after the order's expiry, so a late payment cannot race the close.
    const { prepayId } = await client.prepayJsapi({
      appid,
      description: input.description.slice(0, 120),
      outTradeNo: payment.outTradeNo,
      notifyUrl: notifyUrl(ctx, 'payment'),
      amountTotal: payment.amount,
      payerOpenid: input.payerOpenid,
      timeExpire: input.expiresAt,
    });
    // prepay_id lives 2 hours at WeChat; our order expires sooner.
    await ctx.db
      .update(payments)
      .set({ prepayId, prepayExpiresAt: Math.min(ctx.now + 2 * 3600_000, input.expiresAt), status: 'prepaid', updatedAt: ctx.now })
      .where(eq(payments.id, payment.id));
    payment = (await getPaymentByCheckout(ctx, input.checkoutId))!;
  }
  return { payment, prepayId: payment.prepayId!, params: await client.paymentParams(ctx.env.WECHAT_APP_ID!, payment.prepayId!) };
}

/**
 * Statements that record a successful payment exactly once: the notification id row (a duplicate
 * delivery fails the batch on its primary key) and the payment update guarded on not yet paid.
 */
export function paymentSucceededStatements(
  ctx: Ctx,
  payment: PaymentRow,
  notice: TransactionNotice,
  notificationId: string,
): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  return [
    stmt(
      d1,
      ctx.db
        .insert(paymentNotifications)
        .values({ id: notificationId, eventType: 'TRANSACTION.SUCCESS', outTradeNo: notice.outTradeNo, receivedAt: ctx.now }),
    ),
    stmt(
      d1,
      ctx.db
        .update(payments)
        .set({
          status: 'paid',
          transactionId: notice.transactionId,
          payerOpenid: notice.payerOpenid ?? null,
          paidAt: notice.successTime ?? ctx.now,
          updatedAt: ctx.now,
        })
        .where(and(eq(payments.id, payment.id), inArray(payments.status, ['created', 'prepaid', 'closed']))),
    ),
  ];
}

/** Checks a success notice against our payment: same merchant, same amount. */
export function assertNoticeMatches(ctx: Ctx, payment: PaymentRow, notice: TransactionNotice): void {
  if (notice.mchid !== ctx.env.WECHATPAY_MCHID)
    throw new AppError('payments.notice_mismatch', 400, 'notification is for another merchant', { mchid: notice.mchid });
  if (notice.amountTotal !== payment.amount)
    throw new AppError('payments.notice_mismatch', 400, `notified amount ${notice.amountTotal} ≠ order amount ${payment.amount}`);
  if (notice.tradeState !== 'SUCCESS')
    throw new AppError('payments.notice_mismatch', 400, `trade state ${notice.tradeState} is not SUCCESS`);
}

export async function markPaymentClosed(ctx: Ctx, paymentId: string): Promise<void> {
  await ctx.db
    .update(payments)
    .set({ status: 'closed', updatedAt: ctx.now })
    .where(and(eq(payments.id, paymentId), inArray(payments.status, ['created', 'prepaid'])));
}

/** Prepaid payments older than `olderThanMs` whose notification has not arrived: candidates for a query. */
export async function stalePrepaidPayments(ctx: Ctx, olderThanMs: number): Promise<PaymentRow[]> {
  return ctx.db
    .select()
    .from(payments)
    .where(and(eq(payments.status, 'prepaid'), lte(payments.updatedAt, ctx.now - olderThanMs)))
    .limit(100);
}

export { createWechatPayClient };

/**
 * Refunds (part of) a paid payment at WeChat. `outRefundNo` is our idempotency key: the same one
 * again returns the existing refund instead of refunding twice. The refunded total is bounded by
 * the payment amount in SQL (CHECK), so concurrent refunds cannot exceed what was paid.
 */
export async function startRefund(
  ctx: Ctx,
  input: { payment: PaymentRow; orderId: string; amount: number; reason: string; outRefundNo: string; aftersaleId?: string | null },
): Promise<typeof refunds.$inferSelect> {
  const [existing] = await ctx.db.select().from(refunds).where(eq(refunds.id, input.outRefundNo)).limit(1);
  if (existing) return existing;
  const d1 = ctx.env.DB;
  try {
    await d1.batch([
      stmt(
        d1,
        ctx.db.insert(refunds).values({
          id: input.outRefundNo,
          paymentId: input.payment.id,
          orderId: input.orderId,
          aftersaleId: input.aftersaleId ?? null,
          amount: input.amount,
          reason: input.reason,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        }),
      ),
      stmt(
        d1,
        ctx.db
          .update(payments)
          .set({ refundedTotal: sql`${payments.refundedTotal} + ${input.amount}`, updatedAt: ctx.now })
          .where(eq(payments.id, input.payment.id)),
      ),
    ]);
  } catch (e) {
    const kind = batchFailure(e);
    if (kind === 'check') throw new AppError('payments.refund_exceeds_paid', 409, 'the refund would exceed what was paid');
    if (kind === 'unique') {
      const [again] = await ctx.db.select().from(refunds).where(eq(refunds.id, input.outRefundNo)).limit(1);
      if (again) return again;
    }
    throw e;
  }
  const client = createWechatPayClient(ctx.env);
  try {
    const r = await client.refund({
      outTradeNo: input.payment.outTradeNo,
      outRefundNo: input.outRefundNo,
      reason: input.reason.slice(0, 80),
      notifyUrl: notifyUrl(ctx, 'refund'),
      refund: input.amount,
      total: input.payment.amount,
    });
    await ctx.db
      .update(refunds)
      .set({
        status: r.status === 'SUCCESS' ? 'succeeded' : 'processing',
        wxRefundId: r.refundId,
        succeededAt: r.status === 'SUCCESS' ? (r.successTime ?? ctx.now) : null,
        updatedAt: ctx.now,
      })
      .where(eq(refunds.id, input.outRefundNo));
  } catch (e) {
    // Stays pending: the reconcile sweep retries with the same out_refund_no, which WeChat dedupes.
    ctx.log.error('refund request failed; will retry', { refundId: input.outRefundNo, err: e instanceof Error ? e.message : String(e) });
  }
  const [row] = await ctx.db.select().from(refunds).where(eq(refunds.id, input.outRefundNo)).limit(1);
  return row!;
}
