// The demo shoppers pay, and WeChat refunds, the way the H5 cashier and WeChat do in dev: through
// the real payOrder flow and the WeChat Pay sandbox, whose signed notifications reach our own
// notify routes. Nothing here marks anything paid or refunded by itself.
import type { Ctx } from '../shared/context';
import { AppError } from '../shared/errors';
import { payOrder } from '../flows/payment';
import { sandboxCompleteRefund, sandboxPay, type NotificationDeliver, type SandboxDelivery } from './wechatpay-sandbox';

/**
 * The seed's context at the real time (never earlier than its own clock). A payment notification
 * is applied at the real time, so a step that follows one must not carry the seed's start time.
 */
export const afterwards = (c: Ctx): Ctx => ({ ...c, now: Math.max(c.now, Date.now()) });

function delivered(what: string, d: SandboxDelivery): void {
  // Our notify routes answer 204 once the notification is applied (or already was).
  if (d.status !== 204)
    throw new AppError(
      'dev.seed_notification_refused',
      500,
      `${what}: our notify route answered ${d.status}${d.deliveryError ? ` (${d.deliveryError})` : ''}`,
    );
}

/** The shopper pays `orderId` (its whole checkout): payOrder's signed prepay, then the sandbox pays and notifies. */
export async function payInSandbox(shopper: Ctx, orderId: string, deliver: NotificationDeliver): Promise<void> {
  const pay = await payOrder(shopper, orderId);
  delivered(`paying order ${orderId}`, await sandboxPay(shopper.env, pay.checkoutId, deliver));
}

/** WeChat finishes refund `outRefundNo` and notifies us (REFUND.SUCCESS). */
export async function completeRefundInSandbox(ctx: Ctx, outRefundNo: string, deliver: NotificationDeliver): Promise<void> {
  delivered(`completing refund ${outRefundNo}`, await sandboxCompleteRefund(ctx.env, outRefundNo, deliver));
}
