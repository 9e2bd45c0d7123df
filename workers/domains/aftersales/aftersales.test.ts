import { describe, expect, it } from 'vitest';
import { api, env, staffToken } from '../../../test/helpers';
import { shopperWithAddress } from '../../../test/shop';
import {
  applyAfterSale,
  completeRefund,
  lineRow,
  makeMerchant,
  orderRow,
  paidOrder,
  review,
  shipOrder,
  skuStock,
  timelineOf,
} from '../../../test/aftersales';
import { encodePng } from '../../dev/png';
import { lineRefundShare, splitAmount } from './aftersales.service';

const support = () => staffToken('support');

describe('after-sales money rules (pure)', () => {
  it('apportions a line by quantity, floors to fen, and the last units take the exact remainder', () => {
    const line = { quantity: 3, payable: 1000, refundedQuantity: 0, refundedAmount: 0 };
    expect(lineRefundShare(line, { refundQuantity: 0, amount: 0 }, 1)).toBe(333);
    expect(lineRefundShare(line, { refundQuantity: 1, amount: 333 }, 1)).toBe(333);
    expect(lineRefundShare(line, { refundQuantity: 2, amount: 666 }, 1)).toBe(334);
    expect(lineRefundShare({ ...line, refundedQuantity: 1, refundedAmount: 333 }, { refundQuantity: 0, amount: 0 }, 2)).toBe(667);
    expect(lineRefundShare(line, { refundQuantity: 0, amount: 0 }, 3)).toBe(1000);
    // a unit reserved by an exchange is not refunded, so the rest does not take the remainder
    expect(lineRefundShare(line, { refundQuantity: 0, amount: 0 }, 2)).toBe(666);
  });

  it('splits a lower requested amount without any part exceeding its share', () => {
    expect(splitAmount(1000, [600, 400, 0])).toEqual([600, 400, 0]);
    expect(splitAmount(999, [600, 400])).toEqual([600, 399]);
    expect(splitAmount(1, [1, 1, 1]).reduce((a, b) => a + b)).toBe(1);
    const parts = splitAmount(997, [333, 333, 334]);
    expect(parts.reduce((a, b) => a + b)).toBe(997);
    parts.forEach((p, i) => expect(p).toBeLessThanOrEqual([333, 333, 334][i]!));
  });
});

describe('applyAfterSale and the review', () => {
  it('a partial refund of one line returns exactly its apportioned payable; the rest refunds to the fen', async () => {
    // 3 × 500 = 1500, a 1-fen promotion apportioned to the line: payable 1499
    const o = await paidOrder({ price: 500, qty: 3, discount: 1 });
    expect(o.payable).toBe(1499);
    await shipOrder(o.orderId);
    const staff = await support();

    const a = await applyAfterSale(o.token, o.orderId, {
      type: 'refund_only',
      reason: '少件/漏发',
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
    });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body).toMatchObject({
      status: 'requested',
      type: 'refund_only',
      refundAmount: 499,
      shippingRefund: 0,
      lines: [{ orderLineId: o.lineId, quantity: 1, amount: 499 }],
    });

    // the remaining 2 units are free, 3 are not; more money than the share is refused
    const tooMany = await applyAfterSale(o.token, o.orderId, {
      type: 'refund_only',
      reason: '其他',
      lines: [{ orderLineId: o.lineId, quantity: 3 }],
    });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({ code: 'aftersales.quantity_exceeded', details: { available: 2, inProgress: 1 } });
    const tooMuch = await applyAfterSale(o.token, o.orderId, {
      type: 'refund_only',
      reason: '其他',
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
      refundAmount: 500,
    });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('aftersales.amount_exceeded');

    const approved = await review(staff, a.body.id, 'approve');
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'refunding',
      refund: { outRefundNo: `rf_${a.body.id.slice(4)}`, amount: 499, status: 'processing' },
    });
    // the counters moved with the approval, the sandbox holds a 499 refund
    expect(await lineRow(o.lineId)).toEqual({ refunded_quantity: 1, refunded_amount: 499 });
    const wx = await env.DB.prepare('SELECT amount_refund FROM wxpay_sandbox_refunds WHERE out_refund_no = ?')
      .bind(approved.body.refund.outRefundNo)
      .first<{ amount_refund: number }>();
    expect(wx!.amount_refund).toBe(499);

    const done = await completeRefund(approved.body.refund.outRefundNo);
    expect(done.body.notification.status).toBe(204);
    const after = await api('GET', `/store/v1/after-sales/${a.body.id}`, { token: o.token });
    expect(after.body).toMatchObject({ status: 'refunded', refund: { status: 'succeeded', amount: 499 } });
    expect(await orderRow(o.orderId)).toMatchObject({ status: 'shipped', refunded_total: 499 });

    // the other two units: 1499 − 499 = 1000 exactly
    const rest = await applyAfterSale(o.token, o.orderId, {
      type: 'refund_only',
      reason: '少件/漏发',
      lines: [{ orderLineId: o.lineId, quantity: 2 }],
    });
    expect(rest.body.refundAmount).toBe(1000);
    await review(staff, rest.body.id, 'approve');
    await completeRefund(`rf_${rest.body.id.slice(4)}`);
    expect(await lineRow(o.lineId)).toEqual({ refunded_quantity: 3, refunded_amount: 1499 });
    // nothing left to ask for
    const none = await applyAfterSale(o.token, o.orderId, {
      type: 'refund_only',
      reason: '其他',
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
    });
    expect(none.status).toBe(409);
    // shipped: the order stays shipped (only unshipped fully refunded orders close)
    expect((await orderRow(o.orderId)).status).toBe('shipped');
  });

  it('refund only before shipping refunds everything paid, shipping included, and closes the order', async () => {
    const o = await paidOrder({ price: 1200, qty: 2 });
    const a = await applyAfterSale(o.token, o.orderId, {
      type: 'refund_only',
      reason: '不想要了',
      lines: [{ orderLineId: o.lineId, quantity: 2 }],
    });
    expect(a.status).toBe(201);
    expect(a.body.refundAmount).toBe(o.paidTotal);
    expect(a.body.shippingRefund).toBe(o.shippingFee);
    // a return needs shipped goods
    const ret = await applyAfterSale(o.token, o.orderId, {
      type: 'return_refund',
      reason: '不想要了',
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
    });
    expect(ret.status).toBe(409);

    const r = await review(await support(), a.body.id, 'approve');
    expect(r.body.status).toBe('refunding');
    // the order is not closed until the money is back
    expect((await orderRow(o.orderId)).status).toBe('paid');
    await completeRefund(r.body.refund.outRefundNo);
    expect(await orderRow(o.orderId)).toEqual({
      status: 'closed',
      paid_total: o.paidTotal,
      refunded_total: o.paidTotal,
      close_reason: '全额退款',
    });
    const tl = await timelineOf(o.orderId, o.token);
    expect(tl).toEqual(['created', 'paid', 'aftersale_requested', 'aftersale_approved', 'refund_started', 'refund_succeeded', 'closed']);
    // a closed order takes no more requests
    expect(
      (await applyAfterSale(o.token, o.orderId, { type: 'refund_only', reason: '其他', lines: [{ orderLineId: o.lineId, quantity: 1 }] }))
        .status,
    ).toBe(409);
  });

  it('return and refund: approve, return shipment, goods received → stock back exactly once, then the refund', async () => {
    const o = await paidOrder({ price: 800, qty: 3, stock: 10 });
    expect(await skuStock(o.skuId)).toBe(7);
    await shipOrder(o.orderId);
    const staff = await support();
    const a = await applyAfterSale(o.token, o.orderId, {
      type: 'return_refund',
      reason: '质量问题',
      description: '杯盖漏水',
      lines: [{ orderLineId: o.lineId, quantity: 2 }],
    });
    expect(a.body.refundAmount).toBe(1600);

    // goods cannot be "sent back" before approval
    expect(
      (
        await api('POST', `/store/v1/after-sales/${a.body.id}/return-shipment`, {
          token: o.token,
          body: { carrier: 'YTO', trackingNo: 'YT1234567890' },
        })
      ).status,
    ).toBe(409);
    const ok = await review(staff, a.body.id, 'approve');
    expect(ok.body).toMatchObject({ status: 'approved', refund: null });
    expect(await lineRow(o.lineId)).toEqual({ refunded_quantity: 0, refunded_amount: 0 });

    const sent = await api('POST', `/store/v1/after-sales/${a.body.id}/return-shipment`, {
      token: o.token,
      body: { carrier: 'yto', trackingNo: 'yt1234567890' },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body).toMatchObject({ status: 'returning', returnCarrier: 'YTO', returnTrackingNo: 'YT1234567890' });

    // received twice, at once: stock returns once, one refund
    const [r1, r2] = await Promise.all([
      api('POST', `/admin/v1/after-sales/${a.body.id}/receive-return`, { token: staff }),
      api('POST', `/admin/v1/after-sales/${a.body.id}/receive-return`, { token: staff }),
    ]);
    expect([r1.status, r2.status]).toContain(200);
    for (const r of [r1, r2]) expect([200, 409]).toContain(r.status);
    const again = await api('POST', `/admin/v1/after-sales/${a.body.id}/receive-return`, { token: staff });
    expect(again.status).toBe(200);
    expect(await skuStock(o.skuId)).toBe(9);
    const ledger = await env.DB.prepare("SELECT delta, ref FROM stock_ledger WHERE sku_id = ? AND reason = 'return'")
      .bind(o.skuId)
      .all<{ delta: number; ref: string }>();
    expect(ledger.results).toEqual([{ delta: 2, ref: `ret:${a.body.lines[0].id}` }]);
    const refunds = await env.DB.prepare('SELECT id, amount FROM refunds WHERE aftersale_id = ?')
      .bind(a.body.id)
      .all<{ id: string; amount: number }>();
    expect(refunds.results).toEqual([{ id: `rf_${a.body.id.slice(4)}`, amount: 1600 }]);

    await completeRefund(refunds.results[0]!.id);
    const detail = await api('GET', `/admin/v1/after-sales/${a.body.id}`, { token: staff });
    expect(detail.body.status).toBe('refunded');
    expect(await orderRow(o.orderId)).toMatchObject({ status: 'shipped', refunded_total: 1600 });
    expect(await timelineOf(o.orderId, o.token)).toEqual([
      'created',
      'paid',
      'shipped',
      'aftersale_requested',
      'aftersale_approved',
      'return_shipped',
      'return_received',
      'refund_started',
      'refund_succeeded',
    ]);
  });

  it('exchange: approved → received → exchanged; no money moves and stock is untouched', async () => {
    const o = await paidOrder({ price: 900, qty: 2, stock: 10 });
    await shipOrder(o.orderId);
    const staff = await support();
    const bad = await applyAfterSale(o.token, o.orderId, {
      type: 'exchange',
      reason: '尺码不合适',
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
      refundAmount: 100,
    });
    expect(bad.status).toBe(409);
    const a = await applyAfterSale(o.token, o.orderId, {
      type: 'exchange',
      reason: '尺码不合适',
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
    });
    expect(a.body).toMatchObject({ refundAmount: 0, lines: [{ amount: 0 }] });
    // the exchanged unit is reserved: only one unit is left to refund, and it does not take the whole payable
    const other = await applyAfterSale(o.token, o.orderId, {
      type: 'return_refund',
      reason: '质量问题',
      lines: [{ orderLineId: o.lineId, quantity: 2 }],
    });
    expect(other.status).toBe(409);
    await review(staff, a.body.id, 'approve');
    await api('POST', `/store/v1/after-sales/${a.body.id}/return-shipment`, {
      token: o.token,
      body: { carrier: 'SF', trackingNo: 'SF0000000001' },
    });
    const r = await api('POST', `/admin/v1/after-sales/${a.body.id}/receive-return`, { token: staff });
    expect(r.body).toMatchObject({ status: 'exchanged', refund: null });
    expect(await skuStock(o.skuId)).toBe(8);
    expect(await orderRow(o.orderId)).toMatchObject({ refunded_total: 0 });
    expect((await timelineOf(o.orderId, o.token)).slice(-4)).toEqual([
      'aftersale_approved',
      'return_shipped',
      'return_received',
      'exchanged',
    ]);
  });

  it('reject needs a reason; the shopper sees it and may ask again', async () => {
    const o = await paidOrder({ price: 1000, qty: 1 });
    await shipOrder(o.orderId);
    const staff = await support();
    const a = await applyAfterSale(o.token, o.orderId, {
      type: 'refund_only',
      reason: '不想要了',
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
    });
    const noReason = await review(staff, a.body.id, 'reject');
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.code).toBe('validation.failed');
    const r = await review(staff, a.body.id, 'reject', '商品已发出，请收货后申请退货退款');
    expect(r.body).toMatchObject({ status: 'rejected', rejectReason: '商品已发出，请收货后申请退货退款' });
    expect((await review(staff, a.body.id, 'approve')).status).toBe(409);
    const mine = await api('GET', `/store/v1/after-sales/${a.body.id}`, { token: o.token });
    expect(mine.body.rejectReason).toBe('商品已发出，请收货后申请退货退款');
    const order = await api('GET', `/store/v1/orders/${o.orderId}`, { token: o.token });
    expect(order.body.timeline.at(-1)).toMatchObject({
      type: 'aftersale_rejected',
      actorType: 'staff',
      note: expect.stringContaining('商品已发出'),
    });
    expect(await lineRow(o.lineId)).toEqual({ refunded_quantity: 0, refunded_amount: 0 });
    // rejection frees the unit
    expect(
      (
        await applyAfterSale(o.token, o.orderId, {
          type: 'return_refund',
          reason: '质量问题',
          lines: [{ orderLineId: o.lineId, quantity: 1 }],
        })
      ).status,
    ).toBe(201);
  });

  it('the shopper cancels while requested; not after review', async () => {
    const o = await paidOrder({ price: 1000, qty: 2 });
    await shipOrder(o.orderId);
    const a = await applyAfterSale(o.token, o.orderId, {
      type: 'return_refund',
      reason: '质量问题',
      lines: [{ orderLineId: o.lineId, quantity: 2 }],
    });
    const c1 = await api('POST', `/store/v1/after-sales/${a.body.id}/cancel`, { token: o.token });
    expect(c1.body.status).toBe('cancelled');
    expect((await api('POST', `/store/v1/after-sales/${a.body.id}/cancel`, { token: o.token })).status).toBe(200);
    const b = await applyAfterSale(o.token, o.orderId, {
      type: 'return_refund',
      reason: '质量问题',
      lines: [{ orderLineId: o.lineId, quantity: 2 }],
    });
    expect(b.status).toBe(201);
    await review(await support(), b.body.id, 'approve');
    expect((await api('POST', `/store/v1/after-sales/${b.body.id}/cancel`, { token: o.token })).status).toBe(409);
    const list = await api('GET', `/store/v1/after-sales?orderId=${o.orderId}`, { token: o.token });
    expect(list.body.items.map((x: any) => [x.id, x.status])).toEqual([
      [b.body.id, 'approved'],
      [a.body.id, 'cancelled'],
    ]);
  });

  it('Idempotency-Key: a retry, even concurrent, returns the same after-sale', async () => {
    const o = await paidOrder({ price: 1000, qty: 2 });
    const body = { type: 'refund_only', reason: '拍错/多拍', lines: [{ orderLineId: o.lineId, quantity: 1 }] };
    const key = `as-${crypto.randomUUID()}`;
    const rs = await Promise.all([1, 2, 3, 4].map(() => applyAfterSale(o.token, o.orderId, body, key)));
    const ids = new Set(rs.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(rs.map((r) => r.status).filter((s) => s === 201).length).toBeLessThanOrEqual(1);
    rs.forEach((r) => expect([200, 201]).toContain(r.status));
    const again = await applyAfterSale(o.token, o.orderId, body, key);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(rs[0]!.body.id);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM aftersales WHERE order_id = ?').bind(o.orderId).first<{ n: number }>();
    expect(n!.n).toBe(1);
  });

  it('completed orders accept requests for 15 days after completion only', async () => {
    const o = await paidOrder({ price: 1000, qty: 1 });
    await shipOrder(o.orderId);
    expect((await api('POST', `/store/v1/orders/${o.orderId}/confirm-receipt`, { token: o.token })).body.status).toBe('completed');
    await env.DB.prepare('UPDATE orders SET completed_at = ? WHERE id = ?')
      .bind(Date.now() - 16 * 24 * 3600_000, o.orderId)
      .run();
    const late = await applyAfterSale(o.token, o.orderId, {
      type: 'return_refund',
      reason: '质量问题',
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('aftersales.window_closed');
    await env.DB.prepare('UPDATE orders SET completed_at = ? WHERE id = ?')
      .bind(Date.now() - 14 * 24 * 3600_000, o.orderId)
      .run();
    expect(
      (
        await applyAfterSale(o.token, o.orderId, {
          type: 'return_refund',
          reason: '质量问题',
          lines: [{ orderLineId: o.lineId, quantity: 1 }],
        })
      ).status,
    ).toBe(201);
  });

  it('photos: the shopper attaches their own uploads only', async () => {
    const o = await paidOrder({ price: 1000, qty: 1 });
    await shipOrder(o.orderId);
    const png = await encodePng(4, 4, () => [200, 30, 30]);
    const up = await api('POST', '/store/v1/after-sales/photos', { token: o.token, raw: png, headers: { 'content-type': 'image/png' } });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const other = await shopperWithAddress();
    const theirs = await api('POST', '/store/v1/after-sales/photos', {
      token: other.token,
      raw: png,
      headers: { 'content-type': 'image/png' },
    });
    const foreign = await applyAfterSale(o.token, o.orderId, {
      type: 'return_refund',
      reason: '商品破损',
      photoKeys: [theirs.body.key],
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('media.forbidden');
    const unknown = await applyAfterSale(o.token, o.orderId, {
      type: 'return_refund',
      reason: '商品破损',
      photoKeys: ['img/202601/med_0000000000000000.png'],
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
    });
    expect(unknown.status).toBe(400);
    const ok = await applyAfterSale(o.token, o.orderId, {
      type: 'return_refund',
      reason: '商品破损',
      photoKeys: [up.body.key],
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
    });
    expect(ok.status).toBe(201);
    expect(ok.body.photos).toEqual([{ key: up.body.key, url: expect.stringContaining(up.body.key) }]);
    const stored = await env.MEDIA.get(up.body.key);
    expect(stored).not.toBeNull();
    await stored?.body.cancel();
    // not an image → refused
    const text = await api('POST', '/store/v1/after-sales/photos', {
      token: o.token,
      raw: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
  });
});

describe('the API contract', () => {
  it('documents the after-sales operationIds in OpenAPI', async () => {
    const r = await api('GET', '/openapi.json');
    const ids = Object.values(r.body.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((ops) =>
      Object.values(ops).map((o) => o.operationId),
    );
    for (const id of [
      'applyAfterSale',
      'listMyAfterSales',
      'getAfterSale',
      'cancelAfterSale',
      'submitReturnShipment',
      'uploadAfterSalePhoto',
      'listAdminAfterSales',
      'getAdminAfterSale',
      'reviewAfterSale',
      'receiveAfterSaleReturn',
      'wechatRefundNotify',
    ])
      expect(ids).toContain(id);
    // the refund notification must not declare a body: parsing it would break the signature over the raw bytes
    expect(r.body.paths['/store/v1/payments/wechat/refund-notify'].post.requestBody).toBeUndefined();
  });
});

describe('who may see and act', () => {
  it('another shopper cannot apply on my order nor see, list or cancel my after-sale', async () => {
    const o = await paidOrder({ price: 1000, qty: 1 });
    const a = await applyAfterSale(o.token, o.orderId, {
      type: 'refund_only',
      reason: '不想要了',
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
    });
    const other = await shopperWithAddress();
    const apply = await applyAfterSale(other.token, o.orderId, {
      type: 'refund_only',
      reason: '不想要了',
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
    });
    expect(apply.status).toBe(404);
    expect(apply.body.error.code).toBe('orders.not_found');
    expect((await api('GET', `/store/v1/after-sales/${a.body.id}`, { token: other.token })).status).toBe(404);
    expect((await api('POST', `/store/v1/after-sales/${a.body.id}/cancel`, { token: other.token })).status).toBe(404);
    expect((await api('GET', '/store/v1/after-sales', { token: other.token })).body.items).toEqual([]);
    expect((await api('GET', `/store/v1/after-sales/${a.body.id}`, { token: o.token })).status).toBe(200);
    // shoppers cannot review
    expect((await review(o.token, a.body.id, 'approve')).status).toBe(403);
    expect((await api('GET', `/store/v1/after-sales/${a.body.id}`, { token: o.token })).body.status).toBe('requested');
  });

  it("a merchant cannot see or review another merchant's after-sale; its own it can", async () => {
    const [m1, m2] = [await makeMerchant(), await makeMerchant()];
    const o = await paidOrder({ price: 1000, qty: 2, merchantId: m1 });
    expect(o.merchantId).toBe(m1);
    const a = await applyAfterSale(o.token, o.orderId, {
      type: 'refund_only',
      reason: '不想要了',
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
    });
    const own = await staffToken('merchant', m1);
    const foreign = await staffToken('merchant', m2);
    expect((await review(foreign, a.body.id, 'approve')).status).toBe(404);
    expect((await review(foreign, a.body.id, 'reject', 'no')).status).toBe(404);
    expect((await api('GET', `/admin/v1/after-sales/${a.body.id}`, { token: foreign })).status).toBe(404);
    expect((await api('GET', '/admin/v1/after-sales', { token: foreign })).body.items).toEqual([]);
    expect((await api('GET', `/store/v1/after-sales/${a.body.id}`, { token: o.token })).body.status).toBe('requested');
    // an operator lacks aftersales.write
    expect((await review(await staffToken('operator'), a.body.id, 'approve')).status).toBe(403);

    const listed = await api('GET', `/admin/v1/after-sales?status=requested&merchantId=${m2}`, { token: own });
    expect(listed.body.items.map((x: any) => x.id)).toEqual([a.body.id]); // the merchant filter cannot widen a merchant's scope
    const ok = await review(own, a.body.id, 'approve');
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.status).toBe('refunding');
  });

  it('admin list filters by status, merchant and order', async () => {
    const m = await makeMerchant();
    const o = await paidOrder({ price: 1000, qty: 2, merchantId: m });
    const a = await applyAfterSale(o.token, o.orderId, {
      type: 'refund_only',
      reason: '不想要了',
      lines: [{ orderLineId: o.lineId, quantity: 1 }],
    });
    const staff = await support();
    const byOrder = await api('GET', `/admin/v1/after-sales?orderId=${o.orderId}`, { token: staff });
    expect(byOrder.body.items.map((x: any) => x.id)).toEqual([a.body.id]);
    expect((await api('GET', `/admin/v1/after-sales?merchantId=${m}&status=refunded`, { token: staff })).body.items).toEqual([]);
    expect(
      (await api('GET', `/admin/v1/after-sales?merchantId=${m}&status=requested`, { token: staff })).body.items.map((x: any) => x.id),
    ).toEqual([a.body.id]);
  });
});
