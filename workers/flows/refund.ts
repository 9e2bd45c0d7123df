// After-sales decisions that move money or stock: review, goods received, refund execution and
// WeChat's refund results. Each step is one D1 batch of statements from the domains that own the
// rows (aftersales status, orders counters and timeline, catalog stock, payments refund), guarded
// so a repeated or concurrent step changes nothing the second time.
import type { Ctx } from '../shared/context';
import { AppError, conflict } from '../shared/errors';
import { batchFailure } from '../shared/db';
import { assertCanWriteMerchant } from '../domains/catalog/access';
import { alertStatements, stockChangeStatements } from '../domains/catalog/stock.service';
import { getOrderRow, orderLinesOf, transitionStatements } from '../domains/orders/orders.service';
import { addRefundStatements, allLinesRefunded, reverseRefundStatements, type LineRefund } from '../domains/orders/refund-lines';
import { getPaymentByCheckout, startRefund } from '../domains/payments/payments.service';
import {
  getRefund,
  markRefundResult,
  refundResultOf,
  refundsOfAfterSales,
  type RefundResultStatus,
} from '../domains/payments/refunds.service';
import { parseRefundResource, verifyNotification } from '../domains/payments/wechatpay/notification';
import {
  afterSaleForStaff,
  getAfterSaleDto,
  getAfterSaleRow,
  linesOfAfterSales,
  otherRefundingCount,
  type AfterSaleRow,
} from '../domains/aftersales/aftersales.service';
import {
  afterSaleTransition,
  approveStatements,
  exchangedStatements,
  receivedStatements,
  refundableFrom,
  refundedStatements,
  refundFailedStatements,
  refundingStatements,
  rejectStatements,
  runAfterSaleBatch,
  timelineEntry,
} from '../domains/aftersales/transitions';
import { notifyRefundResult } from '../domains/notifications/events';
import { refundDeductionStatements } from '../domains/members/points/order-deductions.service';
import type { AfterSaleDto } from '../domains/aftersales/dto';
import { clawBackReferralOnRefund } from './referral-rewards';

/** out_refund_no of an after-sale's refund: `rf_` + the after-sale id's random part (≤ 64 chars, WeChat's charset). */
export const refundNoOf = (afterSaleId: string) => `rf_${afterSaleId.slice(afterSaleId.indexOf('_') + 1)}`;

/**
 * The same context one millisecond later. The order timeline sorts by time, then by random id, so
 * a second entry written in the same batch gets a later time to keep the steps in order.
 */
const later = (ctx: Ctx): Ctx => ({ ...ctx, now: ctx.now + 1 });

async function lineRefunds(ctx: Ctx, as: AfterSaleRow): Promise<LineRefund[]> {
  return (await linesOfAfterSales(ctx, [as.id])).map((l) => ({ orderLineId: l.orderLineId, quantity: l.quantity, amount: l.amount }));
}

/**
 * Refunds an approved (refund only) or received (return) after-sale. One batch — `prelude` (the
 * caller's approval or goods-received statements) + after-sale → refunding + the order lines' and
 * order's refund counters + timeline — whose guards and CHECK constraints make it all-or-nothing:
 * a second or concurrent call fails on the status guard, and a refund beyond what was paid fails
 * on the CHECKs (409 aftersales.refund_exceeds_paid). Then WeChat is asked (startRefund, idempotent
 * on out_refund_no). Calling it again on a `refunding` after-sale only re-asks WeChat.
 */
export async function executeAfterSaleRefund(ctx: Ctx, afterSaleId: string, prelude: D1PreparedStatement[] = []): Promise<AfterSaleDto> {
  const as = await getAfterSaleRow(ctx, afterSaleId);
  if (as.type === 'exchange') throw conflict('aftersales.exchange_has_no_refund', 'an exchange moves no money');
  const order = await getOrderRow(ctx, as.orderId);
  const payment = await getPaymentByCheckout(ctx, order.checkoutId);
  if (!payment || payment.status !== 'paid') throw conflict('aftersales.not_paid', 'the order has no completed payment to refund');
  const [previous] = await refundsOfAfterSales(ctx, [as.id]);
  if (previous && (previous.status === 'closed' || previous.status === 'abnormal'))
    throw conflict(
      'aftersales.refund_needs_staff',
      `WeChat Pay reported this refund ${previous.status}; settle it in the WeChat Pay merchant platform`,
    );
  const lines = await lineRefunds(ctx, as);

  if (as.status !== 'refunding' || prelude.length > 0) {
    const at = prelude.length > 0 ? later(ctx) : ctx;
    try {
      await ctx.env.DB.batch([...prelude, ...refundingStatements(at, as), ...addRefundStatements(at, as.orderId, lines, as.refundAmount)]);
    } catch (e) {
      const kind = batchFailure(e);
      if (kind === 'check')
        throw conflict('aftersales.refund_exceeds_paid', 'the refund would exceed what was paid for these items', {
          refundAmount: as.refundAmount,
        });
      if (kind === 'guard' || kind === 'unique')
        throw conflict('aftersales.invalid_state', 'the after-sale is not in a state that can be refunded (it may be refunding already)');
      throw e;
    }
  }

  let refund;
  try {
    refund = await startRefund(ctx, {
      payment,
      orderId: as.orderId,
      amount: as.refundAmount,
      reason: `售后退款 ${as.reason}`,
      outRefundNo: refundNoOf(as.id),
      aftersaleId: as.id,
    });
  } catch (e) {
    // The payment's own bound (several orders share one payment) refused it: undo our counters.
    if (e instanceof AppError && e.code === 'payments.refund_exceeds_paid') {
      await ctx.env.DB.batch([
        ...afterSaleTransition(ctx, as, ['refunding'], refundableFrom(as)),
        ...reverseRefundStatements(ctx, as.orderId, lines, as.refundAmount),
        timelineEntry(ctx, as, { type: 'refund_failed', note: '退款金额超过支付金额，未退款' }),
      ]);
      throw conflict('aftersales.refund_exceeds_paid', 'the refund would exceed what was paid', { refundAmount: as.refundAmount });
    }
    throw e;
  }
  // WeChat may answer SUCCESS at once (small amounts to change); the later notification is then a duplicate.
  if (refund.status === 'succeeded') await applyRefundResult(ctx, refund.id, 'succeeded', refund.wxRefundId, refund.succeededAt, null);
  return getAfterSaleDto(ctx, as.id);
}

/**
 * Applies WeChat's result for one refund exactly once: the refund row (payments), the after-sale
 * (refunded, or back to approved/received for staff when WeChat closed it or could not pay), the
 * order's counters given back on failure, the timeline, and — when this refund completes a whole
 * order that never shipped — the order's close. All in one batch, deduped on the notification id
 * and guarded on the after-sale still refunding.
 */
export async function applyRefundResult(
  ctx: Ctx,
  outRefundNo: string,
  status: RefundResultStatus,
  wxRefundId: string | null,
  successTime: number | null,
  notificationId: string | null,
): Promise<'applied' | 'duplicate'> {
  const refund = await getRefund(ctx, outRefundNo);
  if (!refund) throw new AppError('payments.refund_not_found', 404, `no refund ${outRefundNo}`);
  if (!refund.aftersaleId) return markRefundResult(ctx, outRefundNo, status, wxRefundId, successTime, { notificationId });

  for (let attempt = 0; attempt < 4; attempt++) {
    const as = await getAfterSaleRow(ctx, refund.aftersaleId);
    // The after-sale side is settled already (a redelivery with a new id): record the refund alone.
    if (as.status !== 'refunding') return markRefundResult(ctx, outRefundNo, status, wxRefundId, successTime, { notificationId });
    const alsoRun: D1PreparedStatement[] = [];
    if (status === 'succeeded') {
      // The refunded units' share of points and balance goes back with the money, once.
      alsoRun.push(...refundedStatements(ctx, as), ...(await refundDeductionStatements(ctx, as.id, await lineRefunds(ctx, as))));
      const order = await getOrderRow(ctx, as.orderId);
      const lines = await orderLinesOf(ctx, [order.id]);
      if (order.status === 'paid' && allLinesRefunded(lines) && (await otherRefundingCount(ctx, order.id, as.id)) === 0)
        alsoRun.push(
          ...transitionStatements(
            later(ctx),
            order.id,
            ['paid'],
            'closed',
            { closedAt: ctx.now, closeReason: '全额退款' },
            { type: 'closed', note: '全额退款，订单关闭' },
          ),
        );
    } else {
      alsoRun.push(
        ...refundFailedStatements(ctx, as, status),
        ...reverseRefundStatements(ctx, as.orderId, await lineRefunds(ctx, as), as.refundAmount),
      );
    }
    try {
      const r = await markRefundResult(ctx, outRefundNo, status, wxRefundId, successTime, { notificationId, alsoRun });
      if (r === 'applied') {
        // A refund reaching an order that already earned a referral reward takes it back; never
        // fails the refund (a missed clawback can still be revoked by staff).
        if (status === 'succeeded')
          await clawBackReferralOnRefund(ctx, as.orderId).catch((e: unknown) =>
            ctx.log.error('referral clawback failed', { orderId: as.orderId, err: e instanceof Error ? e.message : String(e) }),
          );
        const order = await getOrderRow(ctx, as.orderId);
        // Never throws: a lost notice is a missed message, not lost money.
        await notifyRefundResult(ctx, {
          refundId: outRefundNo,
          userId: as.userId,
          orderId: as.orderId,
          orderNo: order.orderNo,
          amount: as.refundAmount,
          refundStatus: status,
        });
      }
      return r;
    } catch (e) {
      // The after-sale or the order moved on between the read and the batch: read again.
      if (batchFailure(e) !== 'guard') throw e;
    }
  }
  throw conflict('aftersales.busy', 'the after-sale is being changed by other requests; WeChat will retry');
}

/** wechatRefundNotify: verify, decrypt, check and apply a REFUND.* notification; 401 on any verification failure. */
export async function handleRefundNotification(ctx: Ctx, headers: Headers, rawBody: string): Promise<'applied' | 'duplicate' | 'ignored'> {
  const n = await verifyNotification(ctx.env, headers, rawBody, ctx.now);
  if (!n.eventType.startsWith('REFUND.')) {
    ctx.log.info('refund notification ignored', { eventType: n.eventType, id: n.id });
    return 'ignored';
  }
  const notice = parseRefundResource(n.resource);
  if (notice.mchid !== ctx.env.WECHATPAY_MCHID)
    throw new AppError('payments.notice_mismatch', 400, 'notification is for another merchant', { mchid: notice.mchid });
  const status = refundResultOf(notice.refundStatus);
  if (!status) return 'ignored';
  const refund = await getRefund(ctx, notice.outRefundNo);
  if (!refund) throw new AppError('payments.refund_not_found', 404, `no refund ${notice.outRefundNo}`);
  if (notice.amountRefund !== refund.amount)
    throw new AppError('payments.notice_mismatch', 400, `notified refund ${notice.amountRefund} ≠ our refund ${refund.amount}`);
  const result = await applyRefundResult(ctx, notice.outRefundNo, status, notice.refundId, notice.successTime ?? null, n.id);
  ctx.log.info('refund notification applied', { id: n.id, outRefundNo: notice.outRefundNo, status, result });
  return result;
}

// ---- staff actions ----------------------------------------------------------------------------

/**
 * reviewAfterSale: approve or reject a requested after-sale. Approving a refund-only request
 * refunds at once (approval and refund counters in one batch); approving a return or exchange
 * waits for the goods to come back. Merchant staff review their own merchant's requests only.
 */
export async function reviewAfterSale(
  ctx: Ctx,
  id: string,
  input: { decision: 'approve' | 'reject'; reason?: string },
): Promise<AfterSaleDto> {
  const as = await afterSaleForStaff(ctx, id);
  assertCanWriteMerchant(ctx, as.merchantId);
  if (as.status !== 'requested') throw conflict('aftersales.invalid_state', `a ${as.status} after-sale cannot be reviewed again`);
  if (input.decision === 'reject') {
    if (!input.reason)
      throw new AppError('validation.failed', 400, 'a rejection needs a reason', {
        issues: [{ path: 'reason', message: 'required when rejecting', code: 'custom' }],
      });
    await runAfterSaleBatch(ctx, rejectStatements(ctx, as, input.reason), 'reject the after-sale');
    return getAfterSaleDto(ctx, id);
  }
  if (as.type === 'refund_only') return executeAfterSaleRefund(ctx, id, approveStatements(ctx, as, input.reason));
  await runAfterSaleBatch(ctx, approveStatements(ctx, as, input.reason), 'approve the after-sale');
  return getAfterSaleDto(ctx, id);
}

/**
 * receiveReturn: the merchant has the goods back. A return puts the units back in stock (ledger
 * ref `ret:<after-sale line>`, so exactly once) and refunds, all committed with the status change;
 * an exchange is marked exchanged (the replacement's shipment is not tracked here, and stock is
 * not moved: the returned unit and its replacement cancel out). Repeating it changes nothing.
 */
export async function receiveReturn(ctx: Ctx, id: string): Promise<AfterSaleDto> {
  const as = await afterSaleForStaff(ctx, id);
  assertCanWriteMerchant(ctx, as.merchantId);
  if (as.type === 'refund_only') throw conflict('aftersales.no_return_needed', 'a refund-only after-sale has no goods to receive');
  if (as.status === 'refunding' || as.status === 'refunded' || as.status === 'exchanged') return getAfterSaleDto(ctx, id);
  if (as.status !== 'approved' && as.status !== 'returning')
    throw conflict('aftersales.invalid_state', `goods can be received for an approved return; this one is ${as.status}`);
  if (as.type === 'exchange') {
    await runAfterSaleBatch(ctx, [...receivedStatements(ctx, as), ...exchangedStatements(later(ctx), as)], 'receive the exchange');
    return getAfterSaleDto(ctx, id);
  }
  const orderLines = new Map((await orderLinesOf(ctx, [as.orderId])).map((l) => [l.id, l]));
  const stock = (await linesOfAfterSales(ctx, [as.id])).flatMap((l) => {
    const ol = orderLines.get(l.orderLineId)!;
    return [
      ...stockChangeStatements(ctx, {
        skuId: ol.skuId,
        productId: ol.productId,
        change: { delta: l.quantity },
        reason: 'return',
        ref: `ret:${l.id}`,
        note: `售后退货 ${as.id}`,
      }),
      ...alertStatements(ctx, ol.skuId),
    ];
  });
  return executeAfterSaleRefund(ctx, id, [...receivedStatements(ctx, as), ...stock]);
}
