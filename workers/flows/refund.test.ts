import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, env, staffToken } from '../../test/helpers';
import { applyAfterSale, completeRefund, lineRow, orderRow, paidOrder, review, shipOrder, timelineOf } from '../../test/aftersales';
import { buildSignedNotification, notificationRequest } from '../dev/wechatpay-sandbox';

const NOTIFY = 'http://edgemall.test/store/v1/payments/wechat/refund-notify';
const support = () => staffToken('support');
const deliver = (n: Awaited<ReturnType<typeof buildSignedNotification>>) => SELF.fetch(notificationRequest(NOTIFY, n));

async function refundRow(outRefundNo: string) {
  return env.DB.prepare('SELECT status, amount, wx_refund_id FROM refunds WHERE id = ?')
    .bind(outRefundNo)
    .first<{ status: string; amount: number; wx_refund_id: string | null }>();
}
async function paymentRefunded(checkoutId: string) {
  return (await env.DB.prepare('SELECT refunded_total FROM payments WHERE checkout_id = ?')
    .bind(checkoutId)
    .first<{ refunded_total: number }>())!.refunded_total;
}
async function afterSaleStatus(id: string) {
  return (await env.DB.prepare('SELECT status FROM aftersales WHERE id = ?').bind(id).first<{ status: string }>())!.status;
}
async function countEvents(orderId: string, type: string) {
  return (await env.DB.prepare('SELECT count(*) AS n FROM order_events WHERE order_id = ? AND type = ?')
    .bind(orderId, type)
    .first<{ n: number }>())!.n;
}

/** A refund notification for one of our refunds, signed by the sandbox platform key like WeChat's. */
async function refundNotice(outRefundNo: string, status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL', over: Record<string, unknown> = {}) {
  const r = (await env.DB.prepare(
    'SELECT r.amount_refund, r.amount_total, r.refund_id, r.out_trade_no, t.transaction_id FROM wxpay_sandbox_refunds r JOIN wxpay_sandbox_transactions t ON t.out_trade_no = r.out_trade_no WHERE r.out_refund_no = ?',
  )
    .bind(outRefundNo)
    .first<{ amount_refund: number; amount_total: number; refund_id: string; out_trade_no: string; transaction_id: string }>())!;
  return buildSignedNotification(
    env,
    `REFUND.${status}`,
    {
      mchid: env.WECHATPAY_MCHID,
      out_trade_no: r.out_trade_no,
      transaction_id: r.transaction_id,
      out_refund_no: outRefundNo,
      refund_id: r.refund_id,
      refund_status: status,
      ...(status === 'SUCCESS' ? { success_time: '2026-11-25T20:00:00+08:00' } : {}),
      amount: { total: r.amount_total, refund: r.amount_refund, payer_total: r.amount_total, payer_refund: r.amount_refund },
      ...over,
    },
    'refund',
  );
}

describe('refunds never exceed what was paid', () => {
  it('concurrent applications for the same units: only what is left is granted', async () => {
    const o = await paidOrder({ price: 1000, qty: 3, discount: 1 }); // payable 2999
    const whole = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(() =>
        applyAfterSale(o.token, o.orderId, { type: 'refund_only', reason: '不想要了', lines: [{ orderLineId: o.lineId, quantity: 3 }] }),
      ),
    );
    expect(whole.filter((r) => r.status === 201).length).toBe(1);
    whole.filter((r) => r.status !== 201).forEach((r) => expect(r.status).toBe(409));
    await api('POST', `/store/v1/after-sales/${whole.find((r) => r.status === 201)!.body.id}/cancel`, { token: o.token });

    // five one-unit requests at once for three units: three win, and their amounts add up to the payable exactly
    const ones = await Promise.all(
      [1, 2, 3, 4, 5].map(() =>
        applyAfterSale(o.token, o.orderId, { type: 'refund_only', reason: '不想要了', lines: [{ orderLineId: o.lineId, quantity: 1 }] }),
      ),
    );
    const won = ones.filter((r) => r.status === 201);
    expect(won.length).toBe(3);
    ones.filter((r) => r.status !== 201).forEach((r) => expect(r.status).toBe(409));
    expect(won.map((r) => r.body.refundAmount as number).reduce((a, b) => a + b)).toBe(2999);

    // approving all of them at once refunds each once, in total exactly the payable
    const staff = await support();
    const approvals = await Promise.all(won.flatMap((r) => [review(staff, r.body.id, 'approve'), review(staff, r.body.id, 'approve')]));
    expect(approvals.filter((r) => r.status === 200).length).toBe(3);
    approvals.filter((r) => r.status !== 200).forEach((r) => expect(r.body.error.code).toBe('aftersales.invalid_state'));
    expect(await lineRow(o.lineId)).toEqual({ refunded_quantity: 3, refunded_amount: 2999 });
    expect(await paymentRefunded(o.checkoutId)).toBe(2999);
    const refunds = await env.DB.prepare('SELECT count(*) AS n, sum(amount) AS total FROM refunds WHERE order_id = ?')
      .bind(o.orderId)
      .first<{ n: number; total: number }>();
    expect(refunds).toEqual({ n: 3, total: 2999 });
  });

  it('even a request that slipped past the checks cannot refund more than was paid: the CHECK fails the batch (409)', async () => {
    const o = await paidOrder({ price: 1000, qty: 2 });
    const a = await applyAfterSale(o.token, o.orderId, {
      type: 'refund_only',
      reason: '不想要了',
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
    });
    const b = await applyAfterSale(o.token, o.orderId, {
      type: 'refund_only',
      reason: '不想要了',
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    // a third request for a unit that is already taken, written around applyAfterSale (a bug, a bad import…)
    const rogue = 'afs_rogue0000000000a';
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO aftersales (id, order_id, user_id, merchant_id, type, status, reason, refund_amount, created_at, updated_at) SELECT ?1, id, user_id, merchant_id, 'refund_only', 'requested', '其他', 1000, ?2, ?2 FROM orders WHERE id = ?3",
      ).bind(rogue, Date.now(), o.orderId),
      env.DB.prepare('INSERT INTO aftersale_lines (id, aftersale_id, order_line_id, quantity, amount) VALUES (?, ?, ?, 1, 1000)').bind(
        'asl_rogue000000000a',
        rogue,
        o.lineId,
      ),
    ]);
    const staff = await support();
    const rs = await Promise.all([a.body.id, b.body.id, rogue].map((id) => review(staff, id, 'approve')));
    expect(rs.filter((r) => r.status === 200).length).toBe(2);
    const refused = rs.filter((r) => r.status !== 200);
    expect(refused.map((r) => [r.status, r.body.error.code])).toEqual([[409, 'aftersales.refund_exceeds_paid']]);
    const order = await orderRow(o.orderId);
    expect(order.refunded_total).toBe(2000);
    expect(order.refunded_total).toBeLessThanOrEqual(order.paid_total);
    expect(await lineRow(o.lineId)).toEqual({ refunded_quantity: 2, refunded_amount: 2000 });
    expect(await paymentRefunded(o.checkoutId)).toBe(2000);
    // the refused one changed nothing and is still waiting for review
    const refusedId = [a.body.id, b.body.id, rogue][rs.findIndex((r) => r.status !== 200)]!;
    expect(await afterSaleStatus(refusedId)).toBe('requested');
  });
});

describe('wechatRefundNotify', () => {
  async function refundingAfterSale(qty = 1) {
    const o = await paidOrder({ price: 1500, qty: 2 });
    await shipOrder(o.orderId);
    const a = await applyAfterSale(o.token, o.orderId, {
      type: 'refund_only',
      reason: '少件/漏发',
      lines: [{ orderLineId: o.lineId, quantity: qty }],
    });
    const r = await review(await support(), a.body.id, 'approve');
    expect(r.body.status).toBe('refunding');
    return { o, id: a.body.id as string, outRefundNo: r.body.refund.outRefundNo as string, amount: a.body.refundAmount as number };
  }

  it('duplicate and concurrent refund notifications change nothing after the first', async () => {
    const { o, id, outRefundNo, amount } = await refundingAfterSale();
    const first = await completeRefund(outRefundNo);
    expect(first.body.notification.status).toBe(204);
    // WeChat retries with the same notification id, several at once
    const retries = await Promise.all([completeRefund(outRefundNo), completeRefund(outRefundNo), completeRefund(outRefundNo)]);
    expect(retries.map((r) => r.body.notification.status)).toEqual([204, 204, 204]);
    // and a second notification with another id for the same result
    const other = await refundNotice(outRefundNo, 'SUCCESS');
    const [x, y] = await Promise.all([deliver(other), deliver(other)]);
    expect([x.status, y.status]).toEqual([204, 204]);
    expect(await countEvents(o.orderId, 'refund_succeeded')).toBe(1);
    expect(await afterSaleStatus(id)).toBe('refunded');
    expect(await refundRow(outRefundNo)).toMatchObject({ status: 'succeeded', amount });
    expect(await orderRow(o.orderId)).toMatchObject({ refunded_total: amount, status: 'shipped' });
    expect(await paymentRefunded(o.checkoutId)).toBe(amount);
    const seen = await env.DB.prepare(
      "SELECT count(*) AS n FROM payment_notifications WHERE event_type = 'REFUND.SUCCESS' AND out_trade_no = ?",
    )
      .bind(outRefundNo)
      .first<{ n: number }>();
    expect(seen!.n).toBe(2); // both notification ids remembered
    // a SUCCESS cannot be undone by a late CLOSED
    expect((await deliver(await refundNotice(outRefundNo, 'CLOSED'))).status).toBe(204);
    expect(await afterSaleStatus(id)).toBe('refunded');
    expect(await paymentRefunded(o.checkoutId)).toBe(amount);
  });

  it('a forged or tampered refund notification is 401 and changes nothing', async () => {
    const { o, id, outRefundNo } = await refundingAfterSale();
    const genuine = await refundNotice(outRefundNo, 'SUCCESS');
    const tampered = { ...genuine, body: genuine.body.replace('"REFUND.SUCCESS"', '"REFUND.SUCCESs"') };
    const r1 = await deliver(tampered);
    expect(r1.status).toBe(401);
    expect((await r1.json<any>()).code).toBe('FAIL');
    const r2 = await deliver({ ...genuine, headers: { ...genuine.headers, 'Wechatpay-Signature': btoa('forged'.repeat(40)) } });
    expect(r2.status).toBe(401);
    const stale = await buildSignedNotification(env, 'REFUND.SUCCESS', {}, 'refund', { now: Date.now() - 10 * 60_000 });
    expect((await deliver(stale)).status).toBe(401);
    expect(await afterSaleStatus(id)).toBe('refunding');
    expect(await refundRow(outRefundNo)).toMatchObject({ status: 'processing' });
    expect(await countEvents(o.orderId, 'refund_succeeded')).toBe(0);
    // an amount that differs from our refund is refused too
    const wrong = await refundNotice(outRefundNo, 'SUCCESS', {
      amount: { total: o.paidTotal, refund: 1, payer_total: o.paidTotal, payer_refund: 1 },
    });
    expect((await deliver(wrong)).status).toBe(400);
    expect(await afterSaleStatus(id)).toBe('refunding');
    expect((await deliver(genuine)).status).toBe(204);
    expect(await afterSaleStatus(id)).toBe('refunded');
  });

  it('REFUND.CLOSED gives the counters back and returns the after-sale to staff, once', async () => {
    const { o, id, outRefundNo, amount } = await refundingAfterSale(2);
    expect(await lineRow(o.lineId)).toEqual({ refunded_quantity: 2, refunded_amount: amount });
    const closed = await refundNotice(outRefundNo, 'CLOSED');
    const [c1, c2] = await Promise.all([deliver(closed), deliver(closed)]);
    expect([c1.status, c2.status]).toEqual([204, 204]);
    expect((await deliver(await refundNotice(outRefundNo, 'CLOSED'))).status).toBe(204);
    expect(await afterSaleStatus(id)).toBe('approved');
    expect(await refundRow(outRefundNo)).toMatchObject({ status: 'closed' });
    expect(await lineRow(o.lineId)).toEqual({ refunded_quantity: 0, refunded_amount: 0 });
    expect((await orderRow(o.orderId)).refunded_total).toBe(0);
    expect(await paymentRefunded(o.checkoutId)).toBe(0);
    expect(await countEvents(o.orderId, 'refund_failed')).toBe(1);
    // a late SUCCESS for a closed refund changes nothing
    expect((await deliver(await refundNotice(outRefundNo, 'SUCCESS'))).status).toBe(204);
    expect(await afterSaleStatus(id)).toBe('approved');
    // the units stay with the after-sale for staff; a new request cannot take them
    expect(
      (await applyAfterSale(o.token, o.orderId, { type: 'refund_only', reason: '其他', lines: [{ orderLineId: o.lineId, quantity: 1 }] }))
        .status,
    ).toBe(409);
  });

  it('REFUND.ABNORMAL is recorded and flagged on the timeline', async () => {
    const { o, id, outRefundNo } = await refundingAfterSale();
    expect((await deliver(await refundNotice(outRefundNo, 'ABNORMAL'))).status).toBe(204);
    expect(await refundRow(outRefundNo)).toMatchObject({ status: 'abnormal' });
    expect(await afterSaleStatus(id)).toBe('approved');
    const tl = await api('GET', `/store/v1/orders/${o.orderId}`, { token: o.token });
    expect(tl.body.timeline.at(-1)).toMatchObject({ type: 'refund_failed', actorType: 'wechat', note: expect.stringContaining('异常') });
  });
});

describe('the whole loop on the order timeline', () => {
  it('order → pay → ship → confirm → partial refund → approve → refund notification: every step is on the timeline', async () => {
    const o = await paidOrder({ price: 2500, qty: 2 });
    await shipOrder(o.orderId);
    expect((await api('POST', `/store/v1/orders/${o.orderId}/confirm-receipt`, { token: o.token })).body.status).toBe('completed');
    const a = await applyAfterSale(
      o.token,
      o.orderId,
      { type: 'refund_only', reason: '商品破损', description: '一只杯子有裂纹', lines: [{ orderLineId: o.lineId, quantity: 1 }] },
      `demo-${crypto.randomUUID()}`,
    );
    expect(a.body.refundAmount).toBe(2500);
    const ok = await review(await support(), a.body.id, 'approve', '已核实');
    await completeRefund(ok.body.refund.outRefundNo);
    const detail = await api('GET', `/store/v1/orders/${o.orderId}`, { token: o.token });
    expect(detail.body).toMatchObject({ status: 'completed', refundedTotal: 2500, lines: [{ refundedQuantity: 1, refundedAmount: 2500 }] });
    expect(detail.body.timeline.map((e: any) => [e.type, e.actorType])).toEqual([
      ['created', 'user'],
      ['paid', 'wechat'],
      ['shipped', 'staff'],
      ['receipt_confirmed', 'user'],
      ['aftersale_requested', 'user'],
      ['aftersale_approved', 'staff'],
      ['refund_started', 'staff'],
      ['refund_succeeded', 'wechat'],
    ]);
    expect(detail.body.timeline.find((e: any) => e.type === 'aftersale_approved').note).toContain('已核实');
    expect(await timelineOf(o.orderId, o.token)).toContain('refund_succeeded');
  });
});
