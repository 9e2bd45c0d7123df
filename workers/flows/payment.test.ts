import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, env, staffToken } from '../../test/helpers';
import { placeOrder, sellable, shopperWithAddress } from '../../test/shop';
import { handleQueueBatch } from '../queue';
import { buildSignedNotification, notificationRequest } from '../dev/wechatpay-sandbox';

const skuStock = async (skuId: string) =>
  (await env.DB.prepare('SELECT stock FROM skus WHERE id = ?').bind(skuId).first<{ stock: number }>())!.stock;
const orderStatus = async (orderId: string) =>
  (await env.DB.prepare('SELECT status, paid_total FROM orders WHERE id = ?')
    .bind(orderId)
    .first<{ status: string; paid_total: number }>())!;

async function pendingOrder(price = 2000, qty = 1, stock = 10) {
  const { skuId, admin } = await sellable(price, stock);
  const shopper = await shopperWithAddress();
  const o = await placeOrder(shopper.token, shopper.addressId, skuId, qty);
  expect(o.status).toBe(201);
  return {
    ...shopper,
    skuId,
    admin,
    checkoutId: o.body.checkoutId as string,
    orderId: o.body.orders[0].id as string,
    amount: o.body.payableTotal as number,
  };
}

const sandboxPay = (checkoutId: string) => api('POST', `/sandbox/wechatpay/transactions/${checkoutId}/pay`);

async function runTimeout(checkoutId: string, attempts = 1) {
  const batch = createMessageBatch('edgemall-settlement', [
    {
      id: `m-${checkoutId}`,
      timestamp: new Date(),
      attempts,
      body: { type: 'orders.payment_timeout', id: `timeout:${checkoutId}`, at: Date.now(), data: { checkoutId } },
    },
  ]);
  const ec = createExecutionContext();
  await handleQueueBatch(batch, env, ec);
  return getQueueResult(batch, ec);
}

describe('payOrder and the WeChat Pay notification', () => {
  it('pays through the sandbox: signed prepay, signed notification, order paid with a timeline entry', async () => {
    const o = await pendingOrder(2000, 2);
    const pay = await api('POST', `/store/v1/orders/${o.orderId}/pay`, { token: o.token });
    expect(pay.status).toBe(200);
    expect(pay.body.requestPayment).toMatchObject({ signType: 'RSA', package: expect.stringMatching(/^prepay_id=wx/) });
    expect(pay.body.amount).toBe(o.amount);
    const again = await api('POST', `/store/v1/orders/${o.orderId}/pay`, { token: o.token });
    expect(again.body.requestPayment.package).toBe(pay.body.requestPayment.package); // same prepay reused

    const paid = await sandboxPay(o.checkoutId);
    expect(paid.status).toBe(200);
    expect(paid.body.notification.status).toBe(204);
    const detail = await api('GET', `/store/v1/orders/${o.orderId}`, { token: o.token });
    expect(detail.body.status).toBe('paid');
    expect(detail.body.paidTotal).toBe(o.amount);
    expect(detail.body.timeline.map((e: any) => [e.type, e.actorType])).toEqual([
      ['created', 'user'],
      ['paid', 'wechat'],
    ]);
  });

  it('duplicate, concurrent and replayed notifications change nothing', async () => {
    const o = await pendingOrder();
    await api('POST', `/store/v1/orders/${o.orderId}/pay`, { token: o.token });
    const first = await sandboxPay(o.checkoutId);
    const notification = first.body.notification;
    expect(notification.status).toBe(204);
    // WeChat retries: the sandbox re-delivers the same notification id, several at once
    const retries = await Promise.all([sandboxPay(o.checkoutId), sandboxPay(o.checkoutId), sandboxPay(o.checkoutId)]);
    expect(retries.map((r) => r.body.notification.status)).toEqual([204, 204, 204]);
    const events = await env.DB.prepare("SELECT count(*) AS n FROM order_events WHERE order_id = ? AND type = 'paid'")
      .bind(o.orderId)
      .first<{ n: number }>();
    expect(events!.n).toBe(1);
    expect(await orderStatus(o.orderId)).toEqual({ status: 'paid', paid_total: o.amount });
  });

  it('a forged or tampered notification is 401 and changes nothing', async () => {
    const o = await pendingOrder();
    await api('POST', `/store/v1/orders/${o.orderId}/pay`, { token: o.token });
    const resource = {
      mchid: env.WECHATPAY_MCHID,
      appid: env.WECHAT_APP_ID,
      out_trade_no: o.checkoutId,
      transaction_id: '4200000000000000000000000001',
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      bank_type: 'OTHERS',
      success_time: '2026-11-25T20:00:00+08:00',
      payer: { openid: 'x' },
      amount: { total: o.amount, payer_total: o.amount, currency: 'CNY', payer_currency: 'CNY' },
    };
    const genuine = await buildSignedNotification(env, 'TRANSACTION.SUCCESS', resource, 'transaction');
    // one byte changed in the signed body
    const tampered = { ...genuine, body: genuine.body.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESs"') };
    const res1 = await fetchNotify(notificationRequest('http://edgemall.test/store/v1/payments/wechat/notify', tampered));
    expect(res1.status).toBe(401);
    expect((await res1.json<any>()).code).toBe('FAIL');
    // a signature made with some other key
    const forgedHeaders = { ...genuine.headers, 'Wechatpay-Signature': btoa('not a real signature'.repeat(10)) };
    const res2 = await fetchNotify(
      notificationRequest('http://edgemall.test/store/v1/payments/wechat/notify', { ...genuine, headers: forgedHeaders }),
    );
    expect(res2.status).toBe(401);
    expect(await orderStatus(o.orderId)).toEqual({ status: 'pending_payment', paid_total: 0 });
    // the genuine one is accepted
    const ok = await fetchNotify(notificationRequest('http://edgemall.test/store/v1/payments/wechat/notify', genuine));
    expect(ok.status).toBe(204);
    expect((await orderStatus(o.orderId)).status).toBe('paid');
  });

  it('a notification whose amount differs from the order is refused', async () => {
    const o = await pendingOrder(3000);
    await api('POST', `/store/v1/orders/${o.orderId}/pay`, { token: o.token });
    const n = await buildSignedNotification(
      env,
      'TRANSACTION.SUCCESS',
      {
        mchid: env.WECHATPAY_MCHID,
        appid: env.WECHAT_APP_ID,
        out_trade_no: o.checkoutId,
        transaction_id: '4200000000000000000000000002',
        trade_type: 'JSAPI',
        trade_state: 'SUCCESS',
        success_time: '2026-11-25T20:00:00+08:00',
        payer: { openid: 'x' },
        amount: { total: 1, payer_total: 1, currency: 'CNY' },
      },
      'transaction',
    );
    const res = await fetchNotify(notificationRequest('http://edgemall.test/store/v1/payments/wechat/notify', n));
    expect(res.status).toBe(400);
    expect((await orderStatus(o.orderId)).status).toBe('pending_payment');
  });

  it('unpaid timeout closes the order and returns stock exactly once, even delivered twice', async () => {
    const o = await pendingOrder(1000, 4, 10);
    expect(await skuStock(o.skuId)).toBe(6);
    await api('POST', `/store/v1/orders/${o.orderId}/pay`, { token: o.token }); // prepaid but never paid
    const [r1, r2] = await Promise.all([runTimeout(o.checkoutId), runTimeout(o.checkoutId, 2)]);
    expect(r1.retryMessages).toEqual([]);
    expect(r2.retryMessages).toEqual([]);
    expect((await orderStatus(o.orderId)).status).toBe('closed');
    expect(await skuStock(o.skuId)).toBe(10);
    // paying a closed transaction is refused by WeChat (the sandbox) too
    const late = await sandboxPay(o.checkoutId);
    expect(late.status).toBe(409);
  });

  it('a payment that landed without its notification is found by the timeout (query-on-demand) instead of closing', async () => {
    const o = await pendingOrder(1000, 1, 10);
    await api('POST', `/store/v1/orders/${o.orderId}/pay`, { token: o.token });
    // mark paid at the sandbox but "lose" the notification
    await env.DB.prepare(
      "UPDATE wxpay_sandbox_transactions SET trade_state = 'SUCCESS', transaction_id = '4200000000000000000000000003', success_time = ? WHERE out_trade_no = ?",
    )
      .bind(Date.now(), o.checkoutId)
      .run();
    await runTimeout(o.checkoutId);
    expect(await orderStatus(o.orderId)).toEqual({ status: 'paid', paid_total: o.amount });
    expect(await skuStock(o.skuId)).toBe(9);
  });

  it('timeout racing a payment: exactly one wins and stock is never double-counted', async () => {
    for (let i = 0; i < 3; i++) {
      const o = await pendingOrder(1000, 2, 10);
      await api('POST', `/store/v1/orders/${o.orderId}/pay`, { token: o.token });
      await Promise.all([runTimeout(o.checkoutId), sandboxPay(o.checkoutId)]);
      const s = await orderStatus(o.orderId);
      const stock = await skuStock(o.skuId);
      if (s.status === 'paid') expect(stock).toBe(8);
      else {
        expect(s.status).toBe('closed');
        expect(stock).toBe(10);
        // if the money arrived after the close, it is refunded in full, once
        const refunds = await env.DB.prepare('SELECT sum(amount) AS total, count(*) AS n FROM refunds WHERE order_id = ?')
          .bind(o.orderId)
          .first<{ total: number | null; n: number }>();
        const paidAtWechat = await env.DB.prepare('SELECT trade_state FROM wxpay_sandbox_transactions WHERE out_trade_no = ?')
          .bind(o.checkoutId)
          .first<{ trade_state: string }>();
        if (paidAtWechat!.trade_state !== 'CLOSED') expect(refunds).toEqual({ total: o.amount, n: 1 });
      }
    }
  });

  it('money arriving after the close is refunded in full, once; the order stays closed and stock is not taken again', async () => {
    const o = await pendingOrder(1500, 2, 10);
    await api('POST', `/store/v1/orders/${o.orderId}/pay`, { token: o.token });
    await runTimeout(o.checkoutId);
    expect(await skuStock(o.skuId)).toBe(10);
    const late = await buildSignedNotification(
      env,
      'TRANSACTION.SUCCESS',
      {
        mchid: env.WECHATPAY_MCHID,
        appid: env.WECHAT_APP_ID,
        out_trade_no: o.checkoutId,
        transaction_id: '4200000000000000000000000009',
        trade_type: 'JSAPI',
        trade_state: 'SUCCESS',
        success_time: '2026-11-25T20:00:00+08:00',
        payer: { openid: 'x' },
        amount: { total: o.amount, payer_total: o.amount, currency: 'CNY' },
      },
      'transaction',
    );
    // the sandbox closed the transaction, so mark it paid there too, as if WeChat had taken the money at the last second
    await env.DB.prepare(
      "UPDATE wxpay_sandbox_transactions SET trade_state = 'SUCCESS', transaction_id = '4200000000000000000000000009', success_time = ? WHERE out_trade_no = ?",
    )
      .bind(Date.now(), o.checkoutId)
      .run();
    const r1 = await fetchNotify(notificationRequest('http://edgemall.test/store/v1/payments/wechat/notify', late));
    const r2 = await fetchNotify(notificationRequest('http://edgemall.test/store/v1/payments/wechat/notify', late));
    expect([r1.status, r2.status]).toEqual([204, 204]);
    expect((await orderStatus(o.orderId)).status).toBe('closed');
    expect(await skuStock(o.skuId)).toBe(10);
    const refunds = await env.DB.prepare('SELECT sum(amount) AS total, count(*) AS n FROM refunds WHERE order_id = ?')
      .bind(o.orderId)
      .first<{ total: number; n: number }>();
    expect(refunds).toEqual({ total: o.amount, n: 1 });
    const timeline = await api('GET', `/store/v1/orders/${o.orderId}`, { token: o.token });
    expect(timeline.body.timeline.map((e: any) => e.type)).toEqual(['created', 'payment_timeout', 'late_payment_refunded']);
  });

  it('shipping requires payment; the shopper confirms receipt; another shopper sees 404', async () => {
    const o = await pendingOrder();
    const ops = await staffToken('operator');
    const early = await api('POST', `/admin/v1/orders/${o.orderId}/ship`, {
      token: ops,
      body: { carrierCode: 'SF', trackingNo: 'SF1234567890' },
    });
    expect(early.status).toBe(409);
    await api('POST', `/store/v1/orders/${o.orderId}/pay`, { token: o.token });
    await sandboxPay(o.checkoutId);
    const shipped = await api('POST', `/admin/v1/orders/${o.orderId}/ship`, {
      token: ops,
      body: { carrierCode: 'SF', trackingNo: 'SF1234567890' },
    });
    expect(shipped.status).toBe(200);
    expect(shipped.body.status).toBe('shipped');
    const again = await api('POST', `/admin/v1/orders/${o.orderId}/ship`, {
      token: ops,
      body: { carrierCode: 'sf', trackingNo: 'sf1234567890' },
    });
    expect(again.status).toBe(200);
    const other = await shopperWithAddress();
    expect((await api('GET', `/store/v1/orders/${o.orderId}`, { token: other.token })).status).toBe(404);
    expect((await api('POST', `/store/v1/orders/${o.orderId}/confirm-receipt`, { token: other.token })).status).toBe(404);
    const tracking = await api('GET', `/store/v1/orders/${o.orderId}/tracking`, { token: o.token });
    expect(tracking.body.items[0]).toMatchObject({ carrierCode: 'SF', trackingNo: 'SF1234567890' });
    const done = await api('POST', `/store/v1/orders/${o.orderId}/confirm-receipt`, { token: o.token });
    expect(done.body.status).toBe('completed');
    expect(done.body.timeline.map((e: any) => e.type)).toEqual(['created', 'paid', 'shipped', 'receipt_confirmed']);
  });
});

async function fetchNotify(req: Request): Promise<Response> {
  const { SELF } = await import('cloudflare:test');
  return SELF.fetch(req);
}
