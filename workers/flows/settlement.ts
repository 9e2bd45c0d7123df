import { unfinishedAfterSales } from '../domains/aftersales/aftersales.service';
import type { Ctx } from '../shared/context';
import { AppError } from '../shared/errors';
import { batchFailure } from '../shared/db';
import { envelope } from '../shared/events';
import { SettlementDue } from '../domains/orders/events';
import { getOrderRow } from '../domains/orders/orders.service';
import { afterSaleWindowClosed, orderSettledStatements, ordersDueForSettlement } from '../domains/orders/settlement-queries';
import { getMerchant } from '../domains/merchants/merchants.service';
import { settlementLedgerStatements } from '../domains/merchants/settlement.service';

/** Orders queued per cron run (one sendBatch holds at most 100 messages). */
const PER_RUN = 100;

/**
 * Cron: queues one settlement message per completed order whose after-sales window has closed.
 * An order stays due until its settlement commits, so a lost message (or one that ran out of
 * retries) is simply queued again a minute later; a duplicate is a no-op for the consumer.
 */
export async function enqueueDueSettlements(ctx: Ctx): Promise<{ queued: number }> {
  const due = await ordersDueForSettlement(ctx, PER_RUN);
  if (due.length === 0) return { queued: 0 };
  await ctx.env.SETTLEMENT.sendBatch(due.map((o) => ({ body: envelope(SettlementDue, { orderId: o.id }, `settle:${o.id}`, ctx.now) })));
  return { queued: due.length };
}

export type SettleResult = 'settled' | 'already_settled' | 'not_due' | 'not_completed' | 'not_found' | 'aftersale_open';

/**
 * Credits the merchant for one order in ONE batch: ledger `sale` = paidTotal − refundedTotal,
 * `commission` = −round(sale × commission_bps / 10000), and orders.settled_at — guarded on the
 * order still being completed, unsettled, past the window and with unchanged totals. A second
 * delivery finds the order settled (or hits the ledger's unique (order_id, type)) and changes
 * nothing; a refund racing the settlement makes this throw so the message is retried.
 */
export async function settleOrder(ctx: Ctx, orderId: string): Promise<SettleResult> {
  const o = await getOrderRow(ctx, orderId).catch((e: unknown) => {
    if ((e as AppError)?.code === 'orders.not_found') return null;
    throw e;
  });
  if (!o) return 'not_found';
  if (o.settledAt != null) return 'already_settled';
  if (o.status !== 'completed' || o.completedAt == null) return 'not_completed';
  if (!afterSaleWindowClosed(ctx.env, o.completedAt, ctx.now)) return 'not_due';
  // A request filed just inside the window may still move money: settle once it is finished.
  if ((await unfinishedAfterSales(ctx, orderId)).length) return 'aftersale_open';

  const merchant = await getMerchant(ctx, o.merchantId);
  const stmts = [
    ...orderSettledStatements(ctx, o),
    ...settlementLedgerStatements(ctx, {
      merchantId: o.merchantId,
      orderId: o.id,
      sale: o.paidTotal - o.refundedTotal,
      commissionBps: merchant.commissionBps,
    }),
  ];
  try {
    await ctx.env.DB.batch(stmts);
    return 'settled';
  } catch (e) {
    const kind = batchFailure(e);
    if (kind === 'unique') return 'already_settled'; // credited before: the ledger is the source of truth
    if (kind !== 'guard') throw e;
  }
  const now = await getOrderRow(ctx, orderId);
  if (now.settledAt != null) return 'already_settled'; // a concurrent delivery won
  throw new AppError('settlement.order_changed', 409, `order ${orderId} changed while settling (a refund?); retrying`);
}
