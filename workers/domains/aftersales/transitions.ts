// Status changes of an after-sale as batch statements: each a guard on the current status, the
// update, and an entry on the ORDER's timeline. The shopper actions and the refund flow put them
// in their own batches (with order counters, stock, payments) so everything commits together.
import { and, eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { batchFailure, guard, stmt } from '../../shared/db';
import { conflict } from '../../shared/errors';
import { fenToYuan } from '../../shared/money';
import { orderEventStatement, type OrderEventInput } from '../orders/order-events';
import { aftersales, type AFTERSALE_STATUSES, type AFTERSALE_TYPES } from './schema';

type AfterSaleRow = typeof aftersales.$inferSelect;
type AfterSaleStatus = (typeof AFTERSALE_STATUSES)[number];
type AfterSaleType = (typeof AFTERSALE_TYPES)[number];

export const TYPE_LABEL: Record<AfterSaleType, string> = { refund_only: '仅退款', return_refund: '退货退款', exchange: '换货' };

/** Runs a batch that starts with an after-sale status guard; a failed guard is 409 aftersales.invalid_state. */
export async function runAfterSaleBatch(ctx: Ctx, stmts: D1PreparedStatement[], what: string): Promise<void> {
  try {
    await ctx.env.DB.batch(stmts);
  } catch (e) {
    if (batchFailure(e) === 'guard')
      throw conflict('aftersales.invalid_state', `cannot ${what}: the after-sale is not in a state that allows it`);
    throw e;
  }
}

/** Guard + update of one after-sale's status: the batch aborts unless it is still in one of `from`. */
export function afterSaleTransition(
  ctx: Ctx,
  as: Pick<AfterSaleRow, 'id'>,
  from: readonly AfterSaleStatus[],
  to: AfterSaleStatus,
  set: Partial<AfterSaleRow> = {},
): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  return [
    guard(d1, `SELECT status IN (${from.map((_, i) => `?${i + 2}`).join(', ')}) FROM aftersales WHERE id = ?1`, as.id, ...from),
    stmt(
      d1,
      ctx.db
        .update(aftersales)
        .set({ ...set, status: to, updatedAt: ctx.now })
        .where(and(eq(aftersales.id, as.id), inArray(aftersales.status, [...from]))),
    ),
  ];
}

/** An entry on the ORDER's timeline about this after-sale, so the shopper's order shows it. */
export function timelineEntry(ctx: Ctx, as: Pick<AfterSaleRow, 'id' | 'orderId' | 'type'>, ev: OrderEventInput): D1PreparedStatement {
  return orderEventStatement(ctx, as.orderId, { ...ev, data: { afterSaleId: as.id, type: as.type, ...ev.data } });
}

function reviewerOf(ctx: Ctx): string | null {
  return ctx.actor.kind === 'staff' ? ctx.actor.staffId : ctx.actor.kind === 'system' ? ctx.actor.name : null;
}

/** requested → approved, with the reviewer and a timeline entry. */
export function approveStatements(ctx: Ctx, as: AfterSaleRow, note?: string): D1PreparedStatement[] {
  return [
    ...afterSaleTransition(ctx, as, ['requested'], 'approved', { reviewedBy: reviewerOf(ctx), reviewedAt: ctx.now }),
    timelineEntry(ctx, as, {
      type: 'aftersale_approved',
      note: `商家同意${TYPE_LABEL[as.type]}${as.type === 'refund_only' ? '' : '，请寄回商品'}${note ? ` · ${note}` : ''}`,
    }),
  ];
}

/** requested → rejected with the reason shown to the shopper. */
export function rejectStatements(ctx: Ctx, as: AfterSaleRow, reason: string): D1PreparedStatement[] {
  return [
    ...afterSaleTransition(ctx, as, ['requested'], 'rejected', {
      reviewedBy: reviewerOf(ctx),
      reviewedAt: ctx.now,
      rejectReason: reason,
      completedAt: ctx.now,
    }),
    timelineEntry(ctx, as, { type: 'aftersale_rejected', note: `商家拒绝${TYPE_LABEL[as.type]}申请：${reason}` }),
  ];
}

/** approved/returning → received: the goods came back (stock statements are the flow's). */
export function receivedStatements(ctx: Ctx, as: AfterSaleRow): D1PreparedStatement[] {
  return [
    ...afterSaleTransition(ctx, as, ['approved', 'returning'], 'received'),
    timelineEntry(ctx, as, { type: 'return_received', note: '商家已收到退回商品' }),
  ];
}

/** received → exchanged (the replacement's shipment is not tracked here). */
export function exchangedStatements(ctx: Ctx, as: AfterSaleRow): D1PreparedStatement[] {
  return [
    ...afterSaleTransition(ctx, as, ['received'], 'exchanged', { completedAt: ctx.now }),
    timelineEntry(ctx, as, { type: 'exchanged', note: '换货处理完成' }),
  ];
}

/** The status a refund starts from, and returns to if WeChat does not complete it. */
export const refundableFrom = (as: Pick<AfterSaleRow, 'type'>): AfterSaleStatus => (as.type === 'return_refund' ? 'received' : 'approved');

/** approved (refund only) / received (return) → refunding. Exchanges never refund. */
export function refundingStatements(ctx: Ctx, as: AfterSaleRow): D1PreparedStatement[] {
  if (as.type === 'exchange') throw conflict('aftersales.exchange_has_no_refund', 'an exchange moves no money');
  return [
    ...afterSaleTransition(ctx, as, [refundableFrom(as)], 'refunding'),
    timelineEntry(ctx, as, {
      type: 'refund_started',
      note: `退款¥${fenToYuan(as.refundAmount)}已提交微信支付`,
      data: { refundAmount: as.refundAmount },
    }),
  ];
}

/** refunding → refunded when WeChat reports the money back with the shopper. */
export function refundedStatements(ctx: Ctx, as: AfterSaleRow): D1PreparedStatement[] {
  return [
    ...afterSaleTransition(ctx, as, ['refunding'], 'refunded', { completedAt: ctx.now }),
    timelineEntry(ctx, as, {
      type: 'refund_succeeded',
      actorType: 'wechat',
      note: `退款¥${fenToYuan(as.refundAmount)}已原路退回`,
      data: { refundAmount: as.refundAmount },
    }),
  ];
}

/** refunding → back to where it was, for staff to sort out (WeChat closed or could not pay the refund). */
export function refundFailedStatements(ctx: Ctx, as: AfterSaleRow, why: 'closed' | 'abnormal'): D1PreparedStatement[] {
  return [
    ...afterSaleTransition(ctx, as, ['refunding'], refundableFrom(as)),
    timelineEntry(ctx, as, {
      type: 'refund_failed',
      actorType: 'wechat',
      note: why === 'closed' ? '微信退款已关闭，待客服处理' : '微信退款异常（如银行卡已注销），待客服处理',
      data: { result: why },
    }),
  ];
}
