import { releasePromotionStatements } from '../domains/promotions/order-hooks';
import { releaseCheckoutDeductionStatements } from '../domains/members/points/order-deductions.service';
import { type Ctx, requireShopper, shopperId } from '../shared/context';
import { AppError, conflict } from '../shared/errors';
import { batchFailure } from '../shared/db';
import { isSandbox } from '../shared/env';
import {
  checkoutPaidStatements,
  closeCheckout,
  expiredPendingCheckoutIds,
  getCheckout,
  getVisibleOrder,
  orderLinesOf,
  ordersOfCheckout,
  transitionStatements,
} from '../domains/orders/orders.service';
import { orderEventStatement } from '../domains/orders/order-events';
import {
  assertNoticeMatches,
  createWechatPayClient,
  ensurePrepay,
  getPaymentByCheckout,
  getPaymentByOutTradeNo,
  markPaymentClosed,
  paymentSucceededStatements,
  stalePrepaidPayments,
  startRefund,
} from '../domains/payments/payments.service';
import { parseTransactionResource, verifyNotification, type TransactionNotice } from '../domains/payments/wechatpay/notification';
import { getUserOpenid } from '../domains/users/users.service';
import { notifyOrderPaid } from '../domains/notifications/events';
import { confirmHolds, releaseHolds } from './stock-holds';
import { releaseMallExchangeStatements } from '../domains/members/mall/exchange.service';

/**
 * payOrder: WeChat JSAPI payment parameters for the checkout the order belongs to (one payment
 * covers every merchant's order of one checkout). Calling it again reuses the prepay.
 */
export async function payOrder(ctx: Ctx, orderId: string) {
  const userId = shopperId(ctx, 'only the shopper pays');
  const order = await getVisibleOrder(ctx, orderId);
  if (order.status !== 'pending_payment') throw conflict('orders.not_payable', `the order is ${order.status}`);
  const checkout = await getCheckout(ctx, order.checkoutId);
  if (checkout.expiresAt <= ctx.now) {
    await closeUnpaidCheckout(ctx, checkout.id, 'closed', '超时未支付');
    throw conflict('orders.expired', 'the payment time ran out and the order was closed; order again');
  }
  let openid = await getUserOpenid(ctx, userId);
  if (!openid) {
    // Phone-only H5 shoppers have no openid; only the sandbox can stand in for WeChat there.
    if (!isSandbox(ctx.env)) throw conflict('payments.wechat_login_required', 'sign in with WeChat to pay with WeChat Pay');
    openid = `sbx_h5_${userId}`;
  }
  const lines = await orderLinesOf(
    ctx,
    (await ordersOfCheckout(ctx, checkout.id)).map((o) => o.id),
  );
  const description = lines.length > 1 ? `${lines[0]!.title} 等${lines.length}件商品` : (lines[0]?.title ?? 'edgemall 订单');
  const { params } = await ensurePrepay(ctx, {
    checkoutId: checkout.id,
    userId: checkout.userId,
    amount: checkout.payableTotal,
    description,
    payerOpenid: openid,
    expiresAt: checkout.expiresAt,
  });
  return {
    checkoutId: checkout.id,
    amount: checkout.payableTotal,
    requestPayment: params,
    ...(isSandbox(ctx.env) ? { sandboxPayPath: `/sandbox/wechatpay/transactions/${checkout.id}/pay` } : {}),
  };
}

/**
 * Applies a verified TRANSACTION.SUCCESS exactly once. The notification id row, the payment
 * update, the checkout guard and every order's transition share one batch: a duplicate or
 * concurrent delivery fails as a whole and changes nothing. A payment that lands after the
 * checkout closed (the timeout won the race) is recorded and refunded in full automatically.
 */
export async function applyPaymentSuccess(
  ctx: Ctx,
  notice: TransactionNotice,
  notificationId: string,
): Promise<'paid' | 'duplicate' | 'refunded_late_payment'> {
  const payment = await getPaymentByOutTradeNo(ctx, notice.outTradeNo);
  if (!payment) throw new AppError('payments.unknown_trade', 404, `no payment for out_trade_no ${notice.outTradeNo}`);
  assertNoticeMatches(ctx, payment, notice);
  const list = await ordersOfCheckout(ctx, payment.checkoutId);
  const d1 = ctx.env.DB;
  const paidAt = notice.successTime ?? ctx.now;
  const stmts: D1PreparedStatement[] = [
    ...paymentSucceededStatements(ctx, payment, notice, notificationId),
    ...checkoutPaidStatements(ctx, payment.checkoutId),
  ];
  for (const o of list)
    stmts.push(
      ...transitionStatements(
        ctx,
        o.id,
        ['pending_payment'],
        'paid',
        { paidAt, paidTotal: o.payableTotal },
        { type: 'paid', actorType: 'wechat', data: { transactionId: notice.transactionId } },
      ),
    );
  try {
    await d1.batch(stmts);
    await confirmHolds(ctx, list);
    await Promise.all(
      list.map((o) => notifyOrderPaid(ctx, { userId: o.userId, orderId: o.id, orderNo: o.orderNo, amount: o.payableTotal })),
    );
    return 'paid';
  } catch (e) {
    const kind = batchFailure(e);
    if (kind === 'unique') return 'duplicate';
    if (kind !== 'guard') throw e;
  }
  const checkout = await getCheckout(ctx, payment.checkoutId);
  if (checkout.status === 'paid') {
    // Same payment, another notification id (or a query beat the notification): remember the id only.
    await d1.batch([paymentSucceededStatements(ctx, payment, notice, notificationId)[0]!]).catch(() => undefined);
    return 'duplicate';
  }
  // Paid after we closed it: keep the record, give the money back, say so on the timeline.
  try {
    await d1.batch([
      ...paymentSucceededStatements(ctx, payment, notice, notificationId),
      ...list.map((o) =>
        orderEventStatement(ctx, o.id, { type: 'late_payment_refunded', actorType: 'wechat', note: '订单已关闭后到账，已原路退款' }),
      ),
    ]);
  } catch (e) {
    if (batchFailure(e) === 'unique') return 'duplicate';
    throw e;
  }
  const paid = (await getPaymentByOutTradeNo(ctx, notice.outTradeNo))!;
  await startRefund(ctx, {
    payment: paid,
    orderId: list[0]!.id,
    amount: paid.amount,
    reason: '订单已关闭，自动退款',
    outRefundNo: `rfl_${payment.checkoutId.slice(4)}`,
  });
  return 'refunded_late_payment';
}

/** wechatPayNotify: verify, decrypt and apply; throws 401 on any verification failure. */
export async function handlePaymentNotification(ctx: Ctx, headers: Headers, rawBody: string) {
  const n = await verifyNotification(ctx.env, headers, rawBody, ctx.now);
  if (n.eventType !== 'TRANSACTION.SUCCESS') {
    ctx.log.info('payment notification ignored', { eventType: n.eventType, id: n.id });
    return 'ignored' as const;
  }
  const result = await applyPaymentSuccess(ctx, parseTransactionResource(n.resource), n.id);
  ctx.log.info('payment notification applied', { id: n.id, result });
  return result;
}

/**
 * Closes (timeout) or cancels (shopper) an unpaid checkout. WeChat is asked first: a payment
 * that succeeded without its notification is applied instead of closing; otherwise the WeChat
 * transaction is closed so it cannot be paid any more, then the orders close and stock returns
 * — exactly once, whatever order duplicate messages arrive in.
 */
export async function closeUnpaidCheckout(
  ctx: Ctx,
  checkoutId: string,
  to: 'closed' | 'cancelled',
  reason: string,
): Promise<'closed' | 'paid' | 'not_pending'> {
  const checkout = await getCheckout(ctx, checkoutId);
  if (checkout.status !== 'pending_payment') return 'not_pending';
  const payment = await getPaymentByCheckout(ctx, checkoutId);
  if (payment && payment.status === 'prepaid') {
    const client = createWechatPayClient(ctx.env);
    const t = await client.queryByOutTradeNo(payment.outTradeNo);
    if (t.tradeState === 'SUCCESS' && t.transactionId) {
      await applyPaymentSuccess(
        ctx,
        {
          mchid: ctx.env.WECHATPAY_MCHID ?? '',
          appid: ctx.env.WECHAT_APP_ID ?? '',
          outTradeNo: t.outTradeNo,
          transactionId: t.transactionId,
          tradeType: 'JSAPI',
          tradeState: 'SUCCESS',
          successTime: t.successTime,
          payerOpenid: t.payerOpenid,
          amountTotal: t.amountTotal,
          payerTotal: t.payerTotal,
        },
        `query:${t.transactionId}`,
      );
      return 'paid';
    }
    try {
      await client.close(payment.outTradeNo);
    } catch (e) {
      ctx.log.warn('closing the WeChat transaction failed; closing locally anyway (WeChat expires it at time_expire)', {
        checkoutId,
        err: String(e),
      });
    }
    await markPaymentClosed(ctx, payment.id);
  } else if (payment && payment.status === 'created') {
    await markPaymentClosed(ctx, payment.id);
  }
  // Coupons go back to the shopper, campaign spend is returned, a points-mall exchange's points and
  // units come back, and points and balance spent at checkout are given back (ref
  // checkout_refund:<orderId>) — all in the same batch as the close, so exactly once.
  const giveBack = [
    ...releasePromotionStatements(ctx, checkoutId),
    ...(await releaseMallExchangeStatements(ctx, checkoutId)),
    ...(await releaseCheckoutDeductionStatements(ctx, checkoutId)),
  ];
  if (!(await closeCheckout(ctx, checkoutId, to, reason, giveBack))) return 'not_pending';
  await releaseHolds(ctx, await ordersOfCheckout(ctx, checkoutId));
  return 'closed';
}

/** cancelOrder by the shopper: cancels the whole unpaid checkout the order belongs to. */
export async function cancelOrder(ctx: Ctx, orderId: string, reason?: string) {
  requireShopper(ctx.actor, 'only the shopper cancels an unpaid order');
  const order = await getVisibleOrder(ctx, orderId);
  if (order.status === 'cancelled') return;
  if (order.status !== 'pending_payment')
    throw conflict('orders.invalid_transition', `a ${order.status} order cannot be cancelled; request an after-sale instead`);
  const r = await closeUnpaidCheckout(ctx, order.checkoutId, 'cancelled', reason || '买家取消');
  if (r === 'paid') throw conflict('orders.already_paid', 'the payment arrived just now; the order is paid');
}

/**
 * Cron: queries WeChat for prepaid payments whose notification is late (query-on-demand) and
 * closes checkouts past their expiry whose timeout message was lost.
 */
export async function reconcilePayments(ctx: Ctx): Promise<{ queried: number; paid: number; closed: number }> {
  let paid = 0;
  let closed = 0;
  const stale = await stalePrepaidPayments(ctx, 5 * 60_000);
  for (const p of stale) {
    const checkout = await getCheckout(ctx, p.checkoutId);
    if (checkout.status !== 'pending_payment') continue;
    const r =
      checkout.expiresAt <= ctx.now
        ? await closeUnpaidCheckout(ctx, p.checkoutId, 'closed', '超时未支付')
        : await queryAndApply(ctx, p.outTradeNo);
    if (r === 'paid') paid++;
    if (r === 'closed') closed++;
  }
  for (const id of await expiredPendingCheckoutIds(ctx, ctx.now - 60_000))
    if ((await closeUnpaidCheckout(ctx, id, 'closed', '超时未支付')) === 'closed') closed++;
  return { queried: stale.length, paid, closed };
}

async function queryAndApply(ctx: Ctx, outTradeNo: string): Promise<'paid' | 'pending'> {
  const t = await createWechatPayClient(ctx.env).queryByOutTradeNo(outTradeNo);
  if (t.tradeState !== 'SUCCESS' || !t.transactionId) return 'pending';
  await applyPaymentSuccess(
    ctx,
    {
      mchid: ctx.env.WECHATPAY_MCHID ?? '',
      appid: ctx.env.WECHAT_APP_ID ?? '',
      outTradeNo,
      transactionId: t.transactionId,
      tradeType: 'JSAPI',
      tradeState: 'SUCCESS',
      successTime: t.successTime,
      payerOpenid: t.payerOpenid,
      amountTotal: t.amountTotal,
      payerTotal: t.payerTotal,
    },
    `query:${t.transactionId}`,
  );
  return 'paid';
}
